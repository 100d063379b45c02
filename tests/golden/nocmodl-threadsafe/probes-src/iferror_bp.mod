: SOLVE ... METHOD cnexp IFERROR { } in BREAKPOINT (nonempty handler)
NEURON { SUFFIX ieb RANGE n }
STATE { s }
ASSIGNED { n }
BREAKPOINT { SOLVE st METHOD cnexp IFERROR { n = n + 1 } }
DERIVATIVE st { s' = -s }
