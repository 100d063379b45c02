: GLOBAL assigned in INITIAL only
NEURON { SUFFIX gi GLOBAL g }
PARAMETER { g = 1 }
INITIAL { g = 2 }
