: exprand called three times, once in an uncalled FUNCTION
NEURON { SUFFIX etw RANGE x }
ASSIGNED { x }
INITIAL { x = exprand(1) + exprand(2) }
FUNCTION f() { f = exprand(3) }
