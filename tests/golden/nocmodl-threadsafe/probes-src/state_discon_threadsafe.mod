: state_discontinuity outside NET_RECEIVE with THREADSAFE
NEURON { SUFFIX sdt THREADSAFE }
STATE { s }
INITIAL { state_discontinuity(s, 1) }
