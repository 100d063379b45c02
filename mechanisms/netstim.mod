TITLE netstim.mod   presynaptic spike train generator

COMMENT
Artificial spike source as NEURON's built-in ARTIFICIAL_CELL NetStim.
It emits `number` events, the first around t = start and the rest
separated by intervals whose mean is `interval`. With noise = 0 the train
is periodic; with 0 < noise <= 1 each interval is
    (1 - noise)*interval + noise*interval*X,   X ~ exponential(mean 1),
so noise = 1 gives a Poisson train. The first spike time is
start + invl(interval) - interval*(1 - noise) (never earlier than 0).

Incoming events: a positive weight while the generator is idle starts a
new sequence (first spike after noise*interval on average); a negative
weight stops it for good.

Choice of random stream: NEURON 8.2's NetStim draws X through VERBATIM C
code that uses a per-instance hoc Random or Random123 stream when one has
been attached with noiseFromRandom()/noiseFromRandom123(), and otherwise
falls back to the builtin exprand(1) on the shared generator (seeded by
seed()/set_seed()). This file keeps only that default path, written as
plain NMODL with no VERBATIM, so it draws the same numbers as NEURON's
NetStim when no per-instance stream is attached; noiseFromRandom,
noiseFromRandom123 and the CoreNEURON bbcore hooks are not provided.
Because every instance then shares one generator, the mechanism is only
thread safe (reproducibly) when noise = 0, as in NEURON.
Compiled by Ranvier, exprand and set_seed go to the runtime's generator
instead, which gives each instance its own reproducible stream (seed()
restarts the calling instance's stream): the spike times with noise > 0
then differ from NEURON's.
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL NetStim
    RANGE interval, number, start
    RANGE noise
    THREADSAFE : reproducible across threads only with noise = 0
}

PARAMETER {
    interval = 10 (ms) <1e-9,1e9>  : mean time between spikes
    number   = 10      <0,1e9>     : number of spikes, independent of noise (dimensionless)
    start    = 50 (ms)             : most likely time of the first spike
    noise    = 0       <0,1>       : randomness, 0 periodic to 1 Poisson (dimensionless)
}

ASSIGNED {
    event  (ms)   : delay to the next self-event
    on            : 1 while a spike sequence is running (dimensionless)
    ispike        : spikes emitted so far in this sequence (dimensionless)
}

: kept for compatibility with NEURON: seeds the shared generator
PROCEDURE seed(x) {
    set_seed(x)
}

INITIAL {
    on = 0
    ispike = 0
    if (noise < 0) {
        noise = 0
    }
    if (noise > 1) {
        noise = 1
    }
    if (start >= 0 && number > 0) {
        on = 1
        : jitter the first spike so that on average it falls at
        : start + noise*interval, but never before t = 0
        event = start + invl(interval) - interval*(1 - noise)
        if (event < 0) {
            event = 0
        }
        net_send(event, 3)
    }
}

PROCEDURE init_sequence(t (ms)) {
    if (number > 0) {
        on = 1
        event = 0
        ispike = 0
    }
}

FUNCTION invl(mean (ms)) (ms) {
    if (mean <= 0) {
        mean = 0.01 (ms)   : guard against a zero or negative mean
    }
    if (noise == 0) {
        invl = mean
    } else {
        invl = (1 - noise)*mean + noise*mean*erand()
    }
}

: unit-mean exponential deviate from the shared generator
FUNCTION erand() {
    erand = exprand(1)
}

PROCEDURE next_invl() {
    if (number > 0) {
        event = invl(interval)
    }
    if (ispike >= number) {
        on = 0
    }
}

NET_RECEIVE(w) {
    if (flag == 0) {
        : an event from a NetCon
        if (w > 0 && on == 0) {
            : start a sequence, unless one is already running
            init_sequence(t)
            next_invl()
            event = event - interval*(1 - noise)
            net_send(event, 1)
        } else if (w < 0) {
            : stop the sequence for good
            on = 0
        }
    }
    if (flag == 3) {
        : the start-up self-event sent from INITIAL
        if (on == 1) {
            init_sequence(t)
            net_send(0, 1)
        }
    }
    if (flag == 1 && on == 1) {
        : time for the next spike
        ispike = ispike + 1
        net_event(t)
        next_invl()
        if (on == 1) {
            net_send(event, 1)
        }
    }
}
