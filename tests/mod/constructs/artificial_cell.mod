: Tests an ARTIFICIAL_CELL: self-events with net_send and flags, output spikes with net_event, a FUNCTION with return units.
NEURON {
    ARTIFICIAL_CELL ArtTest
    RANGE interval, number, start, noise
    THREADSAFE
}

PARAMETER {
    interval = 10 (ms) <1e-9, 1e9>
    number = 10 <0, 1e9>
    start = 50 (ms)
    noise = 0 <0, 1>
}

ASSIGNED {
    event (ms)
    on
    ispike
}

INITIAL {
    on = 0
    ispike = 0
    if (start >= 0 && number > 0) {
        on = 1
        event = start - interval*(1 - noise)*0.5
        if (event < 0) {
            event = 0
        }
        net_send(event, 3)
    }
}

FUNCTION nextinterval() (ms) {
    nextinterval = (1 - noise)*interval + noise*interval*0.5
}

NET_RECEIVE (w) {
    if (flag == 0) {
        if (w > 0 && on == 0) {
            on = 1
            net_send(0, 1)
        } else if (w < 0) {
            on = 0
        }
    }
    if (flag == 3) {
        if (on == 1) {
            net_send(0, 1)
        }
    }
    if (flag == 1 && on == 1) {
        ispike = ispike + 1
        net_event(t)
        if (ispike < number) {
            net_send(nextinterval(), 1)
        } else {
            on = 0
        }
    }
}
