: DERIVATIVE solved in BREAKPOINT with METHOD gear
NEURON { SUFFIX d_gear }
STATE { s }
BREAKPOINT { SOLVE st METHOD gear }
DERIVATIVE st { s' = -s }
