: Tests KINETIC with stoichiometric coefficients on both sides (2A, 2Z, 2Y, 2X) and in CONSERVE (A + 2B).
NEURON {
    SUFFIX kinstoich
    RANGE kon, koff
}

PARAMETER {
    kon = 2 (/ms)
    koff = 0.5 (/ms)
}

STATE {
    A
    B
    X
    Y
    Z
}

INITIAL {
    A = 1
    B = 0
    X = 0.5
    Y = 0.5
    Z = 0
}

BREAKPOINT {
    SOLVE dimer METHOD sparse
}

KINETIC dimer {
    ~ 2A <-> B (kon, koff)
    ~ X + Y <-> 2Z (kon*0.1, koff*0.1)
    ~ X + 2Y <-> Y + 2X (kon*0.01, koff*0.01)
    CONSERVE A + 2B = 1
    CONSERVE X + Y + Z = 1
}
