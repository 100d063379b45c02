: expect error at 12:11 (string opened at 12:11 never closed)
NEURON {
    SUFFIX badstring
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    printf("a = %g\n, a)
    a = 1
}
