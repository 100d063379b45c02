: state_discontinuity outside NET_RECEIVE (in a PROCEDURE SOLVEd in BREAKPOINT), then CVODE and GLOBAL notices follow
NEURON { POINT_PROCESS sdm GLOBAL g }
STATE { s }
PARAMETER { g = 0 }
BREAKPOINT { SOLVE p }
PROCEDURE p() { state_discontinuity(s, 1)  g = 1 }
