: DERIVATIVE solved in BREAKPOINT with METHOD runge
NEURON { SUFFIX d_runge }
STATE { s }
BREAKPOINT { SOLVE st METHOD runge }
DERIVATIVE st { s' = -s }
