: syntax error after a POINTER notice
NEURON { SUFFIX se POINTER pp }
ASSIGNED { pp }
INITIAL { pp = = 1 }
