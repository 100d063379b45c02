: GLOBAL assigned, THREADSAFE at the end of the NEURON block
NEURON { SUFFIX gtl GLOBAL g THREADSAFE }
PARAMETER { g = 1 }
INITIAL { g = 2 }
