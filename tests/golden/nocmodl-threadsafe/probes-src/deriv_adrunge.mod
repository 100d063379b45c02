: DERIVATIVE solved in BREAKPOINT with METHOD adrunge
NEURON { SUFFIX d_adrunge }
STATE { s }
BREAKPOINT { SOLVE st METHOD adrunge }
DERIVATIVE st { s' = -s }
