: Tests a POINT_PROCESS: point current in nA, RANGE/GLOBAL parameters, area/diam access, USEION in a point process.
NEURON {
    POINT_PROCESS PointTest
    USEION ca READ cai
    RANGE del, dur, amp, gmax, i, g
    GLOBAL vhalf
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
    (mM) = (milli/liter)
}

PARAMETER {
    del = 10 (ms)
    dur = 50 (ms) <0, 1e9>
    amp = 0.1 (nA)
    gmax = 0.001 (uS)
    vhalf = -20 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    cai (mM)
    area (um2)
    diam (um)
}

INITIAL {
    g = 0
    i = 0
}

BREAKPOINT {
    if (t >= del && t < del + dur) {
        g = gmax/(1 + exp(-(v - vhalf)/5 (mV)))
    } else {
        g = 0
    }
    i = g*(v - 0 (mV)) - amp*(diam/diam)*(area/area)*(1 + cai/(1 (mM)))
}
