: ARTIFICIAL_CELL with a top-level LOCAL and a POINTER: the ARTIFICIAL_CELL notice needs vectorize still on
NEURON { ARTIFICIAL_CELL atp POINTER pp }
LOCAL q
ASSIGNED { pp }
NET_RECEIVE(w) { q = w }
