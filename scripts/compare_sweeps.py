#!/usr/bin/env python3
"""Compares `ranvier sweep` CSVs with a reference CSV of the same sweep, set by set.

    python3 scripts/compare_sweeps.py exact.csv fast.csv [tab.csv ...] [--labels a,b,...]

For each other CSV: how many sets change class (silent/tonic/bursting/irregular) and
which way, and the distribution of the relative change |x - ref| / |ref| of
burst_period_ms, spikes_per_burst and firing_rate_hz over the sets where both values
are defined (median, 90th and 99th percentile, maximum, and how many sets differ at
all), plus the sets where a measure is defined in one file only (a class change); the
same for the other numeric measures (spike count, calcium peaks, duty cycle, v range).
Prints plain text, and with --markdown a table for docs/sweeps.md. A sweep that measures
several cells (columns `pair[0].class`, ...) is compared cell by cell: every measured
cell of every set counts as one set here.
"""
import argparse
import csv
import math
import sys
from collections import Counter

MEASURES = ["burst_period_ms", "spikes_per_burst", "firing_rate_hz"]
# also compared, in the plain text only
OTHER = ["spikes", "ca_peak_mean", "duty_cycle", "ca_peaks", "v_min_mv", "v_max_mv"]


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows")
    return rows


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(math.ceil(p / 100 * len(sorted_values))) - 1))
    return sorted_values[k]


def per_cell(rows):
    """One row per measured cell of each set, with the columns' label prefixes removed."""
    columns = list(rows[0].keys())
    prefixes = [c[: -len("class")] for c in columns if c == "class" or c.endswith(".class")]
    out = []
    for r in rows:
        for p in prefixes:
            out.append({"run": r["run"], **{k[len(p):]: v for k, v in r.items() if p and k.startswith(p) or not p}})
    return out


def compare(ref, other):
    if len(ref) != len(other):
        sys.exit(f"the files hold {len(ref)} and {len(other)} sets")
    columns = list(ref[0].keys())
    first_measure = next(i for i, c in enumerate(columns) if c == "class" or c.endswith(".class"))
    params = columns[1:first_measure]
    for a, b in zip(ref, other):
        if a["run"] != b["run"] or any(a[p] != b[p] for p in params):
            sys.exit(f"run {a['run']}: the files are not the same sweep (parameters differ)")
    ref, other = per_cell(ref), per_cell(other)
    out = {"sets": len(ref)}
    out["class_changes"] = sum(a["class"] != b["class"] for a, b in zip(ref, other))
    out["transitions"] = Counter((a["class"], b["class"]) for a, b in zip(ref, other) if a["class"] != b["class"])
    out["identical_rows"] = sum(
        all(a[k] == b[k] for k in a if k != "reason") for a, b in zip(ref, other))
    for m in MEASURES + OTHER:
        rel, only_one, differ = [], 0, 0
        for a, b in zip(ref, other):
            x, y = float(a[m]), float(b[m])
            if math.isnan(x) and math.isnan(y):
                continue
            if math.isnan(x) or math.isnan(y):
                only_one += 1
                continue
            r = abs(y - x) / abs(x) if x != 0 else (0.0 if y == 0 else float("inf"))
            differ += r != 0
            rel.append(r)
        rel.sort()
        out[m] = {"n": len(rel), "differ": differ, "only_one": only_one, "median": percentile(rel, 50),
                  "p90": percentile(rel, 90), "p99": percentile(rel, 99), "max": rel[-1] if rel else float("nan")}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reference")
    ap.add_argument("others", nargs="+")
    ap.add_argument("--labels", help="comma-separated names for the other files")
    ap.add_argument("--markdown", action="store_true", help="also print a markdown table")
    args = ap.parse_args()
    labels = args.labels.split(",") if args.labels else args.others
    ref = read(args.reference)
    results = [(label, compare(ref, read(path))) for label, path in zip(labels, args.others)]
    for label, r in results:
        print(f"{label} vs {args.reference}: {r['sets']} sets, {r['identical_rows']} rows identical, "
              f"{r['class_changes']} change class")
        for (a, b), n in sorted(r["transitions"].items()):
            print(f"  {a} -> {b}: {n}")
        for m in MEASURES + OTHER:
            s = r[m]
            print(f"  {m}: {s['n']} sets with both defined, {s['differ']} differ; relative change median {s['median']:.2e}, "
                  f"p90 {s['p90']:.2e}, p99 {s['p99']:.2e}, max {s['max']:.2e}; defined in one file only: {s['only_one']}")
    if args.markdown:
        print()
        print("| mode | class changes | " + " | ".join(f"{m}: median / p90 / max rel. change" for m in MEASURES) + " |")
        print("|---|---:|" + "---|" * len(MEASURES))
        for label, r in results:
            cells = [f"{r[m]['median']:.1e} / {r[m]['p90']:.1e} / {r[m]['max']:.1e}" for m in MEASURES]
            print(f"| {label} | {r['class_changes']} of {r['sets']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
