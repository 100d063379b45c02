: LINEAR solved in INITIAL, twice
NEURON { SUFFIX lii }
STATE { s }
INITIAL { SOLVE eq SOLVE eq }
LINEAR eq { ~ 2*s = 4 }
