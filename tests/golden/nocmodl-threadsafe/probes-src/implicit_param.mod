: PARAMETER not listed RANGE or GLOBAL (implicitly GLOBAL), assigned
NEURON { SUFFIX ip }
PARAMETER { p = 1 }
INITIAL { p = 2 }
