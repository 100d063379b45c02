: ARTIFICIAL_CELL assigning an unlisted PARAMETER (silently per-thread)
NEURON { ARTIFICIAL_CELL aip }
PARAMETER { p = 0 }
NET_RECEIVE(w) { p = w }
