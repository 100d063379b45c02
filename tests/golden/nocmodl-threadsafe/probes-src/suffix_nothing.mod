: SUFFIX nothing
NEURON { SUFFIX nothing }
FUNCTION f(x) { f = 2*x }
