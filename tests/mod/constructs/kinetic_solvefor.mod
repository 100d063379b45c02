: Tests KINETIC with SOLVEFOR (only some STATEs solved by the scheme) and a reaction whose rates call a FUNCTION.
NEURON {
    SUFFIX kinsolvefor
    RANGE kf
}

PARAMETER {
    kf = 0.2 (/ms)
}

STATE {
    P
    Q
    R
}

INITIAL {
    P = 1
    Q = 0
    R = 0.5
}

BREAKPOINT {
    SOLVE part METHOD sparse
}

KINETIC part SOLVEFOR P, Q {
    ~ P <-> Q (rate(kf), rate(kf)/2)
}

FUNCTION rate(k (/ms)) (/ms) {
    rate = k*(1 + R)
}
