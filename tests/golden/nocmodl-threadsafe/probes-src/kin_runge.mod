: KINETIC solved in BREAKPOINT with METHOD runge
NEURON { SUFFIX k_runge }
STATE { a b }
BREAKPOINT { SOLVE k METHOD runge }
KINETIC k { ~ a <-> b (1, 1) }
