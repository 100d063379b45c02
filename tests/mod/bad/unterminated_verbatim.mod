: expect error at 15:0 (VERBATIM at 12:0 never closed, so the FUNCTION misses its closing brace at EOF)
NEURON {
    SUFFIX badverbatim
    RANGE a
}

PARAMETER {
    a = 1
}

FUNCTION f() {
VERBATIM
    return 1.0;
}
