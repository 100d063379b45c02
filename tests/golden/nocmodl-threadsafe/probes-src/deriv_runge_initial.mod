: DERIVATIVE METHOD runge solved in INITIAL only
NEURON { SUFFIX dri }
STATE { s }
INITIAL { SOLVE st METHOD runge }
DERIVATIVE st { s' = -s }
