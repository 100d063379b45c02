: Tests nrn_pointing: a POINTER the mechanism tests may stay unset; y is what it points
: at when set, else -1.
NEURON {
    POINT_PROCESS Optional
    POINTER p
    RANGE y
}

ASSIGNED {
    p
    y
}

BREAKPOINT {
    if (nrn_pointing(p)) {
        y = p
    } else {
        y = -1
    }
}
