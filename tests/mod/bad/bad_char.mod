: expect error at 12:9 (stray ; after a statement)
NEURON {
    SUFFIX badchar
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    a = 1;
}
