: GLOBAL assigned under PROTECT and also without it
NEURON { SUFFIX gpp GLOBAL g }
PARAMETER { g = 1 }
INITIAL { PROTECT g = g + 1 }
BREAKPOINT { g = 3 }
