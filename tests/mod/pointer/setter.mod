: Tests writing through a POINTER: at INITIAL and in every current computation the
: target becomes value + t; the kernels that write run one instance after another.
NEURON {
    POINT_PROCESS Setter
    POINTER target
    RANGE value
}

PARAMETER {
    value = 0.1
}

ASSIGNED {
    target
}

INITIAL {
    target = value
}

BREAKPOINT {
    target = value + t
}
