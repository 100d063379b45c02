: Tests the LAG statement: LAG name BY name (a delayed copy of a variable).
NEURON {
    SUFFIX lagtest
    RANGE delay, out
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    delay = 2 (ms)
}

ASSIGNED {
    v (mV)
    out (mV)
}

BREAKPOINT {
    LAG v BY delay
    out = lag_v_delay
}
