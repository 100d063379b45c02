: Tests the legacy queue statements PUTQ/GETQ and the RESET statement; nocmodl parses them.
NEURON {
    SUFFIX putqtest
    RANGE x
}

ASSIGNED {
    x
}

INITIAL {
    x = 0
    PUTQ x
}

BREAKPOINT {
    GETQ x
    if (x > 1) {
        RESET
    }
}
