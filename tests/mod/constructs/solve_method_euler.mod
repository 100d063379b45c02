: Tests SOLVE ... METHOD euler and a DERIVATIVE block whose equations call a FUNCTION.
NEURON {
    SUFFIX eulertest
    RANGE tau
}

PARAMETER {
    tau = 5 (ms)
}

STATE {
    z
}

INITIAL {
    z = 1
}

BREAKPOINT {
    SOLVE decay METHOD euler
}

DERIVATIVE decay {
    z' = -rate(z)/tau
}

FUNCTION rate(u) {
    rate = u*(1 + 0.1*u)
}
