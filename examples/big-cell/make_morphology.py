#!/usr/bin/env python3
"""Writes examples/big-cell/cell.swc: a synthetic pyramidal-like neuron with more than a
thousand unbranched sections (Ranvier's multisplit example, examples/big-cell/cell.toml).

    python3 examples/big-cell/make_morphology.py            # rewrites cell.swc next to this file
    python3 examples/big-cell/make_morphology.py -o x.swc   # somewhere else
    python3 examples/big-cell/make_morphology.py --check    # exit 1 if cell.swc is not what it writes

Not a reconstruction: a random tree grown from a fixed seed (Python's random.Random, whose
random() sequence is the same in every Python 3), so the file is reproducible (--check
compares it with what the script writes). What it grows (lengths and radii in um):

- soma: the NeuroMorpho.org three-point soma, radius 12 (NEURON's Import3d and Ranvier
  make it one cylinder, L = diam = 24);
- axon: an initial segment tapering from radius 0.9 to 0.5 over 30 um, then 900 um of
  radius 0.5 with two collaterals of 200 um, radius 0.35 to 0.3 (5 sections);
- basal dendrites: 7 trees leaving the lower half of the soma, radius 1.1 at the soma,
  binary branching with a branching probability that falls with the branch order
  (internal branches 8-20 um, terminal ones 20-60 um), radii shrinking by a factor 0.8
  per bifurcation down to 0.25;
- apical dendrite: a trunk about 550 um long tapering from radius 2.2 to 1.0, with an
  oblique tree every 16-30 um (each oblique point splits the trunk into a new section),
  and a tuft of three trees at its end (branches of 12-30 um, terminal ones 30-70 um).

1377 sections, 7206 points; with Ra 100, cm 1 and d_lambda 0.1 (examples/big-cell/cell.toml)
3021 segments.

Every process starts at the soma surface and is attached to the soma centre (parent 1),
so Import3d connects it to soma(0.5). Each section is written as consecutive lines
(depth first, the first child on the line after its parent point), which is what
Import3d needs to see one section per branch; no branch leaves the first point of a
primary process (that would be Import3d's "connect2prox" case). Coordinates have two
decimals and radii three (both importers read them as float32 and round them to 8 digits
the same way: docs/neuron-discretisation.md section 5). The summary printed at the end (sections per type, points, length, area) is
also written into the file's header.
"""

import argparse
import math
import os
import random
import sys

SEED = 20261122
SOMA_R = 12.0
STEP = 6.0            # um between consecutive points of a section (about)

HERE = os.path.dirname(os.path.abspath(__file__))


class Writer:
    """Accumulates SWC points: id, type, x, y, z, radius, parent (ids from 1)."""

    def __init__(self):
        self.rows = []

    def add(self, kind, pos, r, parent):
        # Round now, so the positions that children start from are those in the file.
        x, y, z = (round(c, 2) for c in pos)
        r = round(max(r, 0.2), 3)
        self.rows.append((len(self.rows) + 1, kind, x, y, z, r, parent))
        return len(self.rows), (x, y, z)


def norm(v):
    n = math.sqrt(sum(c * c for c in v))
    return tuple(c / n for c in v)


def perpendicular(rng, d):
    """A random unit vector perpendicular to d."""
    while True:
        v = (rng.random() * 2 - 1, rng.random() * 2 - 1, rng.random() * 2 - 1)
        dot = sum(a * b for a, b in zip(v, d))
        w = tuple(a - dot * b for a, b in zip(v, d))
        if math.sqrt(sum(c * c for c in w)) > 0.1:
            return norm(w)


def turn(d, u, angle):
    return norm(tuple(math.cos(angle) * a + math.sin(angle) * b for a, b in zip(d, u)))


def wiggle(rng, d, amount, pull=None, pull_weight=0.0):
    w = tuple(a + amount * (rng.random() * 2 - 1) for a in d)
    if pull is not None:
        w = tuple(a + pull_weight * b for a, b in zip(w, pull))
    return norm(w)


def path(rng, out, kind, parent_id, start, d, length, r0, r1, pull=None, pull_weight=0.0):
    """Points from start along a slightly wandering direction; the first point is one step
    away from start (start is the parent point). Returns (last id, last position, final
    direction)."""
    n = max(2, int(round(length / STEP)))
    step = length / n
    pid, pos = parent_id, start
    for i in range(1, n + 1):
        d = wiggle(rng, d, 0.15, pull, pull_weight)
        pos = tuple(p + step * c for p, c in zip(pos, d))
        pid, pos = out.add(kind, pos, r0 + (r1 - r0) * i / n, pid)
    return pid, pos, d


def subtree(rng, out, kind, parent_id, start, d, r, order, p_branch, internal, terminal,
            shrink=0.8, rmin=0.25, pull=None, pull_weight=0.0):
    """A branch of order `order` and, with probability p_branch[order], two daughters."""
    p = p_branch[order] if order < len(p_branch) else 0.0
    branches = rng.random() < p
    lo, hi = internal if branches else terminal
    length = lo + (hi - lo) * rng.random()
    r_end = max(rmin, r * (0.92 if branches else 0.6))
    pid, pos, d = path(rng, out, kind, parent_id, start, d, length, r, r_end, pull, pull_weight)
    if not branches:
        return
    u = perpendicular(rng, d)
    spread = 0.35 + 0.35 * rng.random()
    rd = max(rmin, r_end * shrink)
    for sign in (1, -1):
        dd = turn(d, tuple(sign * c for c in u), spread)
        subtree(rng, out, kind, pid, pos, dd, rd, order + 1, p_branch, internal, terminal,
                shrink, rmin, pull, pull_weight)


def soma_surface(d):
    return tuple(SOMA_R * c for c in d)


def build():
    rng = random.Random(SEED)
    out = Writer()
    # Three-point soma (NeuroMorpho.org convention): centre, then +r and -r along y.
    out.add(1, (0, 0, 0), SOMA_R, -1)
    out.add(1, (0, SOMA_R, 0), SOMA_R, 1)
    out.add(1, (0, -SOMA_R, 0), SOMA_R, 1)

    # Axon: initial segment, then the axon with two collaterals.
    d = norm((0.05, -1, 0.02))
    start = soma_surface(d)
    aid, pos = out.add(2, start, 0.9, 1)
    aid, pos, d = path(rng, out, 2, aid, pos, d, 30, 0.85, 0.5)
    collaterals = []  # written after the rest of the axon (not on the next line)
    for k, seg in enumerate((250, 300, 350)):
        aid, pos, d = path(rng, out, 2, aid, pos, d, seg, 0.5, 0.5, (0, -1, 0), 0.2)
        if k < 2:
            collaterals.append((aid, pos, d))
    for cid, cpos, cd in collaterals:
        u = perpendicular(rng, cd)
        path(rng, out, 2, cid, cpos, turn(cd, u, 1.0), 200, 0.35, 0.3)

    # Basal dendrites: 7 trees around the lower half of the soma.
    p_basal = (1.0, 1.0, 1.0, 0.95, 0.85, 0.7, 0.5, 0.3)
    for k in range(7):
        phi = 2 * math.pi * (k + 0.3 * rng.random()) / 7
        d = norm((math.cos(phi), -0.35 - 0.3 * rng.random(), math.sin(phi)))
        bid, pos = out.add(3, soma_surface(d), 1.1, 1)
        # A short first stretch (>= 2 points before any branch), then the tree.
        bid, pos, d = path(rng, out, 3, bid, pos, d, 16, 1.1, 1.0)
        subtree(rng, out, 3, bid, pos, d, 1.0, 1, p_basal, (8, 20), (20, 60))

    # Apical dendrite: trunk pieces with obliques, then a tuft. The trunk continues on the
    # next line; every oblique follows the whole rest of the trunk (and its tuft).
    trunk_len = 550.0
    d = norm((0.02, 1, -0.03))
    tid, pos = out.add(4, soma_surface(d), 2.2, 1)
    tid, pos, d = path(rng, out, 4, tid, pos, d, 16, 2.2, 2.15)
    along = 16.0
    branch_points = []
    p_oblique = (1.0, 0.8, 0.55, 0.3)
    p_tuft = (1.0, 1.0, 1.0, 0.95, 0.85, 0.7, 0.5, 0.3)
    while along < trunk_len:
        seg = 16 + 14 * rng.random()
        r0 = 2.15 - 1.15 * along / trunk_len
        r1 = 2.15 - 1.15 * min(along + seg, trunk_len) / trunk_len
        tid, pos, d = path(rng, out, 4, tid, pos, d, seg, r0, r1, (0, 1, 0), 0.3)
        along += seg
        branch_points.append((tid, pos, d, r1))
    # The tuft: three trees from the end of the trunk.
    end_id, end_pos, end_d, _ = branch_points.pop()
    for k in range(3):
        u = perpendicular(rng, end_d)
        dd = turn(end_d, u, 0.5 + 0.3 * rng.random())
        subtree(rng, out, 4, end_id, end_pos, dd, 0.9, 0, p_tuft, (12, 30), (30, 70),
                shrink=0.85, pull=(0, 1, 0), pull_weight=0.15)
    # The obliques, last trunk point first (depth-first order would put them here too).
    for pid, ppos, pd, pr in reversed(branch_points):
        u = perpendicular(rng, pd)
        dd = turn(pd, u, 1.1 + 0.3 * rng.random())
        subtree(rng, out, 4, pid, ppos, dd, max(0.4, 0.45 * pr), 0, p_oblique, (10, 22),
                (20, 50))
    return out.rows


def sections(rows):
    """Counts sections the way Import3d cuts them: a point ends a section unless it has
    exactly one child and that child is the next line (types never change inside a
    process here). Returns {type: count} for the non-soma types and the number of
    points of each type."""
    children = {}
    for i, kind, x, y, z, r, parent in rows:
        children.setdefault(parent, []).append(i)
    count, points = {}, {}
    for i, kind, x, y, z, r, parent in rows:
        points[kind] = points.get(kind, 0) + 1
        if kind == 1:
            continue
        first = parent == 1 or rows[parent - 1][1] != kind or not (
            len(children.get(parent, [])) == 1 and parent == i - 1)
        if first:
            count[kind] = count.get(kind, 0) + 1
    return count, points


def measures(rows):
    """Total length and lateral area (frusta) per type, from parent to child."""
    length, area = {}, {}
    for i, kind, x, y, z, r, parent in rows:
        if kind == 1 or parent < 1:
            continue
        p = rows[parent - 1]
        if p[1] == 1:
            continue  # the first point of a process: Import3d drops the soma centre
        dl = math.dist((x, y, z), p[2:5])
        length[kind] = length.get(kind, 0.0) + dl
        area[kind] = area.get(kind, 0.0) + math.pi * (r + p[5]) * math.sqrt(dl * dl + (r - p[5]) ** 2)
    return length, area


def render(rows):
    count, points = sections(rows)
    length, area = measures(rows)
    names = {2: "axon", 3: "dend (basal)", 4: "apic"}
    total = 1 + sum(count.values())
    lines = [
        "# cell.swc -- a synthetic pyramidal-like neuron for Ranvier's multisplit example",
        "# (examples/big-cell/cell.toml). Written by make_morphology.py (seed %d); do not edit," % SEED,
        "# run that script instead. Not a reconstruction. Columns: id type x y z radius parent (um).",
        "# Types: 1 soma (NeuroMorpho three-point soma, radius %g), 2 axon, 3 basal, 4 apical." % SOMA_R,
        "# %d sections after import (NEURON's Import3d / Ranvier): soma[0] and" % total,
    ]
    for kind in (2, 3, 4):
        lines.append("#   %-13s %4d sections, %5d points, %7.0f um, %8.0f um2" % (
            names[kind], count[kind], points[kind], length[kind], area[kind]))
    lines.append("#   soma cylinder area %.0f um2; %d points in all." % (math.pi * 4 * SOMA_R ** 2, len(rows)))
    for i, kind, x, y, z, r, parent in rows:
        lines.append("%d %d %.2f %.2f %.2f %.3f %d" % (i, kind, x, y, z, r, parent))
    return "\n".join(lines) + "\n", total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "cell.swc"))
    ap.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = ap.parse_args()
    text, total = render(build())
    if args.check:
        with open(args.output) as f:
            same = f.read() == text
        print("%s: %s" % (args.output, "up to date" if same else "DIFFERS from what make_morphology.py writes"))
        sys.exit(0 if same else 1)
    with open(args.output, "w") as f:
        f.write(text)
    print("wrote %s: %d sections" % (args.output, total))
    print("".join(line[2:] + "\n" for line in text.splitlines()[4:9]), end="")


if __name__ == "__main__":
    main()
