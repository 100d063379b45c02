#!/usr/bin/env python3
"""Heat map of one measure of a `ranvier sweep` result over two swept parameters.

    python3 scripts/sweep_heatmap.py liu-sweep.csv --measure burst_period_ms -o period.png
        [--x CaS.gbar] [--y ACurrent.gbar] [--title TEXT]

--x and --y default to the first two parameter columns (those between `run` and `class`).
Cells whose measure is undefined (nan: silent or irregular cells for burst metrics) are
grey; with --measure class each class has its own colour. Needs Debian's python3-matplotlib.
"""
import argparse
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

CLASSES = ["silent", "tonic", "bursting", "irregular"]


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
    params = columns[1:columns.index("class")]
    if len(params) < 2 and not (args.x and args.y):
        sys.exit(f"{args.csv}: a heat map needs two swept parameters; the file has {params}")
    x_name, y_name = args.x or params[0], args.y or params[1]
    for name in (x_name, y_name, args.measure):
        if name not in columns:
            sys.exit(f"{args.csv}: no column '{name}'; the columns are {', '.join(columns)}")
    xs = sorted({float(r[x_name]) for r in rows})
    ys = sorted({float(r[y_name]) for r in rows})
    grid = [[math.nan] * len(xs) for _ in ys]
    categorical = args.measure == "class"
    for r in rows:
        value = CLASSES.index(r["class"]) if categorical else float(r[args.measure])
        grid[ys.index(float(r[y_name]))][xs.index(float(r[x_name]))] = value

    fig, ax = plt.subplots(figsize=(6, 5))
    extent = [xs[0], xs[-1], ys[0], ys[-1]]
    if categorical:
        cmap = ListedColormap(["#dddddd", "#4c72b0", "#dd8452", "#c44e52"])
        image = ax.imshow(grid, origin="lower", aspect="auto", extent=extent, cmap=cmap, vmin=-0.5, vmax=3.5, interpolation="nearest")
        bar = fig.colorbar(image, ticks=range(4))
        bar.ax.set_yticklabels(CLASSES)
    else:
        cmap = plt.get_cmap("viridis").copy()
        cmap.set_bad("#bbbbbb")
        image = ax.imshow(grid, origin="lower", aspect="auto", extent=extent, cmap=cmap, interpolation="nearest")
        fig.colorbar(image, label=args.measure)
    ax.set_xlabel(x_name)
    ax.set_ylabel(y_name)
    ax.set_title(args.title or f"{args.measure} ({len(rows)} runs; grey: undefined)")
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"{args.output}: {args.measure} over {x_name} x {y_name}")


if __name__ == "__main__":
    main()
