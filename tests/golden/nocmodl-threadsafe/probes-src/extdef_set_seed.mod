: call to set_seed (a NEURON function nocmodl lists as not thread safe)
NEURON { SUFFIX e_set_seed RANGE x }
ASSIGNED { x }
INITIAL { x = set_seed(1 ) }
