: GLOBAL assigned only inside an INCLUDEd PROCEDURE
NEURON { SUFFIX ginc GLOBAL g }
PARAMETER { g = 1 }
INCLUDE "inc/g_include.inc"
