: top-level LOCAL assigned
NEURON { SUFFIX tl }
LOCAL q
INITIAL { q = 2 }
