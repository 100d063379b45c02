: KINETIC solved in BREAKPOINT without METHOD
NEURON { SUFFIX k_nomethod }
STATE { a b }
BREAKPOINT { SOLVE k }
KINETIC k { ~ a <-> b (1, 1) }
