: GLOBAL array element assigned
NEURON { SUFFIX ga GLOBAL g }
ASSIGNED { g[3] }
INITIAL { g[1] = 2 }
