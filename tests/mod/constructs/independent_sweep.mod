: Tests INDEPENDENT with the SWEEP prefix, a negative FROM and a scientific TO.
NEURON {
    SUFFIX indepsweep
    RANGE u
}

INDEPENDENT {
    SWEEP t FROM -1 TO 1e2 WITH 100 (ms)
}

STATE {
    u
}

PARAMETER {
    tau = 5 (ms)
}

INITIAL {
    u = 1
}

BREAKPOINT {
    SOLVE states METHOD cnexp
}

DERIVATIVE states {
    u' = -u/tau
}
