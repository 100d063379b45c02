: STATE assigned in NET_RECEIVE with METHOD euler (CVODE allowed): no notice
NEURON { POINT_PROCESS nsa }
STATE { s }
BREAKPOINT { SOLVE st METHOD euler }
DERIVATIVE st { s' = -s }
NET_RECEIVE(w) { s = s + w }
