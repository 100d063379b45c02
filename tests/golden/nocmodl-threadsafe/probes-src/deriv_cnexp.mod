: DERIVATIVE solved in BREAKPOINT with METHOD cnexp
NEURON { SUFFIX d_cnexp }
STATE { s }
BREAKPOINT { SOLVE st METHOD cnexp }
DERIVATIVE st { s' = -s }
