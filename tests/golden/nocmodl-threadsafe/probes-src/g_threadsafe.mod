: GLOBAL assigned, THREADSAFE without names
NEURON { SUFFIX gts THREADSAFE GLOBAL g }
PARAMETER { g = 1 }
INITIAL { g = 2 }
