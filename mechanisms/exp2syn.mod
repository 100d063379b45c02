TITLE exp2syn.mod   synapse with dual-exponential conductance

COMMENT
Conductance-based synapse as NEURON's built-in point process Exp2Syn.
The conductance is the difference of two exponentials,
    g = B - A,   A' = -A/tau1,   B' = -B/tau2,
with rise time tau1 < decay time tau2 and current i = g*(v - e).
An event of weight w adds w*factor to both A and B; factor is chosen in
INITIAL so that a single event of weight w gives a peak conductance of
exactly w, reached at
    tp = tau1*tau2/(tau2 - tau1) * log(tau2/tau1).
INITIAL keeps tau1/tau2 within [1e-9, 0.9999] (adjusting tau1) so that
the two time constants never coincide. Integrated with cnexp.
ENDCOMMENT

NEURON {
    POINT_PROCESS Exp2Syn
    RANGE tau1, tau2, e, i
    NONSPECIFIC_CURRENT i
    RANGE g
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.1 (ms) <1e-9,1e9>   : rise time constant
    tau2 = 10  (ms) <1e-9,1e9>   : decay time constant
    e    = 0   (mV)              : reversal potential
}

ASSIGNED {
    v      (mV)
    i      (nA)
    g      (uS)
    factor        : peak normalisation (dimensionless)
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tp
    if (tau1/tau2 > 0.9999) {
        tau1 = 0.9999*tau2
    }
    if (tau1/tau2 < 1e-9) {
        tau1 = tau2*1e-9
    }
    A = 0
    B = 0
    tp = (tau1*tau2)/(tau2 - tau1) * log(tau2/tau1)
    factor = -exp(-tp/tau1) + exp(-tp/tau2)
    factor = 1/factor
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    g = B - A
    i = g*(v - e)
}

DERIVATIVE state {
    A' = -A/tau1
    B' = -B/tau2
}

NET_RECEIVE(weight (uS)) {
    A = A + weight*factor
    B = B + weight*factor
}
