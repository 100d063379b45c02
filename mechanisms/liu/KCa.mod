TITLE KCa: calcium-dependent potassium current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values and rate functions
as in /work/shared/models/liu1998.md.   i = gbar m^4 (v - e),
m_inf = Ca/(Ca + 3 uM) / (1 + exp((v + 28.3)/-12.6)) with Ca = cai in uM (1000 cai, cai
in mM, read from the ca ion, written by CaPoolLiu).
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 980 uS/mm2 = 0.098), i mA/cm2, v and e mV,
tau ms. No temperature dependence. E_K is the spec's fixed -80 mV: a NONSPECIFIC_CURRENT
with its own e (see NaV.mod for why not the k ion).
ENDCOMMENT

NEURON {
    SUFFIX KCa
    USEION ca READ cai
    NONSPECIFIC_CURRENT i
    RANGE gbar, e, g, i
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (mM) = (milli/liter)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.098 (S/cm2) <0,1e9>
    e = -80 (mV)
}

ASSIGNED {
    v (mV)
    cai (mM)
    i (mA/cm2)
    g (S/cm2)
    minf
    mtau (ms)
}

STATE { m }

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar*m*m*m*m
    i = g*(v - e)
}

INITIAL {
    rates(v, cai)
    m = minf
}

DERIVATIVE states {
    rates(v, cai)
    m' = (minf - m)/mtau
}

UNITSOFF
PROCEDURE rates(v (mV), c (mM)) {
    LOCAL ca
    ca = 1000*c
    minf = (ca/(ca + 3))/(1 + exp((v + 28.3)/-12.6))
    mtau = 90.3 - 75.1/(1 + exp((v + 46)/-22.7))
}
UNITSON
