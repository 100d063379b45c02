: Tests THREADSAFE followed by a list of GLOBAL names that may be assigned (THREADSAFE name, name).
NEURON {
    SUFFIX tsnames
    GLOBAL ga, gb
    RANGE r
    THREADSAFE ga, gb
}

ASSIGNED {
    ga
    gb
    r
}

INITIAL {
    ga = 1
    gb = 2
    r = ga + gb
}
