: Tests NET_RECEIVE: several arguments with units, INITIAL inside it, flag, net_send, net_event, net_move, WATCH with several conditions, FOR_NETCONS.
NEURON {
    POINT_PROCESS NetRecTest
    RANGE tau, e, i, vth, nspike
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 2 (ms) <1e-9, 1e9>
    e = 0 (mV)
    vth = -20 (mV)
    refrac = 5 (ms)
}

ASSIGNED {
    v (mV)
    i (nA)
    nspike
    tpending (ms)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
    nspike = 0
    tpending = -1
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE (weight (uS), tlast (ms), count) {
    INITIAL {
        tlast = -1e9
        count = 0
    }
    if (flag == 0) {
        : an external event from a NetCon
        g = g + weight
        count = count + 1
        tlast = t
        if (tpending > t) {
            net_move(t + 0.5)
        } else {
            tpending = t + 0.5
            net_send(0.5, 4)
        }
    } else if (flag == 1) {
        WATCH (v > vth) 2, (v < vth - 10 (mV)) 3
        WATCH (g*(1 (mV)/(1 (uS))) > 5 (mV)) 5
    } else if (flag == 2) {
        nspike = nspike + 1
        net_event(t)
        FOR_NETCONS(w, tl, c) {
            tl = t
            c = c + 1
        }
    } else if (flag == 3) {
        net_send(refrac, 1)
    } else if (flag == 4) {
        tpending = -1
    }
}
