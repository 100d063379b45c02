: Tests a density mechanism reading through a POINTER in a vector kernel: copy is the
: value src points at, as the current computation sees it (the step's starting v).
NEURON {
    SUFFIX vcopy
    POINTER src
    RANGE copy
    THREADSAFE
}

ASSIGNED {
    src (mV)
    copy (mV)
}

BREAKPOINT {
    copy = src
}
