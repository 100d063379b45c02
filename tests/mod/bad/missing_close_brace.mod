: expect error at 14:0 (INITIAL at 11:0 is missing its closing brace)
NEURON {
    SUFFIX badbrace
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    a = 1

BREAKPOINT {
    a = a + 1
}
