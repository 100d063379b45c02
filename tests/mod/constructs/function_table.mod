: Tests FUNCTION_TABLE declarations (one- and two-argument, with argument and return units) and their calls.
NEURON {
    SUFFIX functable
    RANGE y
}

UNITS {
    (mV) = (millivolt)
}

ASSIGNED {
    v (mV)
    y
}

FUNCTION_TABLE tau1(v (mV)) (ms)
FUNCTION_TABLE inf2(v (mV), x)

BREAKPOINT {
    y = tau1(v)/(1 (ms)) + inf2(v, 0.5)
}
