: Tests a DISCRETE block with previous-step references NAME@1 (scalar and array) solved by SOLVE.
NEURON {
    SUFFIX discr
    RANGE decay
}

PARAMETER {
    decay = 0.9
}

STATE {
    n
    m[2]
}

INITIAL {
    n = 1
    m[0] = 0
    m[1] = 1
}

BREAKPOINT {
    SOLVE update
}

DISCRETE update {
    n = n@1*decay + 0.1
    m[0] = m@1[1]*decay
    m[1] = m@1[0] + n@1
}
