: DERIVATIVE solved in BREAKPOINT with METHOD clsoda
NEURON { SUFFIX d_clsoda }
STATE { s }
BREAKPOINT { SOLVE st METHOD clsoda }
DERIVATIVE st { s' = -s }
