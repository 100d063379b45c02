: GLOBAL assigned by a plain statement inside a NONLINEAR block (solved in INITIAL)
NEURON { SUFFIX gnl GLOBAL g }
PARAMETER { g = 1 }
STATE { s }
INITIAL { SOLVE eq }
NONLINEAR eq { g = 2  ~ s*s = g }
