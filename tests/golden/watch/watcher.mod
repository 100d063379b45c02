TITLE WATCH probe (Ranvier reference data, tests/golden/watch)

COMMENT
A point process with no current. INITIAL sends a self-event with flag 1 and delay
tarm (default 0).
NET_RECEIVE counts the events of each flag (n1 ... n4, n0 for NetCon events), and
records the t and v the last one of each saw (t1, v1, ...) and its position in the
instance's call sequence (o1, ... = seq after incrementing).

Which WATCH statements run when depends on mode:
  mode 0: flags 1, 2 and 3 all run WATCH (v > hi) 2 and WATCH (v < lo) 3.
  mode 1: flag 1 runs both; flags 2 and 3 run no WATCH statement.
  mode 2: flag 1 runs both; flag 2 runs only WATCH (v < lo) 3; flag 3 runs none.
  mode 3: flag 1 runs WATCH (v > lo2) 4 and WATCH (v > hi) 2; flags 2, 3, 4 run none.
          lo2 and tarm place the condition of flag 4 relative to v at activation.
  mode 4: as mode 3, but flag 4 runs WATCH (v > lo2) 4 and WATCH (v > hi) 2 again.
NET_RECEIVE never reads w: NEURON delivers WATCH events with no weight vector.
ENDCOMMENT

NEURON {
    POINT_PROCESS Watcher
    RANGE mode, hi, lo, lo2, tarm
    RANGE seq
    RANGE n0, t0, v0, o0
    RANGE n1, t1, v1, o1
    RANGE n2, t2, v2, o2
    RANGE n3, t3, v3, o3
    RANGE n4, t4, v4, o4
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    mode = 0
    hi = -20 (mV)
    lo = -60 (mV)
    lo2 = -100 (mV)
    tarm = 0 (ms)
}

ASSIGNED {
    v (mV)
    seq
    n0 t0 (ms) v0 (mV) o0
    n1 t1 (ms) v1 (mV) o1
    n2 t2 (ms) v2 (mV) o2
    n3 t3 (ms) v3 (mV) o3
    n4 t4 (ms) v4 (mV) o4
}

INITIAL {
    seq = 0
    n0 = 0  t0 = -1  v0 = 0  o0 = 0
    n1 = 0  t1 = -1  v1 = 0  o1 = 0
    n2 = 0  t2 = -1  v2 = 0  o2 = 0
    n3 = 0  t3 = -1  v3 = 0  o3 = 0
    n4 = 0  t4 = -1  v4 = 0  o4 = 0
    net_send(tarm, 1)
}

NET_RECEIVE (w) {
    seq = seq + 1
    if (flag == 0) {
        n0 = n0 + 1  t0 = t  v0 = v  o0 = seq
    } else if (flag == 1) {
        n1 = n1 + 1  t1 = t  v1 = v  o1 = seq
        if (mode == 3 || mode == 4) {
            WATCH (v > lo2) 4
            WATCH (v > hi) 2
        } else {
            WATCH (v > hi) 2
            WATCH (v < lo) 3
        }
    } else if (flag == 2) {
        n2 = n2 + 1  t2 = t  v2 = v  o2 = seq
        if (mode == 0) {
            WATCH (v > hi) 2
            WATCH (v < lo) 3
        } else if (mode == 2) {
            WATCH (v < lo) 3
        }
    } else if (flag == 3) {
        n3 = n3 + 1  t3 = t  v3 = v  o3 = seq
        if (mode == 0) {
            WATCH (v > hi) 2
            WATCH (v < lo) 3
        }
    } else if (flag == 4) {
        n4 = n4 + 1  t4 = t  v4 = v  o4 = seq
        if (mode == 4) {
            WATCH (v > lo2) 4
            WATCH (v > hi) 2
        }
    }
}
