: Tests LINEAR and NONLINEAR blocks without SOLVEFOR (all STATEs are solved), with LOCAL and ordinary assignments inside.
NEURON {
    SUFFIX linnosf
    RANGE k
}

PARAMETER {
    k = 4
}

STATE {
    p
    q
}

INITIAL {
    SOLVE nl
}

BREAKPOINT {
    SOLVE ln
}

LINEAR ln {
    LOCAL r
    r = k/2
    ~ p + q = k
    ~ p - q = r
}

NONLINEAR nl {
    ~ p*q = k
    ~ p - q = 1
}
