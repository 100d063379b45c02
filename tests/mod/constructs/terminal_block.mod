: Tests the legacy TERMINAL block (statements run at the end of a SCoP simulation); nocmodl parses it.
NEURON {
    SUFFIX terminaltest
    RANGE y
}

ASSIGNED {
    y
}

INITIAL {
    y = 0
}

TERMINAL {
    LOCAL k
    k = 2
    y = y*k
}
