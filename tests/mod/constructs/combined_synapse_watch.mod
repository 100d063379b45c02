: Combined: dual-exponential synapse with short-term depression, spike detection via WATCH, self-events and per-stream state (NET_RECEIVE + WATCH + FOR_NETCONS + net_event).
TITLE Depressing dual-exponential synapse with threshold WATCH

NEURON {
    POINT_PROCESS DepSynWatch
    RANGE tau1, tau2, e, i, g, U, tau_rec, thresh, nfire
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.2 (ms) <1e-9, 1e9>
    tau2 = 3 (ms) <1e-9, 1e9>
    e = 0 (mV)
    U = 0.5 <0, 1>
    tau_rec = 200 (ms) <1e-9, 1e9>
    thresh = -10 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor
    nfire
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
    tp = (tau1*tau2)/(tau2 - tau1)*log(tau2/tau1)
    factor = -exp(-tp/tau1) + exp(-tp/tau2)
    factor = 1/factor
    nfire = 0
    net_send(0, 1)
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

NET_RECEIVE (weight (uS), R, tlast (ms)) {
    LOCAL amp
    INITIAL {
        R = 1
        tlast = t
    }
    if (flag == 0) {
        R = 1 - (1 - R)*exp(-(t - tlast)/tau_rec)
        amp = weight*factor*U*R
        R = R - U*R
        tlast = t
        A = A + amp
        B = B + amp
    } else if (flag == 1) {
        WATCH (v > thresh) 2, (v < thresh - 5) 3
    } else if (flag == 2) {
        nfire = nfire + 1
        net_event(t)
        FOR_NETCONS(w, r, tl) {
            r = r*0.99
        }
    }
}
