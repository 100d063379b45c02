TITLE Kd: delayed-rectifier potassium current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values and rate functions
as in /work/shared/models/liu1998.md.   i = gbar m^4 (v - e)
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 610 uS/mm2 = 0.061), i mA/cm2, v and e mV,
tau ms. No temperature dependence. E_K is the spec's fixed -80 mV: a NONSPECIFIC_CURRENT
with its own e (see NaV.mod for why not the k ion).
ENDCOMMENT

NEURON {
    SUFFIX Kd
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
    gbar = 0.061 (S/cm2) <0,1e9>
    e = -80 (mV)
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
    g = gbar*m*m*m*m
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
    minf = 1/(1 + exp((v + 12.3)/-11.8))
    mtau = 7.2 - 6.4/(1 + exp((v + 28.3)/-19.2))
}
UNITSON
