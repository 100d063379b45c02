: SOLVE ... STEADYSTATE derivimplicit in BREAKPOINT
NEURON { SUFFIX dsb }
STATE { s }
BREAKPOINT { SOLVE st STEADYSTATE derivimplicit }
DERIVATIVE st { s' = 1 - s }
