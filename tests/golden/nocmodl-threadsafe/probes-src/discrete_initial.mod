: DISCRETE solved in INITIAL
NEURON { SUFFIX dsi }
STATE { s }
INITIAL { SOLVE d }
DISCRETE d { s = s@1 + 1 }
