: call to scop_random (a NEURON function nocmodl lists as not thread safe)
NEURON { SUFFIX e_scop_random RANGE x }
ASSIGNED { x }
INITIAL { x = scop_random(1 ) }
