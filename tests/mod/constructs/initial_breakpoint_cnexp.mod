: Tests INITIAL, BREAKPOINT with SOLVE ... METHOD cnexp, a DERIVATIVE block, rates PROCEDURE and exp/fabs builtins (HH-style potassium channel).
NEURON {
    SUFFIX kcnexp
    USEION k READ ek WRITE ik
    RANGE gbar, g
    GLOBAL ninf, ntau
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.036 (S/cm2) <0, 1e9>
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    g (S/cm2)
    ninf
    ntau (ms)
}

STATE {
    n
}

INITIAL {
    rates(v)
    n = ninf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gbar*n^4
    ik = g*(v - ek)
}

DERIVATIVE states {
    rates(v)
    n' = (ninf - n)/ntau
}

PROCEDURE rates(v (mV)) {
    LOCAL an, bn
    UNITSOFF
    an = vtrap(-(v + 55), 10)*0.01
    bn = 0.125*exp(-(v + 65)/80)
    ntau = 1/(an + bn)
    ninf = an*ntau
    UNITSON
}

FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
