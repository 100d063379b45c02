: POINT_PROCESS with an unlisted PARAMETER assigned
NEURON { POINT_PROCESS ppp }
PARAMETER { p = 1 }
INITIAL { p = 2 }
