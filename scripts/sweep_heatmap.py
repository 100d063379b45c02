#!/usr/bin/env python3
"""Heat map of one measure of a `ranvier sweep` result over two swept parameters.

    python3 scripts/sweep_heatmap.py liu-sweep.csv --measure burst_period_ms -o period.png
        [--x CaS.gbar] [--y ACurrent.gbar] [--title TEXT]

--x and --y default to the first two parameter columns (those between `run` and the first
measure). A sweep that measures several cells prefixes each one's measures with its label
(--measure "pair[0].burst_period_ms"). Cells whose measure is undefined (nan: silent or
irregular cells for burst metrics) are grey; with --measure class (or LABEL.class) each
class has its own colour. Needs Debian's python3-matplotlib.
"""
import argparse
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

CLASSES = ["silent", "tonic", "bursting", "irregular"]


def edges(values):
    """Cell edges around grid values, half-way between neighbours: geometric midpoints
    for a logspace axis (positive values with one ratio between neighbours), else
    arithmetic ones. Returns (edges, logarithmic)."""
    if len(values) < 2:
        v = values[0]
        return [v - 0.5, v + 0.5] if v == 0 else [v * 0.9, v * 1.1], False
    ratios = [b / a for a, b in zip(values, values[1:])] if values[0] > 0 else []
    steps = [b - a for a, b in zip(values, values[1:])]
    linear = max(steps) - min(steps) <= 1e-9 * max(abs(v) for v in values)
    logarithmic = bool(ratios) and not linear and max(ratios) - min(ratios) <= 1e-9 * max(ratios)
    if logarithmic:
        mids = [math.sqrt(a * b) for a, b in zip(values, values[1:])]
        return [values[0] ** 2 / mids[0]] + mids + [values[-1] ** 2 / mids[-1]], True
    mids = [(a + b) / 2 for a, b in zip(values, values[1:])]
    return [2 * values[0] - mids[0]] + mids + [2 * values[-1] - mids[-1]], False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--measure", default="burst_period_ms")
    ap.add_argument("--x")
    ap.add_argument("--y")
    ap.add_argument("--title")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{args.csv}: no rows")
    columns = list(rows[0].keys())
    first_measure = next(i for i, c in enumerate(columns) if c == "class" or c.endswith(".class"))
    params = columns[1:first_measure]
    if len(params) < 2 and not (args.x and args.y):
        sys.exit(f"{args.csv}: a heat map needs two swept parameters; the file has {params}")
    x_name, y_name = args.x or params[0], args.y or params[1]
    for name in (x_name, y_name, args.measure):
        if name not in columns:
            sys.exit(f"{args.csv}: no column '{name}'; the columns are {', '.join(columns)}")
    xs = sorted({float(r[x_name]) for r in rows})
    ys = sorted({float(r[y_name]) for r in rows})
    grid = [[math.nan] * len(xs) for _ in ys]
    categorical = args.measure == "class" or args.measure.endswith(".class")
    for r in rows:
        value = CLASSES.index(r[args.measure]) if categorical else float(r[args.measure])
        grid[ys.index(float(r[y_name]))][xs.index(float(r[x_name]))] = value

    fig, ax = plt.subplots(figsize=(6, 5))
    x_edges, x_log = edges(xs)
    y_edges, y_log = edges(ys)
    values = numpy.ma.masked_invalid(numpy.array(grid))
    if categorical:
        cmap = ListedColormap(["#dddddd", "#4c72b0", "#dd8452", "#c44e52"])
        image = ax.pcolormesh(x_edges, y_edges, values, cmap=cmap, vmin=-0.5, vmax=3.5)
        bar = fig.colorbar(image, ticks=range(4))
        bar.ax.set_yticklabels(CLASSES)
    else:
        cmap = plt.get_cmap("viridis").copy()
        cmap.set_bad("#bbbbbb")
        image = ax.pcolormesh(x_edges, y_edges, values, cmap=cmap)
        fig.colorbar(image, label=args.measure)
    ax.set_facecolor("#bbbbbb")  # where a value is undefined
    if x_log:
        ax.set_xscale("log")
    if y_log:
        ax.set_yscale("log")
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    ax.set_title(args.title or f"{args.measure} ({len(rows)} runs; grey: undefined)")
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"{args.output}: {args.measure} over {x_name} x {y_name}")


if __name__ == "__main__":
    main()
