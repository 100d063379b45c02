: call to exprand (a NEURON function nocmodl lists as not thread safe)
NEURON { SUFFIX e_exprand RANGE x }
ASSIGNED { x }
INITIAL { x = exprand(1 ) }
