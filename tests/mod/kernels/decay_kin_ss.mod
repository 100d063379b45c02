: decay_kin.mod with its steady state found in INITIAL (SOLVE ... STEADYSTATE sparse), where
: NEURON takes up to seven single steps before iterating because the scheme is non-linear.
: One-way reactions in a KINETIC scheme: A <-> B, B lost at kdeg (~ B -> (kdeg)), A and B
: annihilating each other (~ A + B -> (kann), which makes the scheme non-linear, so the
: sparse Newton iterates), and a constant source into A (~ A << (src)).
: Golden data: tests/golden/neuron-kernels/ (scripts/gen-neuron-kernels-golden.py).
NEURON {
    SUFFIX decay_kin_ss
    RANGE kf, kb, kdeg, kann, src
    THREADSAFE
}

PARAMETER {
    kf = 0.3 (/ms)
    kb = 0.1 (/ms)
    kdeg = 0.05 (/ms)
    kann = 2 (/ms)
    src = 0.002 (/ms)
}

STATE { A B }

INITIAL {
    A = 1
    B = 0.2
    SOLVE scheme STEADYSTATE sparse
}

BREAKPOINT {
    SOLVE scheme METHOD sparse
}

KINETIC scheme {
    ~ A <-> B (kf, kb)
    ~ B -> (kdeg)
    ~ A + B -> (kann)
    ~ A << (src)
}
