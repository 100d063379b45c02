#!/usr/bin/python3
"""Regenerates tests/golden/ldifus/: NEURON 8.2.2's run of a branched passive cell with
tests/golden/ldifus/cadl.mod, calcium in two radial shells (ca[0] outer, ca[1] core) that
diffuse along the sections (KINETIC with COMPARTMENT and LONGITUDINAL_DIFFUSION, METHOD
sparse), calcium entering the outer shell at a per-segment influx that falls off with the
distance from the soma.

    /usr/bin/python3 scripts/neuron/reference_ldifus.py

Needs Debian's NEURON 8.2.2 (neuron, neuron-dev, python3-neuron) and the system Python.
Builds cadl.mod with nrnivmodl under a private NRNHOME (nrnbuild.py), runs the model in a
fresh NEURON process started in an empty directory, and writes
  ldifus.csv     t, then ca0 and ca1 (ca_cadl[0], ca_cadl[1]) at eight places of the tree
                 and soma(0.5).cai, every step (dt 0.025 ms, 50 ms), 17 significant
                 digits;
  influx.csv     section, x, influx: influx_cadl of every segment as set, in section
                 creation order;
  provenance.txt versions, checksums and nocmodl's messages.
Fixed step, no noise: two runs give byte-identical files.

Internal use: `--job tree --lib LIBNRNMECH --out DIR` runs the model.
"""

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import dump, make_golden, recorder, run_fixed, run_requested_job, write_csv  # noqa: E402

GOLDEN = os.path.join(ROOT, "tests", "golden", "ldifus")
CADL_MOD = os.path.join(GOLDEN, "cadl.mod")
TSTOP = 50.0
OUTPUTS = ("ldifus.csv", "influx.csv")

# (section name, L um, diam um, nseg, parent name, parent x); created in this order, each
# child's 0 end on the parent's x.
SECTIONS = (
    ("soma", 20, 20, 1, None, None),
    ("dend1", 200, 1, 9, "soma", 1),
    ("dend2", 100, 1.5, 5, "soma", 0),
    ("dend3", 80, 0.7, 4, "dend1", 1),
)
# Recorded places: (section name, x as written in the column label).
PLACES = (("soma", 0.5), ("dend1", 0.05), ("dend1", 0.5), ("dend1", 0.95),
          ("dend2", 0.1), ("dend2", 0.9), ("dend3", 0.125), ("dend3", 0.875))


def influx_at(distance):
    """influx_cadl (mM/ms) at a segment `distance` um from soma(0.5)."""
    return 0.001 * math.exp(-distance / 20)


def tree(h):
    """The four sections of SECTIONS, Ra 35.4, cm 1, pas (defaults) and cadl everywhere,
    influx_cadl = influx_at(distance from soma(0.5)) in every segment. Returns
    ({name: section}, [(name, x, influx)] in creation order)."""
    secs = {}
    for name, length, diam, nseg, parent, px in SECTIONS:
        sec = h.Section(name=name)
        sec.L, sec.diam, sec.nseg = length, diam, nseg
        sec.Ra, sec.cm = 35.4, 1
        if parent is not None:
            sec.connect(secs[parent](px), 0)
        sec.insert("pas")
        sec.insert("cadl")
        secs[name] = sec
    origin = secs["soma"](0.5)
    rows = []
    for name, *_ in SECTIONS:
        for seg in secs[name]:
            seg.influx_cadl = influx_at(h.distance(origin, seg))
            rows.append((name, seg.x, seg.influx_cadl))
    return secs, rows


def job_tree(h, out):
    """The tree (see tree()), celsius 6.3, v_init -65 mV, 50 ms; records ca[0], ca[1] at
    PLACES and cai at soma(0.5)."""
    secs, rows = tree(h)
    write_csv(os.path.join(out, "influx.csv"), ["section", "x", "influx"], rows)
    cols = []
    for name, x in PLACES:
        seg = secs[name](x)
        cols.append(("%s(%s).ca0" % (name, x), seg._ref_ca_cadl[0]))
        cols.append(("%s(%s).ca1" % (name, x), seg._ref_ca_cadl[1]))
    cols.append(("soma(0.5).cai", secs["soma"](0.5)._ref_cai))
    header, vecs = recorder(h, cols)
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "ldifus.csv"), header, vecs)


def main():
    if run_requested_job(__doc__, {"tree": job_tree}):
        return
    make_golden(__file__, GOLDEN, [CADL_MOD], ["tree"], lambda out: (OUTPUTS, []))


if __name__ == "__main__":
    main()
