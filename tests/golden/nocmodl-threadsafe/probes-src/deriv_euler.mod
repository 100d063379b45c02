: DERIVATIVE solved in BREAKPOINT with METHOD euler
NEURON { SUFFIX d_euler }
STATE { s }
BREAKPOINT { SOLVE st METHOD euler }
DERIVATIVE st { s' = -s }
