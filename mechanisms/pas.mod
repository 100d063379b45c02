TITLE pas.mod   passive leak membrane

COMMENT
Linear (ohmic) leak current, i = g*(v - e), as in NEURON's built-in
density mechanism "pas".
ENDCOMMENT

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S)  = (siemens)
}

NEURON {
    SUFFIX pas
    NONSPECIFIC_CURRENT i
    RANGE g, e
    THREADSAFE
}

PARAMETER {
    g = 0.001 (S/cm2) <0,1e9>   : leak conductance
    e = -70   (mV)              : leak reversal potential
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = g*(v - e)
}
