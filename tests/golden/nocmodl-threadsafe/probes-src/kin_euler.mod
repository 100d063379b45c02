: KINETIC solved in BREAKPOINT with METHOD euler
NEURON { SUFFIX k_euler }
STATE { a b }
BREAKPOINT { SOLVE k METHOD euler }
KINETIC k { ~ a <-> b (1, 1) }
