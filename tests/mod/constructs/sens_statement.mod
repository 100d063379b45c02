: Tests the legacy SENS statement (sensitivity parameters) inside a DERIVATIVE block; nocmodl parses it.
NEURON {
    SUFFIX senstest
    RANGE k1, k2
}

PARAMETER {
    k1 = 0.5 (/ms)
    k2 = 0.1 (/ms)
}

STATE {
    x
}

INITIAL {
    x = 1
}

BREAKPOINT {
    SOLVE decay METHOD derivimplicit
}

DERIVATIVE decay {
    SENS k1, k2
    x' = -(k1 + k2)*x
}
