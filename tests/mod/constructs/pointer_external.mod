: Tests POINTER, BBCOREPOINTER and EXTERNAL declarations in the NEURON block and their use.
NEURON {
    SUFFIX ptrext
    THREADSAFE
    POINTER vpre, gref
    BBCOREPOINTER rng
    EXTERNAL gbar_other, scale_other
    RANGE x, y
}

UNITS {
    (mV) = (millivolt)
}

ASSIGNED {
    x
    y
    vpre (mV)
    gref
    rng
}

INITIAL {
    x = 0
    y = 0
}

BREAKPOINT {
    x = vpre*gref + gbar_other
    y = scale_other*x
}

VERBATIM
static void bbcore_write(double* dArray, int* iArray, int* doffset, int* ioffset, _threadargsproto_) {}
static void bbcore_read(double* dArray, int* iArray, int* doffset, int* ioffset, _threadargsproto_) {}
ENDVERBATIM
