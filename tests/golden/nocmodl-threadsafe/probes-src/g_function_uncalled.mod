: GLOBAL assigned in a FUNCTION that is never called
NEURON { SUFFIX gf GLOBAL g }
PARAMETER { g = 1 }
FUNCTION f(x) { g = x  f = x }
