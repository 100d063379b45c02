TITLE iclamp.mod   rectangular current pulse

COMMENT
Current injection electrode as NEURON's built-in point process IClamp:
i = amp for del <= t < del + dur, otherwise 0. i is an electrode current,
so positive i depolarises the cell (it is injected into the inside, not a
transmembrane current). The at_time() calls tell a variable-step
integrator where the pulse edges are; with fixed steps they have no effect.
ENDCOMMENT

NEURON {
    POINT_PROCESS IClamp
    RANGE del, dur, amp, i
    ELECTRODE_CURRENT i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    del       (ms)          : pulse onset
    dur       (ms) <0,1e9>  : pulse duration
    amp       (nA)          : pulse amplitude
}

ASSIGNED {
    i (nA)
}

INITIAL {
    i = 0
}

BREAKPOINT {
    at_time(del)
    at_time(del + dur)
    if (t < del + dur && t >= del) {
        i = amp
    } else {
        i = 0
    }
}
