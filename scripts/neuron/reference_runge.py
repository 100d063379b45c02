#!/usr/bin/python3
"""Regenerates tests/golden/runge/: NEURON 8.2.2's run of a compartment whose states are
integrated by METHOD runge (scopmath's classic fourth-order Runge-Kutta, one step of dt
per time step): tests/golden/runge/rkk.mod (hh's potassium current, n by runge) and
tests/golden/runge/rkt.mod (two states x, y of a non-linear ODE that reads t).

    /usr/bin/python3 scripts/neuron/reference_runge.py

Needs Debian's NEURON 8.2.2 (neuron, neuron-dev, python3-neuron) and the system Python.
Builds rkk.mod and rkt.mod with nrnivmodl under a private NRNHOME (nrnbuild.py) and
-incflags -D_POSIX_C_SOURCE=200809L (see INCFLAGS: rkt's state y makes nocmodl emit a
variable y0, which glibc's <math.h> otherwise declares as a Bessel function), runs each
job in a fresh NEURON process started in an empty directory, and writes
  runge.csv            t, v, n, x, y, ik every step (dt 0.025 ms, 50 ms), 17 significant
                       digits: one compartment with hh (gkbar_hh = 0), rkk and rkt, an
                       IClamp of 0.1 nA from 5 ms for 30 ms;
  t-without-runge.csv  only if they differ: the t column of the same run without rkk and
                       rkt (scopmath's runge moves NEURON's t by +dt/2, +dt/2, -dt in every
                       call, which changes t's last bits);
  provenance.txt       versions, checksums, nocmodl's messages ("runge is not thread
                       safe") and the result of that t comparison.
Fixed step, no noise: two runs give byte-identical files.

Internal use: `--job runge|plain --lib LIBNRNMECH --out DIR` runs one job.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import dump, g17, make_golden, recorder, run_fixed, run_requested_job  # noqa: E402

GOLDEN = os.path.join(ROOT, "tests", "golden", "runge")
RKK_MOD = os.path.join(GOLDEN, "rkk.mod")
RKT_MOD = os.path.join(GOLDEN, "rkt.mod")
TSTOP = 50.0
T_PLAIN = "t-without-runge.csv"
# nocmodl gives every STATE s a variable s0 (its initial value), so rkt.mod's y declares
# `static double y0` in rkt.c, which does not compile next to glibc's declaration of the
# Bessel function y0 (mathcalls.h, visible with _DEFAULT_SOURCE, the default of gcc's C
# dialects). Asking for POSIX only hides it; nothing in rkk.c or rkt.c needs more (gcc
# -Wall reports no implicit declarations with it) and no computation changes.
INCFLAGS = "-D_POSIX_C_SOURCE=200809L"
def cell(h, runge):
    """One compartment "soma", L = diam = 20 um, nseg 1, cm 1, hh with gkbar_hh = 0 (its
    Na and leak currents only), with rkk and rkt (their defaults) if runge; an IClamp at
    soma(0.5) of 0.1 nA from 5 ms for 30 ms."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20
    soma.nseg = 1
    soma.cm = 1
    soma.insert("hh")
    soma.gkbar_hh = 0
    if runge:
        soma.insert("rkk")
        soma.insert("rkt")
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 5, 30, 0.1
    return soma, stim


def job_runge(h, out):
    """The golden run: t, v, n_rkk, x_rkt, y_rkt, ik every step, 50 ms."""
    soma, stim = cell(h, True)
    seg = soma(0.5)
    header, vecs = recorder(h, [("v", seg._ref_v), ("n", seg._ref_n_rkk), ("x", seg._ref_x_rkt),
                                ("y", seg._ref_y_rkt), ("ik", seg._ref_ik)])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "runge.csv"), header, vecs)


def job_plain(h, out):
    """The same cell without rkk and rkt: its t column only, 50 ms."""
    soma, stim = cell(h, False)
    header, vecs = recorder(h, [])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, T_PLAIN), header, vecs)


def t_column(path):
    with open(path) as f:
        next(f)
        return [float(line.split(",", 1)[0]) for line in f]


def compare_t(runge_csv, plain_csv):
    """(differs, a one-line description) of the t columns of the two runs."""
    a, b = t_column(runge_csv), t_column(plain_csv)
    if len(a) != len(b):
        return True, "t columns of different lengths: %d with runge, %d without" % (len(a), len(b))
    diff = [(i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if not diff:
        return False, "t with rkk and rkt equals t without them in all %d rows" % len(a)
    i, x, y = diff[0]
    j, bx, by = max(diff, key=lambda d: abs(d[1] - d[2]))
    return True, ("t with rkk and rkt differs from t without them in %d of %d rows; first after step "
                  "%d (%s with, %s without); largest difference %s after step %d (%s with, %s without)"
                  % (len(diff), len(a), i, g17(x), g17(y), g17(abs(bx - by)), j, g17(bx), g17(by)))


def main():
    if run_requested_job(__doc__, {"runge": job_runge, "plain": job_plain}):
        return

    def finish(out):
        differs, verdict = compare_t(os.path.join(out, "runge.csv"), os.path.join(out, T_PLAIN))
        print(verdict)
        stale = os.path.join(GOLDEN, T_PLAIN)
        if not differs and os.path.exists(stale):
            os.remove(stale)
        return ["runge.csv"] + ([T_PLAIN] if differs else []), [verdict]

    make_golden(__file__, GOLDEN, [RKK_MOD, RKT_MOD], ["runge", "plain"], finish, incflags=INCFLAGS)

if __name__ == "__main__":
    main()
