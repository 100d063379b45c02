: Tests SOLVE ... IFERROR { } (error-handler block after a SOLVE, with and without METHOD/STEADYSTATE).
NEURON {
    SUFFIX iferrortest
    RANGE nerr
}

PARAMETER {
    tau = 2 (ms)
}

ASSIGNED {
    nerr
}

STATE {
    z
}

INITIAL {
    nerr = 0
    z = 1
    SOLVE relax STEADYSTATE derivimplicit IFERROR {
        nerr = nerr + 1
    }
}

BREAKPOINT {
    SOLVE relax METHOD derivimplicit IFERROR {
        nerr = nerr + 1
        z = 0
    }
}

DERIVATIVE relax {
    z' = -z/tau
}
