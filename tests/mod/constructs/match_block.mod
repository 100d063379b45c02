: Tests the legacy MATCH block (boundary-value problem: known initial state x0 and a matched value u(10) = 1) in a DERIVATIVE block, with INDEPENDENT.
NEURON {
    SUFFIX matchtest
}

INDEPENDENT {
    t FROM 0 TO 10 WITH 10 (ms)
}

STATE {
    x
    u
}

BREAKPOINT {
    SOLVE osc METHOD runge
}

DERIVATIVE osc {
    x' = u/(1 (ms))
    u' = -x/(1 (ms))
    MATCH {
        x0
        u(10) = 1
    }
}
