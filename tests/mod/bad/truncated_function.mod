: expect error at 13:0 (file ends inside the FUNCTION expression)
NEURON {
    SUFFIX truncfunc
    RANGE a
}

ASSIGNED {
    a
}

FUNCTION f(x) {
    f = x*
