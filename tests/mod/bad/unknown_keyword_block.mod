: expect error at 7:0 (unknown block keyword PARAMETERS)
NEURON {
    SUFFIX unknownblock
    RANGE a
}

PARAMETERS {
    a = 1
}
