: Tests UNITSOFF/UNITSON at top level (around whole blocks) and inside blocks.
NEURON {
    SUFFIX unitsonoff
    RANGE y, z
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    k = 5 (mV)
}

ASSIGNED {
    v (mV)
    y
    z (mV)
}

UNITSOFF
FUNCTION lin(x) {
    lin = x/(1 - exp(-x))
}

PROCEDURE setz(v) {
    z = v + 3
}
UNITSON

BREAKPOINT {
    UNITSOFF
    y = lin(v/k) + v
    UNITSON
    setz(v)
    if (y > 0) {
        UNITSOFF
        z = z + 1
        UNITSON
    }
}

UNITSOFF

INITIAL {
    y = 0
    z = 1
}

UNITSON
