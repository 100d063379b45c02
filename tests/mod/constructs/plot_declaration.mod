: Tests the legacy PLOT declaration: PLOT names (with optional [index]) VS name.
NEURON {
    SUFFIX plotdecl
    RANGE y
}

ASSIGNED {
    y
    w[3]
}

PLOT y, w[1] VS t

INITIAL {
    y = 0
    w[1] = 1
}
