#!/usr/bin/python3
"""Writes tests/golden/geometry/: NEURON 8.2.2 reference numbers for Ranvier's cell
discretisation (nodes, areas, axial resistances, matrix coefficients) and SWC import.
See tests/golden/geometry/README.md for what each file holds and
docs/neuron-discretisation.md for the rules behind the numbers.

    /usr/bin/python3 scripts/neuron/reference_geometry.py

Needs Debian's NEURON 8.2.2 (python3-neuron) and the system Python, the only one that
can `import neuron`. Each case runs in a fresh NEURON process (`--case NAME --out FILE`
is the internal entry point), so no case sees sections left by another. The SWC inputs
are written by this script too. Floats are written with repr (shortest string that reads
back to the same double). Two runs give byte-identical output.
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "tests", "golden", "geometry")

DT = 0.025  # NEURON's default; only the capacitance term of the diagonal depends on it

# ---------------------------------------------------------------------------------------
# SWC inputs. Columns: id type x y z radius parent. Comments say what each part tests.
# ---------------------------------------------------------------------------------------

SWC = {}

SWC["swc_one_point_soma.swc"] = """\
# Ranvier golden geometry: one-point (spherical) soma, radius 5 at the origin.
# Every child of the soma is connected at soma(0.5); children with 2+ points are
# "wired" (their copy of the soma point is dropped), dend id 11 has one point only.
1 1 0 0 0 5 -1
# axon: 3 points, starts at the soma point; 0.05, 3.3, 20.7... are not floats, and
# the float32 differences of the coordinates are rounded
2 2 0 -5 0 0.5 1
3 2 0.05 -20.7 0 0.5 2
4 2 3.3 -60.3 0.3 0.4 3
# basal dendrite, bifurcates at id 6
5 3 5 0 0 1 1
6 3 20 0 0 0.9 5
7 3 35 10 0 0.6 6
8 3 50 20 1.5 0.5 7
9 3 35 -10 0 0.6 6
10 3 55 -20 -2 0.45 9
# basal dendrite with a single point
11 3 -6 0 0 0.75 1
# apical dendrite, bifurcates at id 14
12 4 0 5 0 1.5 1
13 4 0 30 0 1.2 12
14 4 2 80 0 1.0 13
15 4 -10 120 3 0.6 14
16 4 10 125 0 0.5 14
"""

SWC["swc_three_point_soma.swc"] = """\
# Ranvier golden geometry: NeuroMorpho.org three-point soma (centre, then two points
# at +-radius along y, all with the same radius, both children of the centre, no
# children of their own). NEURON replaces it by a sphere-equivalent cylinder along x.
1 1 0 0 0 6 -1
2 1 0 -6 0 6 1
3 1 0 6 0 6 1
# axon from the soma centre, bifurcates at id 6
4 2 0 -6 0 0.6 1
5 2 0 -30 0 0.5 4
6 2 3 -80.25 1 0.4 5
7 2 -5 -120 0 0.3 6
8 2 10 -115 0 0.3 6
# basal dendrites
9 3 6 0 0 1.2 1
10 3 40 2 0 1 9
11 3 90 5 0 0.7 10
12 3 -6 0 0 1.1 1
13 3 -50 -10 0 0.8 12
14 3 -80 20 0 0.6 13
15 3 -85 -30 2 0.5 13
# long apical dendrite (several segments under the d_lambda rule), bifurcates at id 19
16 4 0 6 0 2 1
17 4 0 60 0 1.6 16
18 4 0 150 0 1.3 17
19 4 0 240 0.01 1 18
20 4 -30.3 300.1 0.2 0.6 19
21 4 40 310 0 0.6 19
"""

SWC["swc_contour_soma.swc"] = """\
# Ranvier golden geometry: soma given as an outline (contour) of 9 points in the xy
# plane, each the parent of the next, the last one repeating the first position.
# NEURON's SWC reader does not recognise contours: the soma becomes one unbranched
# section along the outline (a thin ring of 0.5 um radius tubes).
1 1 10 0 0 0.5 -1
2 1 7 4.5 0 0.5 1
3 1 0 6 0 0.5 2
4 1 -7 4.5 0 0.5 3
5 1 -10 0 0 0.5 4
6 1 -7 -4.5 0 0.5 5
7 1 0 -6 0 0.5 6
8 1 7 -4.5 0 0.5 7
9 1 10 0 0 0.5 8
# axon from the first soma point (soma(0)), bifurcates at id 12
10 2 12 0 0 0.5 1
11 2 40 0 0 0.4 10
12 2 70 5 0 0.35 11
13 2 100 20 0 0.3 12
14 2 100 -10 0 0.3 12
# basal dendrite from an interior soma point (soma(0.5), wired)
15 3 0 9 0 1 3
16 3 0.03 40 0 0.8 15
17 3 10.1 70.3 0.1 0.6 16
# basal dendrite with a single point from an interior soma point (soma(0.5), direct)
18 3 -14 0 0 0.9 5
# apical dendrite from the last soma point (soma(1)), bifurcates at id 20
19 4 14 2 0 1.4 9
20 4 30 40 0 1.1 19
21 4 20 90 0 0.7 20
22 4 50 85 0 0.6 20
"""

SWC["swc_cylinder_soma.swc"] = """\
# Ranvier golden geometry: soma as a stack of cylinders along y (5 centre-line points,
# each the parent of the next, radii 2 5 6.2 5 2). Also: a branch at the first point
# of a dendrite wired to the soma (connects to that dendrite's 0 end), a type-5 section,
# and values that the importer's float reading and %.8g printing change (x 12.5000513
# and 1.00000016, radius 6.200001054).
1 1 0 -8 0 2 -1
2 1 0 -4 0 5 1
3 1 0 0 0 6.200001054 2
4 1 0 4 0 5 3
5 1 0 8 0 2 4
# axon from the first soma point (soma(0)), not wired
6 2 0 -10 0 0.5 1
7 2 0 -40 0 0.4 6
8 2 12.5000513 -100 0 0.4 7
# basal dendrite from an interior soma point (soma(0.5), wired), bifurcates at id 10
9 3 6 0 0 1.0 3
10 3 40 0 0 0.8 9
11 3 60 15 0 0.6 10
12 3 60 -15 0 0.6 10
# basal dendrite with one point from an interior soma point (soma(0.5), direct)
13 3 5 4 0 0.9 4
# branch whose parent (id 9) is the first point of a dendrite wired to the soma
14 3 6 -1 0.02 0.7 9
15 3 30.7 -20.1 0.3 0.5 14
# apical dendrite from the last soma point (soma(1)), continued by type 5 points
16 4 0 10 0 1.5 5
17 4 1.00000016 60 0 1.2 16
18 5 0 90 0 0.8 17
19 5 5 120 0 0.5 18
"""

SWC_CASES = {
    "swc_one_point_soma": ("swc_one_point_soma.swc", False),
    "swc_three_point_soma": ("swc_three_point_soma.swc", False),
    "swc_three_point_soma_dlambda": ("swc_three_point_soma.swc", True),
    "swc_contour_soma": ("swc_contour_soma.swc", False),
    "swc_cylinder_soma": ("swc_cylinder_soma.swc", False),
}

CASES = ["cables", "pt3d"] + list(SWC_CASES)

DESCRIPTION = {
    "cables": "Sections without 3-D points: root a (L 100, diam 2, nseg 3, Ra 100); "
    "b on a(1) (L 50, diam 1, nseg 5); c on a(0.5) (nseg 1, NEURON's defaults "
    "L 100, diam 500, Ra 35.4, cm 1); d on a(0) (L 80, diam 3, rallbranch 2); "
    "e on b(0.3) (L 40, diam 0.8, nseg 4, Ra 70, cm 2). Beyond the brief: f on e(1) "
    "(L 200, diam 0.5, nseg 100); g on f(0.57) by its x=1 end (L 30, diam 0.7, nseg 3); "
    "k on a(1/3), a segment boundary (L 20, diam 1.5, nseg 2).",
    "pt3d": "Sections from pt3dadd: taper (nseg 1), step (nseg 3, points on segment "
    "boundaries and centres, diameter steps at repeated points, a zero-length piece), "
    "diag (nseg 7, 3-D points off the axes, a step inside a segment, repeated first "
    "point), kid (nseg 2) on step(0.5), rev (nseg 3, taper) on diag(3/7) by its x=1 end.",
}


# ---------------------------------------------------------------------------------------
# One case, in a fresh NEURON process
# ---------------------------------------------------------------------------------------


def build_cables(h):
    a = h.Section(name="a")
    a.L, a.diam, a.nseg, a.Ra = 100, 2, 3, 100
    b = h.Section(name="b")
    b.L, b.diam, b.nseg = 50, 1, 5
    b.connect(a(1), 0)
    c = h.Section(name="c")
    c.nseg = 1
    c.connect(a(0.5), 0)
    d = h.Section(name="d")
    d.L, d.diam = 80, 3
    d.rallbranch = 2
    d.connect(a(0), 0)
    e = h.Section(name="e")
    e.L, e.diam, e.nseg, e.Ra, e.cm = 40, 0.8, 4, 70, 2
    e.connect(b(0.3), 0)
    # beyond the brief: a child on a segment boundary of a (a(1/3) -> node of segment 1),
    # and a child on f(0.57) with nseg 100, where 100*0.57 = 56.99999999999999 in double,
    # connected by its x=1 end (reversed orientation)
    f = h.Section(name="f")
    f.L, f.diam, f.nseg = 200, 0.5, 100
    f.connect(e(1), 0)
    g = h.Section(name="g")
    g.L, g.diam, g.nseg = 30, 0.7, 3
    g.connect(f(0.57), 1)
    k = h.Section(name="k")
    k.L, k.diam, k.nseg = 20, 1.5, 2
    k.connect(a(1.0 / 3.0), 0)
    return [a, b, c, d, e, f, g, k]


def build_pt3d(h):
    def mk(name, nseg, pts, Ra=100.0, cm=1.0):
        s = h.Section(name=name)
        for p in pts:
            s.pt3dadd(*p)
        s.nseg = nseg
        s.Ra = Ra
        s.cm = cm
        return s

    # linear taper, uneven point spacing, one segment
    taper = mk("taper", 1, [(0, 0, 0, 4), (10, 0, 0, 3), (30, 0, 0, 1.5)])
    # L = 30, ds = 10: points at segment boundaries (10, 20), at segment centres
    # (5, 15, 25), diameter steps at repeated points on a boundary (10) and on a
    # centre (25), and a zero-length piece with the same diameter (22, 22)
    step = mk(
        "step",
        3,
        [
            (0, 0, 0, 3),
            (5, 0, 0, 3),
            (10, 0, 0, 3),
            (10, 0, 0, 1.5),
            (15, 0, 0, 1.5),
            (20, 0, 0, 2),
            (22, 0, 0, 2),
            (22, 0, 0, 2),
            (25, 0, 0, 2),
            (25, 0, 0, 1),
            (30, 0, 0, 1),
        ],
        Ra=150.0,
    )
    # 3-D points off the axes (arc lengths not representable), repeated first point,
    # a diameter step inside a segment, 7 segments
    diag = mk(
        "diag",
        7,
        [
            (0.1, 0.2, 0.3, 2.5),
            (0.1, 0.2, 0.3, 2.5),
            (4.1, 5.3, 0.3, 2.0),
            (4.1, 5.3, 13.7, 1.8),
            (6.1, 8.2, 12.3, 1.2),
            (6.1, 8.2, 12.3, 0.7),
            (9.7, 11.9, 20.05, 0.9),
            (15.3, 10.1, 22.2, 1.3),
            (21.0, 14.4, 25.9, 0.6),
        ],
        Ra=80.0,
        cm=0.8,
    )
    # child on the middle of "step" (node of its segment 1)
    kid = mk("kid", 2, [(15, 0, 0, 0.8), (15, 7, 0, 0.6), (15, 12, 3, 0.5)])
    kid.connect(step(0.5), 0)
    diag.connect(taper(1), 0)
    # beyond the brief: a tapered child on a segment boundary of diag (3/7), attached by
    # its x=1 end (reversed orientation)
    rev = mk("rev", 3, [(0, 0, 0, 2.0), (3, 0, 0, 1.6), (9, 0, 0, 1.0), (12, 0, 0, 0.4)])
    rev.connect(diag(3.0 / 7.0), 1)
    return [taper, step, diag, kid, rev]


def build_swc(h, fname, dlambda):
    h.load_file("stdlib.hoc")
    h.load_file("import3d.hoc")
    r = h.Import3d_SWC_read()
    r.quiet = 1
    r.input(os.path.join(GOLDEN, fname))
    g = h.Import3d_GUI(r, 0)
    g.instantiate(None)
    secs = list(h.allsec())
    if dlambda:
        # the CellBuilder's d_lambda rule (celbild/celgeom.hoc), d_lambda 0.1, 100 Hz
        for s in secs:
            s.nseg = int((s.L / (0.1 * h.lambda_f(100, sec=s)) + 0.999) / 2) * 2 + 1
    return secs


def v_profile(node):
    """Starting voltage (mV) of the node with NEURON's node index `node`."""
    return -65.0 + 7.0 * ((node * 5) % 11) - 0.5 * (node % 3)


def pt3d_of(h, s):
    return [[s.x3d(i), s.y3d(i), s.z3d(i), s.diam3d(i)] for i in range(s.n3d())]


def run_case(name, out):
    from neuron import h

    h.dt = DT
    h.secondorder = 0
    if name == "cables":
        secs = build_cables(h)
    elif name == "pt3d":
        secs = build_pt3d(h)
    else:
        fname, dlambda = SWC_CASES[name]
        secs = build_swc(h, fname, dlambda)

    pt_before = [pt3d_of(h, s) for s in secs]

    # matrix coefficients: fcurrent() runs setup_tree_matrix (nrn_rhs, nrn_lhs) once
    h.secondorder = 0
    h.fcurrent()
    coef = {}
    for s in secs:
        for x in [0.0] + [seg.x for seg in s] + [1.0]:
            sg = s(x)
            coef[(s.name(), x)] = [h.fmatrix(sg, 1), h.fmatrix(sg, 3), h.fmatrix(sg, 2)]
    h.secondorder = 2
    h.fcurrent()
    for s in secs:
        for x in [0.0] + [seg.x for seg in s] + [1.0]:
            coef[(s.name(), x)].append(h.fmatrix(s(x), 2))
    h.secondorder = 0

    # one fixed step from a non-uniform voltage (no membrane mechanisms: capacitance and
    # axial currents only), with secondorder 0 and 2
    xs = [(s, x) for s in secs for x in [0.0] + [seg.x for seg in s] + [1.0]]
    step = {}
    for so in (0, 2):
        h.secondorder = so
        h.t = 0
        # fadvance() only refreshes cj (1/dt or 2/dt) when dt or t changed, so a change of
        # secondorder alone would be missed; fcurrent() always refreshes it
        h.fcurrent()
        for s, x in xs:
            s(x).v = v_profile(s(x).node_index())
        h.fadvance()
        for s, x in xs:
            step.setdefault((s.name(), x), []).append(s(x).v)
    h.secondorder = 0
    h.t = 0

    sections = []
    segments = []
    for s in secs:
        ps = s.parentseg()
        sections.append(
            {
                "name": s.name(),
                "parent": ps.sec.name() if ps is not None else None,
                "parent_x": ps.x if ps is not None else None,
                "x_child_end": h.section_orientation(sec=s),
                "nseg": s.nseg,
                "L": s.L,
                "Ra": s.Ra,
                "cm": s(0.5).cm,
                "rallbranch": s.rallbranch,
                "pt3d": pt3d_of(h, s),
                "arc3d": [s.arc3d(i) for i in range(s.n3d())],
                "pt3dstyle": int(h.pt3dstyle(sec=s)),
            }
        )
        for x in [0.0] + [seg.x for seg in s] + [1.0]:
            sg = s(x)
            a, b, d, d2 = coef[(s.name(), x)]
            segments.append(
                {
                    "section": s.name(),
                    "x": x,
                    "area": sg.area(),
                    "ri": sg.ri(),
                    "diam": sg.diam,
                    "node": sg.node_index(),
                    "a": a,
                    "b": b,
                    "d": d,
                    "d_secondorder2": d2,
                    "v0": v_profile(sg.node_index()),
                    "v_step": step[(s.name(), x)][0],
                    "v_step_secondorder2": step[(s.name(), x)][1],
                }
            )
    # nothing above may move 3-D points (define_shape would translate children)
    assert pt_before == [pt3d_of(h, s) for s in secs], "3-D points changed"

    result = {"case": name, "neuron_version": h.nrnversion(5), "dt": DT}
    if name in SWC_CASES:
        result["swc_file"] = SWC_CASES[name][0]
        result["nseg_rule"] = (
            "d_lambda 0.1 at 100 Hz: nseg = int((L/(0.1*lambda_f(100))+0.999)/2)*2+1"
            if SWC_CASES[name][1]
            else "importer default (nseg 1)"
        )
    else:
        result["description"] = DESCRIPTION[name]
    result["sections"] = sections
    result["segments"] = segments
    with open(out, "w") as f:
        f.write(dumps(result))


def dumps(result):
    """JSON with one section or segment per line (json's float repr is kept)."""
    lines = ["{"]
    items = list(result.items())
    for k, (key, val) in enumerate(items):
        end = "," if k + 1 < len(items) else ""
        if isinstance(val, list):
            lines.append(" %s: [" % json.dumps(key))
            for j, v in enumerate(val):
                lines.append("  " + json.dumps(v) + ("," if j + 1 < len(val) else ""))
            lines.append(" ]" + end)
        else:
            lines.append(" %s: %s%s" % (json.dumps(key), json.dumps(val), end))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.case:
        run_case(args.case, args.out)
        return
    os.makedirs(GOLDEN, exist_ok=True)
    for fname, text in SWC.items():
        with open(os.path.join(GOLDEN, fname), "w") as f:
            f.write(text)
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    for name in CASES:
        out = os.path.join(GOLDEN, name + ".json")
        subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--case", name, "--out", out],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        print("wrote", os.path.relpath(out, ROOT))


if __name__ == "__main__":
    main()
