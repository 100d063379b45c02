: NONLINEAR block never SOLVEd
NEURON { SUFFIX nlu }
STATE { s }
NONLINEAR eq { ~ s*s = 4 }
