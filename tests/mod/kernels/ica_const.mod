: Helper for the capool_di golden data: imposes a constant calcium current density.
NEURON {
    SUFFIX ica_const
    USEION ca WRITE ica
    RANGE amp
    THREADSAFE
}

UNITS {
    (mA) = (milliamp)
}

PARAMETER {
    amp = 0 (mA/cm2)
}

ASSIGNED {
    ica (mA/cm2)
}

BREAKPOINT {
    ica = amp
}
