TITLE expsyn.mod   synapse with single-exponential conductance decay

COMMENT
Conductance-based synapse as NEURON's built-in point process ExpSyn:
each incoming event adds its weight (uS) to g, which then decays as
g' = -g/tau; the current is i = g*(v - e). Integrated with cnexp.
ENDCOMMENT

NEURON {
    POINT_PROCESS ExpSyn
    RANGE tau, e, i
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 0.1 (ms) <1e-9,1e9>   : decay time constant
    e   = 0   (mV)              : reversal potential
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE(weight (uS)) {
    g = g + weight
}
