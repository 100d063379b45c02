: METHOD runge on a FitzHugh-Nagumo pair driven by the membrane voltage: compiled
: kernels (scalar and vector) must give the interpreter's four Runge-Kutta stages.
NEURON {
    SUFFIX rungefhn
    RANGE a, b, eps
    THREADSAFE
}

PARAMETER {
    a = 0.7
    b = 0.8
    eps = 0.08 (/ms)
}

ASSIGNED {
    v (mV)
}

STATE { u w }

INITIAL {
    u = -1.2
    w = -0.6
}

BREAKPOINT {
    SOLVE s METHOD runge
}

DERIVATIVE s {
    u' = u - u*u*u/3 - w + 0.01*(v + 65)
    w' = eps*(u + a - b*w)
}
