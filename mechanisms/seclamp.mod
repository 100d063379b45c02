TITLE seclamp.mod   single-electrode voltage clamp with three levels

COMMENT
Voltage clamp through a series resistance rs, as NEURON's built-in point
process SEClamp. The command potential vc steps through three levels:
    amp1 for 0 <= t < dur1,
    amp2 for dur1 <= t < dur1 + dur2,
    amp3 for dur1 + dur2 <= t < dur1 + dur2 + dur3,
after which the clamp is off (vc = 0, i = 0). While on, the injected
electrode current is i = (vc - v)/rs.

The current is recomputed in icur(), SOLVEd with METHOD after_cvode, i.e.
after the membrane potential has been advanced, so the reported i uses
the new v rather than the v of the previous step. The at_time() calls
mark the step edges for variable-step integration.
ENDCOMMENT

NEURON {
    POINT_PROCESS SEClamp
    ELECTRODE_CURRENT i
    RANGE dur1, amp1, dur2, amp2, dur3, amp3, rs, vc, i
    THREADSAFE
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    rs = 1 (megohm) <1e-9,1e9>   : series (access) resistance
    dur1   (ms)                  : duration of level 1
    amp1   (mV)                  : command potential of level 1
    dur2   (ms) <0,1e9>          : duration of level 2
    amp2   (mV)                  : command potential of level 2
    dur3   (ms) <0,1e9>          : duration of level 3
    amp3   (mV)                  : command potential of level 3
}

ASSIGNED {
    v   (mV)    : includes vext when extracellular is inserted
    i   (nA)    : clamp current
    vc  (mV)    : present command potential
    tc2 (ms)    : end of level 2
    tc3 (ms)    : end of level 3
    on          : 1 while clamping, 0 after the last level (dimensionless)
}

INITIAL {
    tc2 = dur1 + dur2
    tc3 = tc2 + dur3
    on = 0
}

BREAKPOINT {
    SOLVE icur METHOD after_cvode
    vstim()
}

PROCEDURE icur() {
    if (on) {
        i = (vc - v)/rs
    } else {
        i = 0
    }
}

PROCEDURE vstim() {
    on = 1
    if (dur1) { at_time(dur1) }
    if (dur2) { at_time(tc2) }
    if (dur3) { at_time(tc3) }
    if (t < dur1) {
        vc = amp1
    } else if (t < tc2) {
        vc = amp2
    } else if (t < tc3) {
        vc = amp3
    } else {
        vc = 0
        on = 0
    }
    icur()
}
