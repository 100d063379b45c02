TITLE CaS (tabulated): slow calcium current of the Liu et al. 1998 STG model neuron

COMMENT
The tabulated variant of mechanisms/liu/CaS.mod: the same SUFFIX, parameters and rate
functions, but the states advance as in NEURON's classic hh.mod, m += mexp (minf - m)
with mexp = 1 - exp(-dt/mtau), and minf, mexp (and h's) come from a TABLE over v at
0.1 mV steps (DEPEND dt: rebuilt when dt changes), linearly interpolated; beyond
-100 and 100 mV the end values are used. With exact values this update is cnexp's (the
exact solution for v held over the step); the table's interpolation error is the only
difference: measured in docs/sweeps.md ("Tabulated mechanisms"). No exp or division in
the state update: several times faster. NEURON 8.2.2 runs this file unchanged
(scripts/neuron/reference_liu.py --tabulated).
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
    dt (ms)
    eca (mV)
    ica (mA/cm2)
    g (S/cm2)
    minf
    hinf
    mexp
    hexp
}

STATE { m h }

BREAKPOINT {
    SOLVE states
    g = gbar*m*m*m*h
    ica = g*(v - eca)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
}

PROCEDURE states() {
    rates(v)
    m = m + mexp*(minf - m)
    h = h + hexp*(hinf - h)
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    LOCAL mtau, htau
    TABLE minf, mexp, hinf, hexp DEPEND dt FROM -100 TO 100 WITH 2000
    minf = 1/(1 + exp((v + 33)/-8.1))
    mtau = 1.4 + 7/(exp((v + 27)/10) + exp((v + 70)/-13))
    hinf = 1/(1 + exp((v + 60)/6.2))
    htau = 60 + 150/(exp((v + 55)/9) + exp((v + 65)/-16))
    mexp = 1 - exp(-dt/mtau)
    hexp = 1 - exp(-dt/htau)
}
UNITSON
