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
  gapnet.csv     t, v0, v3, v7, v11 every step (dt 0.025 ms, 50 ms): 12 hh compartments
                 joined in random pairs by Gaps, the pairs of Ranvier's [[gap_junction]]
                 rule "fixed_probability" (probability 0.3, seed 5; its algorithm, with
                 network_model.Stream), cell 0 stimulated (tests/golden/pointer/gapnet.toml);
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
OUTPUTS = ("gap.csv", "graded.csv", "gapnet.csv")
GAPNET_CELLS, GAPNET_PROBABILITY, GAPNET_SEED, GAPNET_G = 12, 0.3, 5, 0.01


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


def gapnet_pairs(n, probability, seed):
    """Ranvier's rule "fixed_probability" for [[gap_junction]] (docs/model-files.md): cell
    i's stream (network_model.Stream(seed, i)) draws one uniform number for each later
    cell j, in order; i and j are joined when it is below the probability."""
    from network_model import Stream
    pairs = []
    for i in range(n):
        stream = Stream(seed, i)
        for j in range(i + 1, n):
            if stream.uniform01() < probability:
                pairs.append((i, j))
    return pairs


def job_gapnet(h, out):
    """12 hh cells; for each pair (i, j) a Gap of 0.01 uS on i reading j's v and one on j
    reading i's v; cell 0 gets 0.5 nA from 2 ms on. 50 ms."""
    cells = [hh_cell(h) for _ in range(GAPNET_CELLS)]
    stim = h.IClamp(cells[0](0.5))
    stim.delay, stim.dur, stim.amp = 2, 1e9, 0.5
    gaps = []
    for i, j in gapnet_pairs(GAPNET_CELLS, GAPNET_PROBABILITY, GAPNET_SEED):
        for here, there in ((i, j), (j, i)):
            g = h.Gap(cells[here](0.5))
            g.g = GAPNET_G
            h.setpointer(cells[there](0.5)._ref_v, "vgap", g)
            gaps.append(g)
    header, vecs = recorder(h, [("v%d" % k, cells[k](0.5)._ref_v) for k in (0, 3, 7, 11)])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "gapnet.csv"), header, vecs)


def main():
    if run_requested_job(__doc__, {"gap": job_gap, "graded": job_graded, "gapnet": job_gapnet}):
        return
    pairs = gapnet_pairs(GAPNET_CELLS, GAPNET_PROBABILITY, GAPNET_SEED)
    make_golden(__file__, GOLDEN, [GAP_MOD, GRADED_MOD], ["gap", "graded", "gapnet"],
                lambda out: (OUTPUTS, ["gapnet pairs (%d): %s" % (len(pairs), " ".join("%d-%d" % p for p in pairs))]))

if __name__ == "__main__":
    main()
