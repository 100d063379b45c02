: Tests the INDEPENDENT block declaring t with FROM/TO/WITH/START and units (legacy form nocmodl still parses).
NEURON {
    SUFFIX indepblk
    RANGE y
}

INDEPENDENT {
    t FROM 0 TO 100 WITH 1 START 0 (ms)
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
