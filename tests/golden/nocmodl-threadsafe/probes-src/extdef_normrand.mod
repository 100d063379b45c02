: call to normrand (a NEURON function nocmodl lists as not thread safe)
NEURON { SUFFIX e_normrand RANGE x }
ASSIGNED { x }
INITIAL { x = normrand(1, 2 ) }
