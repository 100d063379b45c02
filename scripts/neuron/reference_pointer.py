#!/usr/bin/python3
"""Regenerates tests/golden/pointer/: NEURON 8.2.2's runs of two models whose point
processes read another cell's membrane potential through a POINTER: an ohmic gap junction
(mechanisms/gap.mod, one Gap on each side) and a graded synapse
(tests/golden/pointer/gradedsyn.mod, whose state relaxes towards a sigmoid of vpre).

    /usr/bin/python3 scripts/neuron/reference_pointer.py

Needs Debian's NEURON 8.2.2 (neuron, neuron-dev, python3-neuron) and the system Python.
Builds gap.mod and gradedsyn.mod with nrnivmodl under a private NRNHOME (nrnbuild.py),
runs each model in a fresh NEURON process started in an empty directory, and writes
  gap.csv        t, va, vb, ia, ib every step (dt 0.025 ms, 50 ms), 17 significant digits:
                 two hh compartments coupled by a pair of Gaps (g 0.005 uS), cell a
                 stimulated;
  graded.csv     t, vpre, vpost, s, i every step (dt 0.025 ms, 50 ms): an hh compartment
                 driving a passive one through a GradedSyn;
  provenance.txt versions, checksums and nocmodl's messages ("Use of POINTER is not
                 thread safe").
Fixed step, no noise: two runs give byte-identical files.

Internal use: `--job gap|graded --lib LIBNRNMECH --out DIR` runs one model.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import dump, make_golden, recorder, run_fixed, run_requested_job  # noqa: E402

GAP_MOD = os.path.join(ROOT, "mechanisms", "gap.mod")
GOLDEN = os.path.join(ROOT, "tests", "golden", "pointer")
GRADED_MOD = os.path.join(GOLDEN, "gradedsyn.mod")
TSTOP = 50.0
OUTPUTS = ("gap.csv", "graded.csv")


def hh_cell(h):
    """One compartment "soma", L = diam = 20 um, nseg 1, cm 1, hh with its defaults."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20
    soma.nseg = 1
    soma.insert("hh")
    return soma


def job_gap(h, out):
    """Cells a and b (hh) joined at their middles by two Gaps of 0.005 uS, each one's vgap
    pointing at the other cell's v; a gets 0.3 nA for 1 ms from 5 ms. 50 ms."""
    a = hh_cell(h)
    b = hh_cell(h)
    stim = h.IClamp(a(0.5))
    stim.delay, stim.dur, stim.amp = 5, 1, 0.3
    ga = h.Gap(a(0.5))
    ga.g = 0.005
    h.setpointer(b(0.5)._ref_v, "vgap", ga)
    gb = h.Gap(b(0.5))
    gb.g = 0.005
    h.setpointer(a(0.5)._ref_v, "vgap", gb)
    header, vecs = recorder(h, [("va", a(0.5)._ref_v), ("vb", b(0.5)._ref_v),
                                ("ia", ga._ref_i), ("ib", gb._ref_i)])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "gap.csv"), header, vecs)


def job_graded(h, out):
    """Cell pre (hh, 0.1 nA from 2 ms for 40 ms) drives cell post (passive: g_pas 0.001
    S/cm2, e_pas -65 mV) through a GradedSyn with its defaults, vpre pointing at pre's v.
    50 ms."""
    pre = hh_cell(h)
    post = h.Section(name="soma")
    post.L = post.diam = 20
    post.nseg = 1
    post.insert("pas")
    post.g_pas = 0.001
    post.e_pas = -65
    stim = h.IClamp(pre(0.5))
    stim.delay, stim.dur, stim.amp = 2, 40, 0.1
    syn = h.GradedSyn(post(0.5))
    h.setpointer(pre(0.5)._ref_v, "vpre", syn)
    header, vecs = recorder(h, [("vpre", pre(0.5)._ref_v), ("vpost", post(0.5)._ref_v),
                                ("s", syn._ref_s), ("i", syn._ref_i)])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "graded.csv"), header, vecs)


def main():
    if run_requested_job(__doc__, {"gap": job_gap, "graded": job_graded}):
        return
    make_golden(__file__, GOLDEN, [GAP_MOD, GRADED_MOD], ["gap", "graded"], lambda out: (OUTPUTS, []))

if __name__ == "__main__":
    main()
