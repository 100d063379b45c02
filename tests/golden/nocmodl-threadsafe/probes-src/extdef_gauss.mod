: call to gauss (a NEURON function nocmodl lists as not thread safe)
NEURON { SUFFIX e_gauss RANGE x }
ASSIGNED { x }
INITIAL { x = gauss(1, 2 ) }
