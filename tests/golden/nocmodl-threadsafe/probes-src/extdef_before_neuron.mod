: exprand in a FUNCTION before a NEURON block that has THREADSAFE
FUNCTION f() { f = exprand(3) }
NEURON { SUFFIX ebn THREADSAFE }
