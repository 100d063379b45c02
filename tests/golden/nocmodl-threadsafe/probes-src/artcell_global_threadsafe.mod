: ARTIFICIAL_CELL assigning a GLOBAL, with THREADSAFE (per-thread global copy)
NEURON { ARTIFICIAL_CELL agt THREADSAFE GLOBAL g }
PARAMETER { g = 0 }
NET_RECEIVE(w) { g = w }
