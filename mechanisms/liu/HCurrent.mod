TITLE HCurrent: hyperpolarisation-activated cation current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values and rate functions
as in /work/shared/models/liu1998.md.   i = gbar m (v - e), e = -20 mV (mixed cation)
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 10.1 uS/mm2 = 0.00101), i mA/cm2, v and e mV,
tau ms. No temperature dependence.
ENDCOMMENT

NEURON {
    SUFFIX HCurrent
    NONSPECIFIC_CURRENT i
    RANGE gbar, e, g, i
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.00101 (S/cm2) <0,1e9>
    e = -20 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    g (S/cm2)
    minf
    mtau (ms)
}

STATE { m }

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar*m
    i = g*(v - e)
}

INITIAL {
    rates(v)
    m = minf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    minf = 1/(1 + exp((v + 70)/6))
    mtau = 272 + 1499/(1 + exp((v + 42.2)/-8.73))
}
UNITSON
