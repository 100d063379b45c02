: Point process with a WATCH: when v rises above thresh it sends itself flag 2, counts the
: crossing and emits a spike; an input event (flag 0) adds w to an exponentially decaying
: conductance (like ExpSyn).
: Golden data: tests/golden/neuron-kernels/ (scripts/gen-neuron-kernels-golden.py).
NEURON {
    POINT_PROCESS watch_syn
    RANGE tau, e, i, g, thresh, ncross, tcross
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 2 (ms) <1e-9, 1e9>
    e = 0 (mV)
    thresh = -20 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    ncross
    tcross (ms)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
    ncross = 0
    tcross = -1
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE (w (uS)) {
    if (flag == 0) {
        g = g + w
    } else if (flag == 1) {
        WATCH (v > thresh) 2
    } else if (flag == 2) {
        ncross = ncross + 1
        tcross = t
        net_event(t)
    }
}
