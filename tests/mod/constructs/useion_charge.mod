: Tests CHARGE, nocmodl's synonym for VALENCE in USEION (positive and negative).
NEURON {
    SUFFIX useioncharge
    USEION ca READ cai CHARGE 2
    USEION cl READ cli CHARGE -1
    RANGE y
}

ASSIGNED {
    cai (mM)
    cli (mM)
    y
}

INITIAL {
    y = cai + cli
}
