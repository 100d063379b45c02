TITLE CaS: slow calcium current of the Liu et al. 1998 STG model neuron

COMMENT
Liu, Golowasch, Marder & Abbott (1998) J Neurosci 18:2309; values and rate functions
as in /work/shared/models/liu1998.md.   ica = gbar m^3 h (v - eca)
Units: gbar S/cm2 (1 uS/mm2 = 1e-4 S/cm2: 27 uS/mm2 = 0.0027), ica mA/cm2, v mV, tau ms.
No temperature dependence. eca is the ca ion's, written by CaPoolLiu.
ENDCOMMENT

NEURON {
    SUFFIX CaS
    USEION ca READ eca WRITE ica
    RANGE gbar, g
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.0027 (S/cm2) <0,1e9>
}

ASSIGNED {
    v (mV)
    eca (mV)
    ica (mA/cm2)
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
    ica = g*(v - eca)
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
    minf = 1/(1 + exp((v + 33)/-8.1))
    mtau = 1.4 + 7/(exp((v + 27)/10) + exp((v + 70)/-13))
    hinf = 1/(1 + exp((v + 60)/6.2))
    htau = 60 + 150/(exp((v + 55)/9) + exp((v + 65)/-16))
}
UNITSON
