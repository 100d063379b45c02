TITLE vclamp.mod   two-electrode voltage clamp with three levels

COMMENT
Two-electrode voltage clamp as NEURON's built-in point process VClamp
(vclmp.mod): same names, defaults, units, equations and update order.

The command potential steps through three levels,
    amp[0] for 0 <= t < dur[0],
    amp[1] for dur[0] <= t < dur[0] + dur[1],
    amp[2] for dur[0] + dur[1] <= t < dur[0] + dur[1] + dur[2],
after which the clamp is off and injects nothing. i is an electrode
current: positive i depolarises the cell. Do not put several VClamps at
one location to get more levels: they would be independent clamps with
incompatible internal states.

Amplifier model (three stages; v is the potential at the electrode, which
is v + vext when extracellular is inserted):
  - measuring amplifier, output vi, ideal except for the feedback fraction
    fac:                    vi = v + fac*(vo - v)
  - control amplifier with gain and time constant tau2, output vo driven
    by the error voltage e:  tau2*vo' + vo = -gain*e
  - input stage with time constant tau1, which compares the command stim
    with the measured vi and gives the error voltage e:
                            (vi - e) - (stim + e) + tau1*(vi - e)' = 0
  - current into the cell through rstim:  i = (vo - v)/rstim
The three states e, vo, vi are advanced by one backward-Euler step per
time step: the derivatives become (x - x0)/dt with x0 the value at the
start of the step (e0, vo0, vi0), which gives the linear 3x3 system of
LINEAR clamp. Good initial values are e = 0, vo = vi = v.

The system is very stiff in v. As in NEURON, the current is therefore
recomputed with the new v after the membrane potential has been advanced
(SOLVE update METHOD after_cvode runs update() in the state step), so i
after a step is consistent with the new v; the BREAKPOINT current used for
the matrix is computed at the start of the step. Use only with fixed steps
and secondorder = 0 (NEURON's built-in stops finitialize with an error under
CVODE when some level has dur > 0 and amp != 0).

Differences from NEURON's vclmp.mod, none of which changes a result:
  - vstim() stops at the first level whose end is after t with an explicit
    if-chain instead of a FROM loop with a VERBATIM `break`; the additions
    and comparisons are the same, in the same order.
  - update() ends without VERBATIM `return 0;` (the generated code returns
    0 anyway).
  - INITIAL does not contain the VERBATIM check that raises "VClamp does not
    work with CVODE" when a level is on and CVODE is active: NMODL cannot
    see which integrator runs. The simulator has to refuse that combination
    itself if it wants the same behaviour.
  - the unused LOCAL vout of icur() is left out.
Like the built-in, the mechanism is not THREADSAFE in NEURON (LINEAR blocks
are not thread safe in nocmodl).
ENDCOMMENT

DEFINE NSTEP 3

NEURON {
    POINT_PROCESS VClamp
    ELECTRODE_CURRENT i
    RANGE e0, vo0, vi0, dur, amp, gain, rstim, tau1, tau2, fac, i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    dur[NSTEP] (ms) <0,1e9>       : durations of the three levels
    amp[NSTEP] (mV)               : command potentials of the three levels
    gain = 1e5 <0,1e9>            : control amplifier gain
    rstim = 1 (megohm) <1e-9,1e9> : resistance between amplifier and cell
    tau1 = .001 (ms) <0,1e9>      : input stage time constant
    tau2 = 0 (ms) <0,1e9>         : control amplifier time constant
    fac = 0 <1,10>                : measuring amplifier feedback fraction
    : The states at the start of the step. PARAMETERs, as in NEURON's vclamp.mod:
    : nocmodl declares x0 for every STATE x itself (the state's start value) and
    : refuses x0 declared as anything else. VClamp sets them as it goes.
    e0   (mV)
    vo0  (mV)
    vi0  (mV)
}

ASSIGNED {
    v    (mV)  : v + vext when extracellular is present
    dt   (ms)
    i    (nA)  : clamp current
    stim (mV)  : present command potential
    tc   (ms)  : end of the present level (+100 ms while the clamp is on)
}

STATE {
    e  (mV)    : input of the control amplifier (error voltage)
    vo (mV)    : output of the control amplifier
    vi (mV)    : output of the measuring amplifier
}

INITIAL {
    e0 = 0
    vo = v
    vo0 = v
    vi = v
    vi0 = v
    e = 0
}

BREAKPOINT {
    SOLVE update METHOD after_cvode
    vstim()
    i = icur()
}

: Selects the level for the present t. Not called from update(): the command
: must stay the one of the start of the step, and update() runs at t + dt.
PROCEDURE vstim() {
    tc = 0 (ms)
    stim = amp[0]
    tc = tc + dur[0]
    if (t < tc) {
        tc = tc + 100   : the clamp is certainly not off
    } else {
        stim = amp[1]
        tc = tc + dur[1]
        if (t < tc) {
            tc = tc + 100
        } else {
            stim = amp[2]
            tc = tc + dur[2]
            if (t < tc) {
                tc = tc + 100
            }
        }
    }
}

: Clamp current for the present v; solves the amplifier states. Uses RANGE
: variables, so it is not meant to be called from hoc (read i instead).
FUNCTION icur() (nA) {
    if (t > tc) {
        e0 = 0
        vo0 = 0
        icur = 0
    } else {
        SOLVE clamp
        icur = (vo - v)/rstim
    }
}

LINEAR clamp {
    LOCAL t1, t2
    t1 = tau1/dt
    t2 = tau2/dt
    ~ vi = v + fac*vo - fac*v
    ~ t2*vo - t2*vo0 + vo = -gain*e
    ~ -stim - e + vi - e + t1*vi - t1*e - t1*(vi0 - e0) = 0
}

: Runs after v has been advanced: the current for the new v, then the
: states become the starting values of the next step.
PROCEDURE update() {
    i = icur()
    e0 = e
    vo0 = vo
    vi0 = vi
}
