: Tests SOLVE ... STEADYSTATE sparse in INITIAL for a KINETIC scheme (and METHOD sparse in BREAKPOINT).
NEURON {
    SUFFIX sstate
    RANGE kf, kb
}

PARAMETER {
    kf = 0.3 (/ms)
    kb = 0.1 (/ms)
}

STATE {
    c
    o
}

INITIAL {
    c = 1
    o = 0
    SOLVE kin STEADYSTATE sparse
}

BREAKPOINT {
    SOLVE kin METHOD sparse
}

KINETIC kin {
    ~ c <-> o (kf, kb)
    CONSERVE c + o = 1
}
