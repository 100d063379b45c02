TITLE Gap: one side of an ohmic gap junction

COMMENT
Ours (NEURON has no built-in gap junction mechanism; this is the half-gap its
documentation describes). Place one Gap on each of the two coupled locations and
point each one's vgap at the other location's v ([[pointer]] in the model file;
NEURON: setpointer gap._ref_vgap, other_sec(x)._ref_v). The current leaving the
cell here is g (v - vgap): the other side sees the opposite current through its own
Gap. g in uS, i in nA.
ENDCOMMENT

NEURON {
    THREADSAFE
    POINT_PROCESS Gap
    POINTER vgap
    RANGE g, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
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
    i = g*(v - vgap)
}
