: Tests INDEPENDENT with the SWEEP prefix, a negative FROM and a scientific TO.
NEURON {
    SUFFIX indepsweep
    RANGE y
}

INDEPENDENT {
    SWEEP t FROM -1 TO 1e2 WITH 100 (ms)
}

STATE {
    y
}

PARAMETER {
    tau = 5 (ms)
}

INITIAL {
    y = 1
}

BREAKPOINT {
    SOLVE states METHOD cnexp
}

DERIVATIVE states {
    y' = -y/tau
}
