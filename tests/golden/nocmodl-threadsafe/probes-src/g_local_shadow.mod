: LOCAL with the same name as a GLOBAL, assigned
NEURON { SUFFIX gls GLOBAL g }
PARAMETER { g = 1 }
INITIAL { LOCAL g  g = 2 }
