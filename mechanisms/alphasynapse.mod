TITLE alphasynapse.mod   synapse with alpha-function conductance

COMMENT
Conductance-based synapse as NEURON's built-in point process AlphaSynapse:
a single conductance transient starting at t = onset,
    g = gmax * x * exp(1 - x),   x = (t - onset)/tau,
which peaks at gmax when t = onset + tau and is taken as 0 for x < 0 and
for x > 10. Current i = g*(v - e).
ENDCOMMENT

NEURON {
    POINT_PROCESS AlphaSynapse
    RANGE onset, tau, gmax, e, i
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    onset = 0   (ms)               : start of the conductance transient
    tau   = 0.1 (ms) <1e-3,1e6>    : time to peak
    gmax  = 0   (uS) <0,1e9>       : peak conductance
    e     = 0   (mV)               : reversal potential
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
}

BREAKPOINT {
    if (gmax) { at_time(onset) }
    g = gmax*alpha((t - onset)/tau)
    i = g*(v - e)
}

FUNCTION alpha(x) {
    if (x < 0 || x > 10) {
        alpha = 0
    } else {
        alpha = x*exp(1 - x)
    }
}
