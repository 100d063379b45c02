: GLOBAL assigned in a DERIVATIVE block
NEURON { SUFFIX gd GLOBAL g }
PARAMETER { g = 1 }
STATE { s }
BREAKPOINT { SOLVE st METHOD cnexp }
DERIVATIVE st { g = 2  s' = -s*g }
