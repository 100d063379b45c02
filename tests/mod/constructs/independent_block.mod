: Tests the INDEPENDENT block declaring t with FROM/TO/WITH/START and units (legacy form nocmodl still parses).
NEURON {
    SUFFIX indepblk
    RANGE u
}

INDEPENDENT {
    t FROM 0 TO 100 WITH 1 START 0 (ms)
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
