: KINETIC solved in BREAKPOINT with METHOD sparse
NEURON { SUFFIX k_sparse }
STATE { a b }
BREAKPOINT { SOLVE k METHOD sparse }
KINETIC k { ~ a <-> b (1, 1) }
