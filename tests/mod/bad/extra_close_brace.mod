: expect error at 14:0 (a second closing brace after INITIAL)
NEURON {
    SUFFIX extrabrace
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    a = 1
}
}

BREAKPOINT {
    a = a + 1
}
