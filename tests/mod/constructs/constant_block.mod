: Tests the CONSTANT block: named constants with units, negative and scientific values, used in expressions.
NEURON {
    SUFFIX constblk
    RANGE y
}

UNITS {
    (mV) = (millivolt)
}

CONSTANT {
    vrest = -65 (mV)
    ktemp = 25.69 (mV)
    small = 1e-12
    two = 2
    half = .5 (1)
    big = 6.022E+23 (/mol)
}

ASSIGNED {
    v (mV)
    y
}

BREAKPOINT {
    y = two*half*exp((v - vrest)/ktemp) + small*big/big
}
