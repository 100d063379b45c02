: NONLINEAR solved in INITIAL only
NEURON { SUFFIX nli }
STATE { s }
INITIAL { SOLVE eq }
NONLINEAR eq { ~ s*s = 4 }
