: Tests SOLVE ... STEADYSTATE derivimplicit in INITIAL for a DERIVATIVE block (and METHOD derivimplicit in BREAKPOINT).
NEURON {
    SUFFIX sstatederiv
    RANGE tau, target
}

PARAMETER {
    tau = 3 (ms)
    target = 0.25
}

STATE {
    w
}

INITIAL {
    w = 0
    SOLVE relax STEADYSTATE derivimplicit
}

BREAKPOINT {
    SOLVE relax METHOD derivimplicit
}

DERIVATIVE relax {
    w' = (target - w)/tau
}
