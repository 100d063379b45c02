: GLOBAL assigned in a KINETIC block (METHOD sparse)
NEURON { SUFFIX gk GLOBAL g }
PARAMETER { g = 1 }
STATE { a b }
BREAKPOINT { SOLVE k METHOD sparse }
KINETIC k { g = 2  ~ a <-> b (g, 1) }
