: Tests the CONDUCTANCE hint in BREAKPOINT, with USEION and without (for a NONSPECIFIC_CURRENT).
NEURON {
    SUFFIX condhint
    USEION na READ ena WRITE ina
    NONSPECIFIC_CURRENT il
    RANGE gna, gl, el
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gna = 0.12 (S/cm2)
    gl = 0.0003 (S/cm2)
    el = -54 (mV)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    il (mA/cm2)
}

BREAKPOINT {
    CONDUCTANCE gna USEION na
    CONDUCTANCE gl
    ina = gna*(v - ena)
    il = gl*(v - el)
}
