: ARTIFICIAL_CELL with nothing needing thread data
NEURON { ARTIFICIAL_CELL acp RANGE x }
ASSIGNED { x }
NET_RECEIVE(w) { x = w  net_event(t) }
