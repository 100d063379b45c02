TITLE NaV: fast sodium current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values and rate functions
as in /work/shared/models/liu1998.md.   i = gbar m^3 h (v - e)
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 1831 uS/mm2 = 0.1831), i mA/cm2, v and e mV,
tau ms. No temperature dependence. E_Na is the spec's fixed +30 mV, so the current is a
NONSPECIFIC_CURRENT with its own e: NEURON and Ranvier then need no na ion and no ena
setting per segment, and nothing can move the reversal potential.
ENDCOMMENT

NEURON {
    SUFFIX NaV
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
    gbar = 0.1831 (S/cm2) <0,1e9>
    e = 30 (mV)
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
    minf = 1/(1 + exp((v + 25.5)/-5.29))
    mtau = 1.32 - 1.26/(1 + exp((v + 120)/-25))
    hinf = 1/(1 + exp((v + 48.9)/5.18))
    htau = (0.67/(1 + exp((v + 62.9)/-10)))*(1.5 + 1/(1 + exp((v + 34.9)/3.6)))
}
UNITSON
