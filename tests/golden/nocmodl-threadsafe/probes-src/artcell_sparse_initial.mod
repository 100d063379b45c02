: ARTIFICIAL_CELL with KINETIC STEADYSTATE sparse in INITIAL (sparse thread data)
NEURON { ARTIFICIAL_CELL asi }
STATE { a b }
INITIAL { SOLVE k STEADYSTATE sparse }
KINETIC k { ~ a <-> b (1, 1) }
NET_RECEIVE(w) { net_event(t) }
