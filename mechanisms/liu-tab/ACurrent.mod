TITLE ACurrent (tabulated): transient potassium (A) current of the Liu et al. 1998 STG model neuron

COMMENT
The tabulated variant of mechanisms/liu/ACurrent.mod: the same SUFFIX, parameters and rate
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
    dt (ms)
    i (mA/cm2)
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
    i = g*(v - e)
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
    minf = 1/(1 + exp((v + 27.2)/-8.7))
    mtau = 11.6 - 10.4/(1 + exp((v + 32.9)/-15.2))
    hinf = 1/(1 + exp((v + 56.9)/4.9))
    htau = 38.6 - 29.2/(1 + exp((v + 38.9)/-26.5))
    mexp = 1 - exp(-dt/mtau)
    hexp = 1 - exp(-dt/htau)
}
UNITSON
