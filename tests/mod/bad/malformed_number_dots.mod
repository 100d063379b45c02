: expect error at 12:8 (number 1.2.3 with two dots)
NEURON {
    SUFFIX baddots
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    a = 1.2.3
}
