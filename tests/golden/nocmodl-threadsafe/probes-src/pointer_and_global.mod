: POINTER plus an assigned GLOBAL plus VERBATIM: all notices and their order
NEURON { SUFFIX pag GLOBAL g POINTER pp }
ASSIGNED { pp g }
INITIAL { g = 1
VERBATIM
ENDVERBATIM
}
