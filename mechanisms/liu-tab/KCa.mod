TITLE KCa (tabulated): calcium-dependent potassium current of the Liu et al. 1998 STG model neuron

COMMENT
The tabulated variant of mechanisms/liu/KCa.mod: the same SUFFIX, parameters and rate
functions, but the states advance as in NEURON's classic hh.mod, m += mexp (minf - m)
with mexp = 1 - exp(-dt/mtau), and minf, mexp (and h's) come from a TABLE over v at
0.1 mV steps (DEPEND dt: rebuilt when dt changes), linearly interpolated; beyond
-100 and 100 mV the end values are used. With exact values this update is cnexp's (the
exact solution for v held over the step); the table's interpolation error is the only
difference: measured in docs/sweeps.md ("Tabulated mechanisms"). No exp or division in
the state update: several times faster. NEURON 8.2.2 runs this file unchanged
(scripts/neuron/reference_liu.py --tabulated).
m_inf = Ca/(Ca + 3 uM) / (1 + exp((v + 28.3)/-12.6)): the voltage factor is tabulated
(mvinf) and multiplied by the calcium factor at each step.
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
    dt (ms)
    cai (mM)
    i (mA/cm2)
    g (S/cm2)
    minf
    mvinf
    mexp
}

STATE { m }

BREAKPOINT {
    SOLVE states
    g = gbar*m*m*m*m
    i = g*(v - e)
}

INITIAL {
    rates(v, cai)
    m = minf
}

PROCEDURE states() {
    rates(v, cai)
    m = m + mexp*(minf - m)
}

UNITSOFF
PROCEDURE rates(v (mV), c (mM)) {
    LOCAL ca
    vrates(v)
    ca = 1000*c
    minf = (ca/(ca + 3))*mvinf
}

PROCEDURE vrates(v (mV)) {
    LOCAL mtau
    TABLE mvinf, mexp DEPEND dt FROM -100 TO 100 WITH 2000
    mvinf = 1/(1 + exp((v + 28.3)/-12.6))
    mtau = 90.3 - 75.1/(1 + exp((v + 46)/-22.7))
    mexp = 1 - exp(-dt/mtau)
}
UNITSON
