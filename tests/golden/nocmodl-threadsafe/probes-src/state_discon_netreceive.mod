: state_discontinuity inside NET_RECEIVE
NEURON { POINT_PROCESS sdn }
STATE { s }
BREAKPOINT { SOLVE st METHOD cnexp }
DERIVATIVE st { s' = -s }
NET_RECEIVE(w) { state_discontinuity(s, s + w) }
