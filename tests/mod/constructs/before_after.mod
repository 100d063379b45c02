: Tests BEFORE and AFTER blocks for BREAKPOINT, SOLVE, INITIAL and STEP.
NEURON {
    SUFFIX beforeafter
    RANGE n1, n2, n3, n4, n5, n6, n7, n8
}

ASSIGNED {
    n1
    n2
    n3
    n4
    n5
    n6
    n7
    n8
}

INITIAL {
    n1 = 0
}

BEFORE INITIAL {
    n1 = 0
    n2 = 0
}

AFTER INITIAL {
    n3 = n1 + n2
}

BEFORE BREAKPOINT {
    n4 = n4 + 1
}

AFTER BREAKPOINT {
    n5 = n5 + 1
}

BEFORE SOLVE {
    n6 = n6 + 1
}

AFTER SOLVE {
    n7 = n7 + 1
}

BEFORE STEP {
    LOCAL k
    k = 2
    n8 = n8 + k
}

AFTER STEP {
    n8 = n8 - 1
}
