: Artificial cell that fires at start, start + interval, start + 2*interval, ...
: Each self-event (flag 1) counts, emits a spike with net_event(t) and re-arms with net_send.
: External events (flag 0) are counted in nin and otherwise ignored.
: Golden data: tests/golden/neuron-kernels/ (scripts/gen-neuron-kernels-golden.py).
NEURON {
    ARTIFICIAL_CELL pulse_gen
    RANGE start, interval, count, nin, tlast
    THREADSAFE
}

PARAMETER {
    start = 1 (ms)
    interval = 2.5 (ms)
}

ASSIGNED {
    count
    nin
    tlast (ms)
}

INITIAL {
    count = 0
    nin = 0
    tlast = -1
    net_send(start, 1)
}

NET_RECEIVE (w) {
    if (flag == 1) {
        count = count + 1
        tlast = t
        net_event(t)
        net_send(interval, 1)
    } else {
        nin = nin + 1
    }
}
