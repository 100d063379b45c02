: SOLVE of a PROCEDURE in BREAKPOINT with METHOD after_cvode
NEURON { SUFFIX ps_after_cvode RANGE n }
ASSIGNED { n }
BREAKPOINT { SOLVE p METHOD after_cvode }
PROCEDURE p() { n = 1 }
