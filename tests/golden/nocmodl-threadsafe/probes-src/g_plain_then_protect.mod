: GLOBAL assigned without PROTECT first, then under PROTECT
NEURON { SUFFIX gtp GLOBAL g }
PARAMETER { g = 1 }
INITIAL { g = 3 }
BREAKPOINT { PROTECT g = g + 1 }
