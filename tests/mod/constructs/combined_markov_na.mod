: Combined: Markov-scheme sodium channel (KINETIC with 5 states, CONSERVE, rates PROCEDURE with TABLE, STEADYSTATE init, q10 temperature scaling).
TITLE Five-state Markov sodium channel

NEURON {
    SUFFIX namarkov
    USEION na READ ena WRITE ina
    RANGE gbar, g, ina
    GLOBAL a0, b0, vha, vhb, ka, kb, kon, koff, q10
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.05 (S/cm2) <0, 1e9>
    a0 = 2.5 (/ms)
    b0 = 0.4 (/ms)
    vha = -35 (mV)
    vhb = -60 (mV)
    ka = 9 (mV)
    kb = 12 (mV)
    kon = 0.8 (/ms)
    koff = 0.005 (/ms)
    q10 = 2.3
    temp0 = 23 (degC)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    ena (mV)
    ina (mA/cm2)
    g (S/cm2)
    alpha (/ms)
    beta (/ms)
    qt
}

STATE {
    C1
    C2
    C3
    O
    I
}

INITIAL {
    qt = q10^((celsius - temp0)/10 (degC))
    rates(v)
    SOLVE scheme STEADYSTATE sparse
}

BREAKPOINT {
    SOLVE scheme METHOD sparse
    g = gbar*O
    ina = g*(v - ena)
}

KINETIC scheme {
    rates(v)
    ~ C1 <-> C2 (3*alpha, beta)
    ~ C2 <-> C3 (2*alpha, 2*beta)
    ~ C3 <-> O (alpha, 3*beta)
    ~ O <-> I (kon*qt, koff*qt)
    ~ C3 <-> I (kon*qt*0.01, koff*qt)
    CONSERVE C1 + C2 + C3 + O + I = 1
}

PROCEDURE rates(v (mV)) {
    TABLE alpha, beta DEPEND celsius, qt FROM -120 TO 80 WITH 400
    alpha = qt*a0*exp((v - vha)/ka)
    beta = qt*b0*exp(-(v - vhb)/kb)
}
