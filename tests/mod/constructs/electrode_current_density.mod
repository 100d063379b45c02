: Tests ELECTRODE_CURRENT in a density mechanism (SUFFIX) together with NONSPECIFIC_CURRENT.
NEURON {
    SUFFIX electrodedens
    ELECTRODE_CURRENT ie
    NONSPECIFIC_CURRENT il
    RANGE amp, ie, il
}

UNITS {
    (mA) = (milliamp)
}

PARAMETER {
    amp = 0.001 (mA/cm2)
}

ASSIGNED {
    ie (mA/cm2)
    il (mA/cm2)
}

BREAKPOINT {
    ie = amp
    il = 0
}
