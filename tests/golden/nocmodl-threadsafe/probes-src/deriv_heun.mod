: DERIVATIVE solved in BREAKPOINT with METHOD heun
NEURON { SUFFIX d_heun }
STATE { s }
BREAKPOINT { SOLVE st METHOD heun }
DERIVATIVE st { s' = -s }
