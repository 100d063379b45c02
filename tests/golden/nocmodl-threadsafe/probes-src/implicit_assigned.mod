: ASSIGNED not listed RANGE or GLOBAL, assigned
NEURON { SUFFIX ia }
ASSIGNED { a }
INITIAL { a = 2 }
