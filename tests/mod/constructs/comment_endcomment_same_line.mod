: Tests nocmodl's one-line COMMENT: the rest of the COMMENT line counts as the first comment line, so ENDCOMMENT as its first word ends the block at once.
NEURON {
    SUFFIX commentsameline
    RANGE a
}

ASSIGNED {
    a
}

INITIAL {
    COMMENT ENDCOMMENT
    a = 1
}

COMMENT ENDCOMMENT

BREAKPOINT {
    a = a + 1
}
