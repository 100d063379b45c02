: VERBATIM only inside an INCLUDEd file
NEURON { SUFFIX vinc }
INCLUDE "inc/verb_include.inc"
