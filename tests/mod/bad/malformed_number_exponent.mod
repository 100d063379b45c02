: expect error at 12:10 (exponent without digits: 1e)
NEURON {
    SUFFIX badexp
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    a = 2*1e*3
}
