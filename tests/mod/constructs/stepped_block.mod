: Tests the legacy STEPPED declaration block (one name = list of values, incl. negative/scientific, with units) that nocmodl still parses.
NEURON {
    SUFFIX steppedtest
    RANGE y
}

STEPPED {
    amp = -0.1, 0, 0.2, 3.5e-1 (mA)
}

ASSIGNED {
    y
}

INITIAL {
    y = amp
}
