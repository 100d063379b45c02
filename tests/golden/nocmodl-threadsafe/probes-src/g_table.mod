: GLOBAL listed in TABLE, assigned in the tabulated PROCEDURE
NEURON { SUFFIX gtb GLOBAL minf }
ASSIGNED { minf v (mV) }
BREAKPOINT { rates(v) }
PROCEDURE rates(v) { TABLE minf FROM -100 TO 100 WITH 10  minf = v }
