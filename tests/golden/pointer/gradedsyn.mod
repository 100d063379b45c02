TITLE GradedSyn: a graded (non-spiking) chemical synapse driven by presynaptic voltage

COMMENT
A test mechanism for POINTERs in state kernels: the activation s relaxes towards a
sigmoid of the presynaptic voltage vpre (a POINTER to the presynaptic cell's v) with
time constant tau; the conductance is gmax s. A common pattern in ModelDB's
stomatogastric and leech models.
ENDCOMMENT

NEURON {
    POINT_PROCESS GradedSyn
    POINTER vpre
    RANGE gmax, e, vhalf, k, tau, g, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    gmax = 0.01 (uS)
    e = -80 (mV)
    vhalf = -35 (mV)
    k = 5 (mV)
    tau = 4 (ms)
}

ASSIGNED {
    v (mV)
    vpre (mV)
    g (uS)
    i (nA)
}

STATE { s }

INITIAL {
    s = sinf(vpre)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    g = gmax*s
    i = g*(v - e)
}

DERIVATIVE states {
    s' = (sinf(vpre) - s)/tau
}

FUNCTION sinf(vp (mV)) {
    sinf = 1/(1 + exp((vhalf - vp)/k))
}
