#!/usr/bin/env python3
"""Re-derives NEURON 8.2.2's numbers in tests/golden/geometry/*.json from the rules written
down in docs/neuron-discretisation.md, and prints the largest relative difference per case.

    python3 scripts/neuron/check_geometry_rules.py          (any Python 3; NEURON not needed)

What is recomputed, from the section data only (name, parent, parent_x, x_child_end, nseg,
L, Ra, cm, rallbranch, pt3d; and for sections without 3-D points the diameter of each
segment, which is an input there):
  * 3-D arc lengths and L (float32 coordinates), seg.diam of 3-D sections;
  * node structure: which node every x (segment centres, 0 and 1) maps to, including the
    node a child's x=0 end shares with its parent (checked against NEURON's node indices);
  * area() and ri() at every x, including the ends;
  * the matrix coefficients a, b and the diagonal d after fcurrent() (dt 0.025, with
    secondorder 0 and 2), which also checks the area 100 of the zero-area nodes, and the
    node numbering;
  * one fadvance() from a non-uniform voltage (capacitance and axial current only):
    right-hand side, triangularisation, back substitution and the update;
  * for the SWC cases, the whole import: sections, names, parents, parent_x, 3-D points
    (x, y, z, diameter), pt3dstyle, and nseg from the d_lambda rule.
Exits with status 1 if any difference exceeds 1e-14 relative or a structural check fails.
"""

import ctypes
import json
import math
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "tests", "golden", "geometry")
CASES = [
    "cables",
    "pt3d",
    "swc_one_point_soma",
    "swc_three_point_soma",
    "swc_three_point_soma_dlambda",
    "swc_contour_soma",
    "swc_cylinder_soma",
]
PI = 3.14159265358979323846
TOL = 1e-14


def f32(x):
    """Round a double to the nearest float32 (as storing into a C float does)."""
    return struct.unpack("f", struct.pack("f", x))[0]


try:
    _libc = ctypes.CDLL(None)
    _libc.strtof.restype = ctypes.c_float
    _libc.strtof.argtypes = [ctypes.c_char_p, ctypes.c_void_p]

    def strtof(s):
        return float(_libc.strtof(s.encode(), None))

except (OSError, AttributeError):  # no C library: round the double (differs only in ties)

    def strtof(s):
        return f32(float(s))


# ---------------------------------------------------------------------------------------
# Rules: 3-D points
# ---------------------------------------------------------------------------------------


def arc_lengths(pts):
    """nrn_pt3dmodified: arc[0] = 0, arc[i] = arc[i-1] + |p_i - p_{i-1}|, where each
    coordinate difference is a float32 subtraction (the points are stored as float)."""
    arc = [0.0]
    for i in range(1, len(pts)):
        t = [f32(pts[i][k] - pts[i - 1][k]) for k in range(3)]
        arc.append(arc[-1] + math.sqrt(t[0] * t[0] + t[1] * t[1] + t[2] * t[2]))
    return arc


def frusta(pts, arc, nseg, ra):
    """diam_from_list for every segment: returns (area[j], rinv[j], diam[j]) for the
    nseg centre nodes and the right-half resistance of the last segment."""
    npt = len(pts)
    d = [abs(p[3]) for p in pts]
    ds = arc[npt - 1] / float(nseg)
    j = 0
    x1 = arc[0]
    y1 = d[0]
    rparent = 0.0
    areas, rinvs, diams = [], [], []
    for inode in range(nseg):
        si = float(inode) * ds
        diam = 0.0
        area = 0.0
        rleft = 0.0
        for ihalf in (0, 1):
            ri = 0.0
            sip = si + ds / 2.0
            while True:
                jp = j + 1
                xj = arc[j]
                xjp = arc[jp]
                if xjp > sip or jp == npt - 1:
                    if abs(xjp - xj) < 1e-10:
                        frac = 1.0
                    else:
                        frac = (sip - xj) / (xjp - xj)
                    x2 = sip
                    y2 = (1.0 - frac) * d[j] + frac * d[jp]
                    jnext = j
                else:
                    x2 = xjp
                    y2 = d[jp]
                    jnext = jp
                delta = x2 - x1
                diam += (y2 + y1) * delta
                if delta < 1e-15:
                    delta = 1e-15
                temp = y2 * y1 / delta
                if temp == 0:
                    temp = 1e-15
                ri += 1 / temp
                temp = 0.5 * (y2 - y1)
                temp = math.sqrt(delta * delta + temp * temp)
                area += (y2 + y1) * temp
                x1 = x2
                y1 = y2
                if j == jnext:
                    break
                j = jnext
            if ihalf == 0:
                rleft = ri * ra / PI * (4.0 * 0.01)
            else:
                ri = ri * ra / PI * (4.0 * 0.01)
            si = sip
        rinvs.append(1.0 / (rparent + rleft))
        diams.append(diam * (0.5 / ds))
        areas.append(area * 0.5 * PI)
        rparent = ri
    return areas, rinvs, diams, rparent


def cylinders(L, nseg, ra, diam_of_node):
    """nrn_area_ri without 3-D points: every segment a cylinder of its own diam."""
    dx = L / float(nseg)
    rright = 0.0
    areas, rinvs = [], []
    for j in range(nseg):
        dm = diam_of_node[j]
        areas.append(PI * dm * dx)
        rleft = 1e-2 * ra * (dx / 2) / (PI * dm * dm / 4.0)
        rinvs.append(1.0 / (rleft + rright))
        rright = rleft
    return areas, rinvs, rright


# ---------------------------------------------------------------------------------------
# Rules: nodes and topology
# ---------------------------------------------------------------------------------------


def node_index(sec, x):
    """cabcode.cpp node_index: the centre node whose segment contains x (0 < x < 1)."""
    n = float(sec["nseg"])
    i = int(n * x)
    if i == int(n):
        i = int(n) - 1
    if sec["x_child_end"]:
        i = int(n) - i - 1
    return i


def parent_node(secs, name):
    """nrn_parent_info: the node the section's attached end shares."""
    s = secs[name]
    while s["parent"] is not None:
        p = secs[s["parent"]]
        x = s["parent_x"]
        if x != p["x_child_end"]:  # not the parent's own attached end: true parent found
            if x == 1.0 or x == 0.0:
                return (p["name"], p["nseg"])  # the parent's far end node
            return (p["name"], node_index(p, x))
        s = p  # attached where the parent itself is attached: go up
    return ("root", s["name"])


def node_exact(secs, sec, x):
    """cabcode.cpp node_exact: the node of x in [0, 1] (x = 0 / 1 are the end nodes)."""
    if x <= 0.0 or x >= 1.0:
        x = min(max(x, 0.0), 1.0)
        if sec["x_child_end"]:
            x = 1.0 - x
        if x == 0.0:
            return parent_node(secs, sec["name"])
        return (sec["name"], sec["nseg"])
    return (sec["name"], node_index(sec, x))


def node_order(secs, order, connect_order):
    """multicore.cpp reorder_secorder: the root nodes of all trees (sections in creation
    order), then the sections breadth first, each section's nodes pnode[0..nseg] in a row.
    Children of a section are kept sorted by their position along it (nrn_add_sibling_list:
    a new child goes before existing ones at the same position)."""
    children = {nm: [] for nm in order}

    def ncp_abs(nm):
        s = secs[nm]
        return 1.0 - s["parent_x"] if secs[s["parent"]]["x_child_end"] else s["parent_x"]

    for nm in connect_order:
        if secs[nm]["parent"] is None:
            continue
        sib = children[secs[nm]["parent"]]
        x = ncp_abs(nm)
        k = 0
        while k < len(sib) and x > ncp_abs(sib[k]):
            k += 1
        sib.insert(k, nm)
    roots = [nm for nm in order if secs[nm]["parent"] is None]
    index = {}
    for nm in roots:
        index[("root", nm)] = len(index)
    queue = list(roots)
    i = 0
    while i < len(queue):
        nm = queue[i]
        for j in range(secs[nm]["nseg"] + 1):
            index[(nm, j)] = len(index)
        queue += children[nm]
        i += 1
    return index


# ---------------------------------------------------------------------------------------
# Rules: SWC import (Import3d_SWC_read + Import3d_GUI.instantiate)
# ---------------------------------------------------------------------------------------


def fmt8(v):
    """instantiate prints 3-D points with %.8g; hoc reads the text back as a double and
    pt3dadd stores it as float."""
    return f32(float("%.8g" % v))


def import_swc(path, dlambda):
    rows = []
    for line in open(path):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        v = [strtof(t) for t in parts[:7]]  # hoc sscanf "%f" reads float32
        v[5] *= 2  # radius -> diameter
        rows.append(v)
    n = len(rows)
    ident = [r[0] for r in rows]
    typ = [r[1] for r in rows]
    X = [r[2] for r in rows]
    Y = [r[3] for r in rows]
    Z = [r[4] for r in rows]
    D = [r[5] for r in rows]
    pid = [r[6] for r in rows]
    assert ident == sorted(ident), "ids must be increasing (the reader would sort)"
    id2index = {int(ident[i]): i for i in range(n)}

    def pix(i):
        return -1 if pid[i] < 0 else id2index[int(pid[i])]

    # mark_branch
    nchild = [0.0] * n
    connect2prox = [0] * n
    for i in range(n):
        p = pix(i)
        if p >= 0:
            nchild[p] += 1
            if p != i - 1:
                nchild[p] += 0.01
                if p > 1:
                    if typ[p] != 1 and typ[pix(p)] == 1:
                        connect2prox[i] = 1
                        nchild[p] = 1
                elif p == 0:
                    if typ[p] != 1:
                        connect2prox[i] = 1
                        nchild[p] = 1
            if typ[p] != typ[i]:
                nchild[p] += 0.01
    # sectionify
    nchild_soma = [0] * n
    nsoma = 1 if typ[0] == 1 else 0
    for i in range(1, n):
        if typ[i] == 1:
            nsoma += 1
            p = pix(i)
            if p >= 0 and typ[p] == 1:
                nchild_soma[p] += 1
    soma3geom = 0
    if nsoma == 3 and pix(1) == 0 and pix(2) == 0:  # neuromorph_3point_soma
        if nchild[1] == 0 and nchild[2] == 0 and D[1] == D[0] and D[2] == D[0]:
            ln = 0.0
            for i in (1, 2):
                ln += math.sqrt((X[i] - X[0]) ** 2 + (Y[i] - Y[0]) ** 2 + (Z[i] - Z[0]) ** 2)
            if abs(ln / D[0] - 1) < 0.01:
                soma3geom = 1
                pid[2] = ident[1]
    for i in range(n - 1):
        if typ[i] == 1 and typ[i + 1] == 1 and pix(i + 1) == i:
            if not (i != 0 and nchild_soma[i] > 1):
                nchild[i] = 1
    sec2point = [i for i in range(n) if abs(nchild[i] - 1) > 1e-11]
    point2sec = [0] * n
    si = 0
    for i in range(1, n):
        if i > sec2point[si]:
            si += 1
        point2sec[i] = si

    # mksections
    sections = []

    def mksection(isec, first, i):
        s = {"first": 0, "parentx": 1.0, "parent": None}
        if isec == 0:
            if soma3geom:
                i = 1
            idx = list(range(first, i))
        else:
            pp = pix(first)
            psec = sections[point2sec[pp]]
            s["parent"] = psec
            den_con_soma = psec["type"] == 1 and typ[first] != 1
            con_soma = psec["type"] == 1
            handled = 0
            if psec is sections[0]:
                handled = 1
                if den_con_soma and len(psec["d"]) == 1:
                    s["parentx"] = 0.5
                    if i - first > 1:
                        s["first"] = 1
                elif pp == psec["id"]:
                    s["parentx"] = 0.0
                    if typ[first] != 1 and nchild_soma[pp] > 1:
                        s["first"] = 1
                else:
                    handled = 0
            if handled == 0 and con_soma:
                offset = -1 if psec["id"] == 0 else -2
                if pp < psec["id"] + len(psec["d"]) + offset:
                    s["parentx"] = 0.5
                    if den_con_soma and i - first > 1:
                        s["first"] = 1
                elif i - first > 1 and nchild_soma[pp] > 1:
                    if typ[first] != 1:
                        s["first"] = 1
            idx = [pp] + list(range(first, i))
        s["id"] = first
        s["raw"] = [[X[k], Y[k], Z[k]] for k in idx]
        s["d"] = [D[k] for k in idx]
        s["type"] = typ[first]
        sections.append(s)
        if s["parent"] is not None and s["parent"]["type"] == 1 and s["type"] != 1:
            s["d"][0] = s["d"][1]
        if connect2prox[first]:
            s["parentx"] = 0.0

    isec = 0
    first = 0
    for i in range(n):
        if point2sec[i] > isec:
            mksection(isec, first, i)
            isec += 1
            first = i
    mksection(isec, first, n)

    # instantiate: chk_valid, names, points
    for i in range(len(sections) - 1, -1, -1):
        s = sections[i]
        if s["parent"] is None:
            continue
        npts = len(s["raw"]) - s["first"]
        if npts <= 1 or (npts <= 2 and s["raw"][s["first"]] == s["raw"][s["first"] + 1]):
            del sections[i]
            for c in sections[i:]:
                if c["parent"] is s:
                    c["parent"] = s["parent"]
                    c["parentx"] = s["parentx"]
    tmin = min(typ)
    count = {}
    for s in sections:
        s["nameindex"] = count.get(s["type"], 0)
        count[s["type"]] = s["nameindex"] + 1

    def tname(t):
        t = int(t)
        return {1: "soma", 2: "axon", 3: "dend", 4: "apic"}.get(
            t, "minus_%d" % -t if t < 0 else "dend_%d" % t)

    for s in sections:
        s["name"] = "%s[%d]" % (tname(s["type"]), s["nameindex"])
    out = []
    for s in sorted(sections, key=lambda s: (s["type"] - tmin, s["nameindex"])):
        j = s["first"]
        xs = [p[0] for p in s["raw"][j:]]
        ys = [p[1] for p in s["raw"][j:]]
        zs = [p[2] for p in s["raw"][j:]]
        ds = s["d"][j:]
        if len(ds) == 1:  # sphere_rep
            xs, ys, zs, ds = [xs[0]] * 3, [ys[0]] * 3, [zs[0]] * 3, [ds[0]] * 3
            xs[0] -= ds[0] / 2
            xs[2] += ds[0] / 2
        pts = [[fmt8(a), fmt8(b), fmt8(c), fmt8(dd)] for a, b, c, dd in zip(xs, ys, zs, ds)]
        out.append(
            {
                "name": s["name"],
                "parent": s["parent"]["name"] if s["parent"] is not None else None,
                "parent_x": s["parentx"] if s["parent"] is not None else None,
                "x_child_end": 0.0,
                "nseg": 1,
                "Ra": 35.4,
                "cm": 1.0,
                "pt3d": pts,
                "pt3dstyle": 1 if s["first"] == 1 else 0,
            }
        )
    if dlambda:
        for s in out:
            arc = arc_lengths(s["pt3d"])
            L = arc[-1]
            lam = 0.0
            x1, d1 = arc[0], s["pt3d"][0][3]
            for i in range(1, len(arc)):
                x2, d2 = arc[i], s["pt3d"][i][3]
                lam += (x2 - x1) / math.sqrt(d1 + d2)
                x1, d1 = x2, d2
            lam *= math.sqrt(2) * 1e-5 * math.sqrt(4 * PI * 100 * s["Ra"] * s["cm"])
            lf = L / lam
            s["nseg"] = int((L / (0.1 * lf) + 0.999) / 2) * 2 + 1
    return out, [s["name"] for s in sections]


# ---------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(b), 1e-300)


def check_case(name):
    data = json.load(open(os.path.join(GOLDEN, name + ".json")))
    dt = data["dt"]
    secs = {s["name"]: s for s in data["sections"]}
    order = [s["name"] for s in data["sections"]]
    segs = data["segments"]
    worst = {}
    fails = []

    def note(q, mine, ref):
        r = rel(mine, ref)
        worst[q] = max(worst.get(q, 0.0), r)

    # order of connect() calls: the build order here; for SWC the importer's section order
    connect_order = order
    # SWC: the importer's output
    if "swc_file" in data:
        mine, connect_order = import_swc(os.path.join(GOLDEN, data["swc_file"]),
                                         "d_lambda" in data["nseg_rule"])
        if [m["name"] for m in mine] != order:
            fails.append("section names/order %s" % [m["name"] for m in mine])
        for m in mine:
            ref = secs.get(m["name"])
            if ref is None:
                continue
            for k in ("parent", "parent_x", "x_child_end", "nseg", "Ra", "cm", "pt3d", "pt3dstyle"):
                if m[k] != ref[k]:
                    fails.append("%s %s: rule %r, NEURON %r" % (m["name"], k, m[k], ref[k]))

    # geometry per section: nodes pnode[0..nseg-1] (from the attached end) and pnode[nseg]
    area = {}
    rinv = {}
    for nm in order:
        s = secs[nm]
        nseg = s["nseg"]
        if len(s["pt3d"]) > 1:
            arc = arc_lengths(s["pt3d"])
            for a, b in zip(arc, s["arc3d"]):
                note("arc3d", a, b)
            note("L", arc[-1], s["L"])
            ar, ri, dm, rright = frusta(s["pt3d"], arc, nseg, s["Ra"])
            for j in range(nseg):
                # seg(x).diam for the centre x of node j
                x = ((j + 0.5) / nseg) if not s["x_child_end"] else 1 - (j + 0.5) / nseg
                ref = [g for g in segs if g["section"] == nm and abs(g["x"] - x) < 1e-12][0]
                note("diam", dm[j], ref["diam"])
        else:
            dnode = [None] * nseg
            for g in segs:
                if g["section"] == nm and 0 < g["x"] < 1:
                    dnode[node_index(s, g["x"])] = g["diam"]
            ar, ri, rright = cylinders(s["L"], nseg, s["Ra"], dnode)
        for j in range(nseg):
            area[(nm, j)] = ar[j]
            rinv[(nm, j)] = ri[j]
        area[(nm, nseg)] = 100.0  # zero-area end node: "area" 100
        rinv[(nm, nseg)] = 1.0 / rright
        if s["parent"] is None:
            area[("root", nm)] = 100.0  # root node: area 100, rinv 0
            rinv[("root", nm)] = 0.0

    # a, b per node; the diagonal after fcurrent()
    A = {}
    B = {}
    parent_of = {}
    for nm in order:
        s = secs[nm]
        pn = parent_node(secs, nm)
        first = (nm, 0)
        A[first] = -1.0e2 * s["rallbranch"] * rinv[first] / area[pn]
        parent_of[first] = pn
        for j in range(1, s["nseg"] + 1):
            A[(nm, j)] = -1.0e2 * rinv[(nm, j)] / area[(nm, j - 1)]
            parent_of[(nm, j)] = (nm, j - 1)
        for j in range(0, s["nseg"] + 1):
            B[(nm, j)] = -1.0e2 * rinv[(nm, j)] / area[(nm, j)]
        if s["parent"] is None:
            A[("root", nm)] = 0.0
            B[("root", nm)] = 0.0

    # node numbering (reorder_secorder): my node keys and indices against NEURON's
    index_of_key = node_order(secs, order, connect_order)
    for g in segs:
        k = node_exact(secs, secs[g["section"]], g["x"])
        if index_of_key.get(k) != g["node"]:
            fails.append("node of %s(%r): rule %r = %r, NEURON node %d"
                         % (g["section"], g["x"], k, index_of_key.get(k), g["node"]))

    def diag(cj):
        cfac = 0.001 * cj
        D = {}
        # nrn_cap_jacob first, then nrn_lhs in node order: d -= b; d[parent] -= a
        for k in index_of_key:
            D[k] = 0.0
            if k[0] != "root" and k[1] < secs[k[0]]["nseg"]:
                D[k] += cfac * secs[k[0]]["cm"]
        for k in sorted(index_of_key, key=lambda k: index_of_key[k]):
            if k[0] == "root":
                continue
            D[k] -= B[k]
            D[parent_of[k]] -= A[k]
        return D

    D1 = diag(1.0 / dt)
    D2 = diag(2.0 / dt)

    # one fixed step (no mechanisms): nrn_rhs, nrn_lhs, triang, bksub, update
    v0 = {}
    for g in segs:
        v0[node_exact(secs, secs[g["section"]], g["x"])] = g["v0"]
    by_index = sorted(index_of_key, key=lambda k: index_of_key[k])
    nroot = sum(1 for k in by_index if k[0] == "root")

    def step(D, factor):
        D = dict(D)
        rhs = {k: 0.0 for k in by_index}
        for k in by_index[nroot:]:
            dv = v0[parent_of[k]] - v0[k]
            rhs[k] -= B[k] * dv
            rhs[parent_of[k]] += A[k] * dv
        for k in reversed(by_index[nroot:]):  # triang: leaves first
            p = A[k] / D[k]
            D[parent_of[k]] -= p * B[k]
            rhs[parent_of[k]] -= p * rhs[k]
        for k in by_index[:nroot]:  # bksub
            rhs[k] /= D[k]
        for k in by_index[nroot:]:
            rhs[k] -= B[k] * rhs[parent_of[k]]
            rhs[k] /= D[k]
        return {k: v0[k] + factor * rhs[k] for k in by_index}  # update: v += rhs (2 rhs)

    V1 = step(D1, 1.0)
    V2 = step(D2, 2.0)
    for g in segs:
        s = secs[g["section"]]
        x = g["x"]
        k = node_exact(secs, s, x)
        ar = area[k] if 0 < x < 1 else 0.0  # seg.area() is 0 at x = 0 and 1
        ri = 1.0 / rinv[k] if rinv[k] else 1e30
        note("area", ar, g["area"])
        note("ri", ri, g["ri"])
        note("a", A[k], g["a"])
        note("b", B[k], g["b"])
        note("d", D1[k], g["d"])
        note("d_secondorder2", D2[k], g["d_secondorder2"])
        note("v_step", V1[k], g["v_step"])
        note("v_step_secondorder2", V2[k], g["v_step_secondorder2"])
        if x in (0.0, 1.0):  # diam (any range variable) at the ends: the nearest segment
            xi = 0.5 / s["nseg"] if x == 0.0 else 1 - 0.5 / s["nseg"]
            ref = [h for h in segs if h["section"] == s["name"] and abs(h["x"] - xi) < 1e-12][0]
            note("diam", ref["diam"], g["diam"])
    return worst, fails


def main():
    bad = False
    overall = 0.0
    for name in CASES:
        worst, fails = check_case(name)
        m = max(worst.values())
        overall = max(overall, m)
        detail = ", ".join("%s %.1e" % (k, v) for k, v in sorted(worst.items()))
        print("%-30s max rel diff %.2e   (%s)" % (name, m, detail))
        for f in fails:
            print("   FAIL:", f)
        if fails or m > TOL:
            bad = True
    print("all cases: max rel diff %.2e -> %s" % (overall, "FAIL" if bad else "OK"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
