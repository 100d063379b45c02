: Tests METHOD runge on a non-linear system that reads t: the block sees t + dt/2 and
: t + dt in its later stages, as scopmath's runge moves t.
NEURON {
    SUFFIX rkt
    RANGE a
}

PARAMETER {
    a = 0.1 (/ms)
}

STATE { x y }

INITIAL {
    x = 1
    y = 0
}

BREAKPOINT {
    SOLVE s METHOD runge
}

DERIVATIVE s {
    x' = -a*x*y + 0.05*sin(0.3*t)
    y' = 0.2*(x - y*y)
}
