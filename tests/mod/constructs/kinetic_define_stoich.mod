: Tests a DEFINEd name used as a stoichiometric coefficient in a KINETIC reaction (~ NST A <-> B) and in CONSERVE.
DEFINE NST 2

NEURON {
    SUFFIX kindefstoich
}

STATE {
    A
    B
}

INITIAL {
    A = 1
    B = 0
}

BREAKPOINT {
    SOLVE kin METHOD sparse
}

KINETIC kin {
    ~ NST A <-> B (1, 0.5)
    CONSERVE A + NST B = 1
}
