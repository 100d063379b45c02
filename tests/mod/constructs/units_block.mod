: Tests the UNITS block: unit aliases, physical-constant factors, numeric factors and '->' conversion factors.
NEURON {
    SUFFIX unitsblk
    RANGE x, y, z
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (um) = (micron)
    (mM) = (milli/liter)
    (molar) = (1/liter)
    (S) = (siemens)
    (per_ms) = (/ms)
    (um2) = (micron2)
    FARADAY = (faraday) (coulomb)
    R = (k-mole) (joule/degC)
    F2 = 96485.3 (coulomb)
    PI = 3.14159 (1)
    e0 = 1.6e-19 (coulomb)
    foot2inch = (foot) -> (inch)
    mum2cm = (micron) -> (cm)
}

PARAMETER {
    celsius (degC)
}

ASSIGNED {
    x (coulomb)
    y (joule)
    z (1)
}

INITIAL {
    x = FARADAY
    y = R*(celsius + 273.15)
    z = foot2inch*mum2cm*PI
}
