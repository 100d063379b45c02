: DERIVATIVE solved in BREAKPOINT with METHOD derivimplicit
NEURON { SUFFIX d_derivimplicit }
STATE { s }
BREAKPOINT { SOLVE st METHOD derivimplicit }
DERIVATIVE st { s' = -s }
