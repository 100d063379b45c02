: VERBATIM inside a FUNCTION body, after an assigned GLOBAL and an exprand call
NEURON { SUFFIX vif GLOBAL g }
PARAMETER { g = 1 }
INITIAL { g = exprand(1) }
FUNCTION f() {
VERBATIM
 _lf = 1;
ENDVERBATIM
}
