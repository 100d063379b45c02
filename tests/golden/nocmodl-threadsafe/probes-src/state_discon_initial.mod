: state_discontinuity outside NET_RECEIVE (in INITIAL)
NEURON { SUFFIX sdi }
STATE { s }
INITIAL { state_discontinuity(s, 1) }
