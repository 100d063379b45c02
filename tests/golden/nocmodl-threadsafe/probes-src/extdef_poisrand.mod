: call to poisrand (a NEURON function nocmodl lists as not thread safe)
NEURON { SUFFIX e_poisrand RANGE x }
ASSIGNED { x }
INITIAL { x = poisrand(1 ) }
