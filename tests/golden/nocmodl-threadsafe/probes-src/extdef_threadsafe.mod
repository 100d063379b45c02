: exprand with THREADSAFE
NEURON { SUFFIX ets THREADSAFE RANGE x }
ASSIGNED { x }
INITIAL { x = exprand(1) }
