TITLE ACurrent: transient potassium (A) current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values and rate functions
as in /work/shared/models/liu1998.md.   i = gbar m^3 h (v - e)
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 246 uS/mm2 = 0.0246), i mA/cm2, v and e mV,
tau ms. No temperature dependence. E_K is the spec's fixed -80 mV: a NONSPECIFIC_CURRENT
with its own e (see NaV.mod for why not the k ion).
ENDCOMMENT

NEURON {
    SUFFIX ACurrent
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
    gbar = 0.0246 (S/cm2) <0,1e9>
    e = -80 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    g (S/cm2)
    minf
    hinf
    mtau (ms)
    htau (ms)
}

STATE { m h }

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar*m*m*m*h
    i = g*(v - e)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    minf = 1/(1 + exp((v + 27.2)/-8.7))
    mtau = 11.6 - 10.4/(1 + exp((v + 32.9)/-15.2))
    hinf = 1/(1 + exp((v + 56.9)/4.9))
    htau = 38.6 - 29.2/(1 + exp((v + 38.9)/-26.5))
}
UNITSON
