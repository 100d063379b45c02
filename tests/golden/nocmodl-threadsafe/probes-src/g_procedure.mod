: GLOBAL assigned in a PROCEDURE called from INITIAL
NEURON { SUFFIX gp GLOBAL g }
PARAMETER { g = 1 }
INITIAL { p(3) }
PROCEDURE p(x) { g = x }
