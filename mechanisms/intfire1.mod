TITLE intfire1.mod   leaky integrate-and-fire artificial cell

COMMENT
Event-driven leaky integrator as NEURON's built-in ARTIFICIAL_CELL
IntFire1. The state m decays towards 0 with time constant tau and is
evaluated analytically only when an event arrives; an input of weight w
adds w to m. When m exceeds 1 the cell fires (net_event) and is
refractory for refrac ms, during which inputs are ignored; afterwards
m restarts at 0. For plotting, M() returns the present value of m, or
2 during the first 0.5 ms of the refractory period and -1 for the rest.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL IntFire1
    RANGE tau, refrac, m
    THREADSAFE
}

PARAMETER {
    tau    = 10 (ms)   : membrane time constant
    refrac = 5  (ms)   : refractory period
}

ASSIGNED {
    m                 : "membrane potential", threshold 1 (dimensionless)
    t0         (ms)   : time at which m was last updated
    refractory        : 0 integrating inputs, 1 refractory (dimensionless)
}

INITIAL {
    m = 0
    t0 = t
    refractory = 0
}

FUNCTION M() {
    if (refractory == 0) {
        M = m*exp(-(t - t0)/tau)
    } else if (refractory == 1) {
        if (t - t0 < 0.5) {
            M = 2
        } else {
            M = -1
        }
    }
}

NET_RECEIVE(w) {
    if (refractory == 0) {
        : decay m to the present time, then add the input
        m = m*exp(-(t - t0)/tau)
        t0 = t
        m = m + w
        if (m > 1) {
            refractory = 1
            m = 2
            net_send(refrac, refractory)
            net_event(t)
        }
    } else if (flag == 1) {
        : end of the refractory period
        t0 = t
        refractory = 0
        m = 0
    }
}
