: expect error at 9:6 (unit text left open on line 8; nocmodl reports 8:13, no closing paren on the line)
NEURON {
    SUFFIX badunit
    RANGE a, b
}

PARAMETER {
    a = 1 (mV
    b = 2 (mV)
}
