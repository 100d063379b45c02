: ARTIFICIAL_CELL with a top-level LOCAL
NEURON { ARTIFICIAL_CELL acl RANGE x }
LOCAL q
ASSIGNED { x }
NET_RECEIVE(w) { q = w  x = q }
