TITLE rkk: hh's potassium current with n integrated by METHOD runge

COMMENT
A test mechanism for METHOD runge (NEURON's scopmath runge: one classic fourth-order
Runge-Kutta step of dt per time step, v held at its new value).
ENDCOMMENT

NEURON {
    SUFFIX rkk
    USEION k READ ek WRITE ik
    RANGE gkbar
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gkbar = 0.036 (S/cm2)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
}

STATE { n }

INITIAL {
    n = alpha(v)/(alpha(v) + beta(v))
}

BREAKPOINT {
    SOLVE states METHOD runge
    ik = gkbar*n*n*n*n*(v - ek)
}

DERIVATIVE states {
    n' = alpha(v)*(1 - n) - beta(v)*n
}

FUNCTION alpha(v (mV)) (/ms) {
    alpha = 0.01*vtrap(-(v + 55), 10)
}

FUNCTION beta(v (mV)) (/ms) {
    beta = 0.125*exp(-(v + 65)/80)
}

FUNCTION vtrap(x, y) {
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
