: two PROCEDURE SOLVEs in BREAKPOINT: CVODE notice printed once
NEURON { SUFFIX pst RANGE n }
ASSIGNED { n }
BREAKPOINT { SOLVE p  SOLVE q }
PROCEDURE p() { n = 1 }
PROCEDURE q() { n = 2 }
