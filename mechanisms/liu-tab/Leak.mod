TITLE Leak: passive leak current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values as in
/work/shared/models/liu1998.md.   i = gbar (v - e)
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 0.99 uS/mm2 = 9.9e-5), i mA/cm2, v and e mV.
ENDCOMMENT

NEURON {
    SUFFIX Leak
    NONSPECIFIC_CURRENT i
    RANGE gbar, e, i
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 9.9e-5 (S/cm2) <0,1e9>
    e = -50 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = gbar*(v - e)
}
