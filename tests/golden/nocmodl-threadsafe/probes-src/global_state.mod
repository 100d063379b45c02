: a STATE declared GLOBAL (an error reported after the thread-safety checks)
NEURON { SUFFIX gst GLOBAL s }
STATE { s }
INITIAL { s = 1 }
