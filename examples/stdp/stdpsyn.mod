TITLE StdpSyn: an exponential synapse whose weights learn by spike-timing-dependent plasticity

COMMENT
A conductance synapse (g decays with tau; i = g (v - e)) whose every NetCon carries its
own plastic weight, in the style of Song, Miller & Abbott (2000) and of the STDP
synapses on ModelDB that use FOR_NETCONS. Each NetCon's weight vector is
(w, A, tpre): its fixed weight w, its learned change A, and its last presynaptic spike
time tpre. A presynaptic event (flag 0) adds w + A to g and depresses A by the time
since the last postsynaptic spike: A = A (1 - d exp((tpost - t)/dtau)). A postsynaptic
spike (v crossing -20 mV, seen by WATCH, flag 2) potentiates the A of every NetCon onto
the synapse by the time since that NetCon's last presynaptic spike:
A = A + (wmax - w - A) p exp((tpre - t)/ptau), so w + A stays below wmax.
Ranvier's examples/stdp; NEURON 8.2.2 runs the same file for the golden data
(scripts/neuron/reference_fornetcons.py).
ENDCOMMENT

NEURON {
    POINT_PROCESS StdpSyn
    RANGE tau, e, i, dtau, ptau, d, p, wmax, tpost
    NONSPECIFIC_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 2 (ms)        : conductance decay
    e = 0 (mV)          : reversal potential
    dtau = 30 (ms)      : depression window
    ptau = 20 (ms)      : potentiation window
    d = 0.3             : depression per pairing
    p = 0.5             : potentiation per pairing
    wmax = 0.01 (uS)    : bound of w + A
}

ASSIGNED {
    v (mV)
    i (nA)
    tpost (ms)          : the last postsynaptic spike
}

STATE { g (uS) }

INITIAL {
    g = 0
    tpost = -1e9
    net_send(0, 1)      : arms the WATCH at t = 0
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g/tau
}

NET_RECEIVE(w (uS), A (uS), tpre (ms)) {
    INITIAL { A = 0  tpre = -1e9 }
    if (flag == 0) {            : a presynaptic spike
        g = g + w + A
        tpre = t
        A = A*(1 - d*exp((tpost - t)/dtau))
    } else if (flag == 2) {     : a postsynaptic spike
        tpost = t
        FOR_NETCONS(w1, A1, tp) {
            A1 = A1 + (wmax - w1 - A1)*p*exp((tp - t)/ptau)
        }
    } else {                    : flag 1, at t = 0
        WATCH (v > -20) 2
    }
}
