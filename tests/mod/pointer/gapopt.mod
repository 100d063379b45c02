: Tests nrn_pointing on a POINTER fed across threads or ranks: a gap junction side
: (mechanisms/gap.mod's) that conducts only when its POINTER is set.
NEURON {
    THREADSAFE
    POINT_PROCESS GapOpt
    POINTER vgap
    RANGE g, i
    NONSPECIFIC_CURRENT i
}

PARAMETER {
    g = 0.001 (uS)
}

ASSIGNED {
    v (mV)
    vgap (mV)
    i (nA)
}

BREAKPOINT {
    if (nrn_pointing(vgap)) {
        i = g*(v - vgap)
    } else {
        i = 0
    }
}
