: GLOBAL assigned only under PROTECT
NEURON { SUFFIX gpr GLOBAL g }
PARAMETER { g = 1 }
INITIAL { PROTECT g = g + 1 }
