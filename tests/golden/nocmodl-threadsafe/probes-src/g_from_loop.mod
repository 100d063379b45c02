: GLOBAL used as a FROM loop index
NEURON { SUFFIX gfl GLOBAL k }
ASSIGNED { k }
INITIAL { FROM k = 0 TO 3 { } }
