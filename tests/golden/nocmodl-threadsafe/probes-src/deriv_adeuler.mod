: DERIVATIVE solved in BREAKPOINT with METHOD adeuler
NEURON { SUFFIX d_adeuler }
STATE { s }
BREAKPOINT { SOLVE st METHOD adeuler }
DERIVATIVE st { s' = -s }
