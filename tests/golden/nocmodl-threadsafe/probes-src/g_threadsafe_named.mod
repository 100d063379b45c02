: two GLOBALs assigned, THREADSAFE lists only one
NEURON { SUFFIX gtn THREADSAFE g GLOBAL g, h }
PARAMETER { g = 1 h = 1 }
INITIAL { g = 2 h = 3 }
