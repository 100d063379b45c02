: FUNCTION argument with the same name as a GLOBAL, assigned
NEURON { SUFFIX gas GLOBAL g }
PARAMETER { g = 1 }
FUNCTION f(g) { g = 2  f = g }
