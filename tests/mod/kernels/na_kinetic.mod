: Four-state Markov sodium channel (C1 <-> C2 <-> O <-> I <-> C1), METHOD sparse.
: The voltage-dependent rates are computed by a PROCEDURE called inside the KINETIC block.
: INITIAL finds the steady state with SOLVE ... STEADYSTATE sparse.
: Golden data: tests/golden/neuron-kernels/ (scripts/gen-neuron-kernels-golden.py).
NEURON {
    SUFFIX na_kin
    USEION na READ ena WRITE ina
    RANGE gbar, g, ina
    RANGE kc1c2, kc2c1, kc2o, koc2, koi, kio, kic1, kc1i
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.12 (S/cm2)
    a0 = 0.5 (/ms)      : activation rate scale
    b0 = 0.5 (/ms)      : deactivation rate scale
    vhm = -35 (mV)
    ka = 12 (mV)
    kb = 20 (mV)
    i0 = 1 (/ms)        : O -> I at vhi
    vhi = -40 (mV)
    ki = 40 (mV)
    kio = 0.01 (/ms)    : I -> O, voltage independent
    r0 = 0.1 (/ms)      : I -> C1 (recovery) at vhr
    s0 = 0.01 (/ms)     : C1 -> I (closed-state inactivation) at vhr
    vhr = -70 (mV)
    kr = 15 (mV)
    ks = 25 (mV)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    g (S/cm2)
    kc1c2 (/ms)
    kc2c1 (/ms)
    kc2o (/ms)
    koc2 (/ms)
    koi (/ms)
    kic1 (/ms)
    kc1i (/ms)
}

STATE {
    C1
    C2
    O
    I
}

INITIAL {
    SOLVE kin STEADYSTATE sparse
}

BREAKPOINT {
    SOLVE kin METHOD sparse
    g = gbar*O
    ina = g*(v - ena)
}

KINETIC kin {
    rates(v)
    ~ C1 <-> C2 (kc1c2, kc2c1)
    ~ C2 <-> O (kc2o, koc2)
    ~ O <-> I (koi, kio)
    ~ I <-> C1 (kic1, kc1i)
    CONSERVE C1 + C2 + O + I = 1
}

PROCEDURE rates(v (mV)) {
    LOCAL am, bm
    am = a0*exp((v - vhm)/ka)
    bm = b0*exp(-(v - vhm)/kb)
    kc1c2 = 2*am
    kc2c1 = bm
    kc2o = am
    koc2 = 2*bm
    koi = i0*exp((v - vhi)/ki)
    kic1 = r0*exp(-(v - vhr)/kr)
    kc1i = s0*exp((v - vhr)/ks)
}
