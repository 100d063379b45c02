: expect error at 4:4 (USEION without READ or WRITE; the grammar currently accepts it)
NEURON {
    SUFFIX badion
    USEION na
    RANGE a
}

ASSIGNED {
    a
}
