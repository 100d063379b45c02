: Kinetic calcium buffer with COMPARTMENT volumes and CONSERVE, METHOD sparse.
: ca is a plain STATE here (no USEION). The free calcium lives in a compartment of
: volume diam*diam, the buffer (B, CaB) in a smaller one, bfrac*diam*diam, so the
: compartment sizes change the dynamics. With COMPARTMENT, a reaction's flux is an amount
: per time, so the rate constants are multiplied by the volume the reaction happens in
: (as in NEURON's cdp examples): ca' = -bfrac*(kon*ca*B - koff*CaB),
: B' = -(kon*ca*B - koff*CaB), CaB' = kon*ca*B - koff*CaB.
: nocmodl weights each term of a CONSERVE statement by its state's compartment volume
: (the equation it builds is bfrac*diam*diam*(B + CaB) = right-hand side), so the
: right-hand side is an amount, Btot times the buffer volume; modlunit agrees.
: Golden data: tests/golden/neuron-kernels/ (scripts/gen-neuron-kernels-golden.py).
NEURON {
    SUFFIX cabuf
    RANGE kon, koff, Btot, bfrac, ca0
    THREADSAFE
}

UNITS {
    (mM) = (milli/liter)
    (um) = (micron)
}

PARAMETER {
    kon = 50 (/mM-ms)
    koff = 0.05 (/ms)
    Btot = 0.01 (mM)
    bfrac = 0.5 (1)
    ca0 = 1e-3 (mM)
}

ASSIGNED {
    diam (um)
}

STATE {
    ca (mM)
    B (mM)
    CaB (mM)
}

INITIAL {
    ca = ca0
    B = Btot
    CaB = 0
}

BREAKPOINT {
    SOLVE kin METHOD sparse
}

KINETIC kin {
    COMPARTMENT diam*diam {ca}
    COMPARTMENT bfrac*diam*diam {B CaB}
    ~ ca + B <-> CaB (kon*bfrac*diam*diam, koff*bfrac*diam*diam)
    CONSERVE B + CaB = Btot*bfrac*diam*diam
}
