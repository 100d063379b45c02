: GLOBAL assigned in several places: one notice
NEURON { SUFFIX gtw GLOBAL g }
PARAMETER { g = 1 }
INITIAL { g = 2 }
BREAKPOINT { g = 3 }
PROCEDURE p() { g = 4 }
