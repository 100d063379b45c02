: LINEAR solved in BREAKPOINT
NEURON { SUFFIX lib }
STATE { s }
BREAKPOINT { SOLVE eq }
LINEAR eq { ~ 2*s = 4 }
