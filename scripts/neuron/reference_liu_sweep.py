#!/usr/bin/python3
"""Regenerates tests/golden/liu-sweep/: NEURON 8.2.2's spike counts for every parameter
set of the sweep examples/liu-sweep/sweep.toml (625 sets of the Liu et al. 1998 neuron's
CaS and ACurrent maximal conductances, 11 s at dt 0.1 ms, spikes counted after the 5.5 s
transient), with the analytic mechanisms (mechanisms/liu) and the tabulated ones
(mechanisms/liu-tab). The case is described in tests/golden/liu-sweep/README.md.

    /usr/bin/python3 scripts/neuron/reference_liu_sweep.py

Needs Debian's NEURON 8.2.2 (neuron, neuron-dev, python3-neuron); about a minute.

The sets are computed here from the sweep file as `ranvier sweep` computes them
(linspace: first + k/(count-1) * (last - first), the last value exactly), written as a
sets CSV, and run by bench/neuron/liu_sweep.py (all sets as one population of cells,
pc.psolve; the NEURON side of bench/run-sweep-bench.sh), once per mechanism folder.
Everything is fixed-step and noise-free, so two runs give the same file.
"""

import os
import re
import subprocess
import sys
import tempfile
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import provenance_header, sha256, write_csv  # noqa: E402

SPEC = os.path.join(ROOT, "examples", "liu-sweep", "sweep.toml")
GOLDEN = os.path.join(ROOT, "tests", "golden", "liu-sweep")
RUNNER = os.path.join(ROOT, "bench", "neuron", "liu_sweep.py")
FOLDERS = ("liu", "liu-tab")


def linspace(first, last, count):
    """ranvier sweep's grid (runtime/sweep/sweep_spec.cpp), value for value."""
    out = [first + ((k / (count - 1)) if count > 1 else 0.0) * (last - first) for k in range(count)]
    if count > 1:
        out[-1] = last
    return out


def sweep_sets():
    with open(SPEC, "rb") as f:
        spec = tomllib.load(f)
    params = spec["parameter"]
    names = [p["name"] for p in params]
    if names != ["CaS.gbar", "ACurrent.gbar"] or any(p.get("unit") != "uS/mm2" for p in params):
        sys.exit("reference_liu_sweep: %s is not the CaS x ACurrent sweep in uS/mm2 this script knows" % SPEC)
    if (spec["tstop"], spec["dt"], spec["transient"]) != (11000, 0.1, 5500):
        sys.exit("reference_liu_sweep: %s changed its tstop, dt or transient; update bench/neuron/liu_sweep.py" % SPEC)
    grids = [linspace(*p["linspace"]) for p in params]
    return names, [(a, b) for a in grids[0] for b in grids[1]]  # the last parameter fastest


def main():
    names, sets = sweep_sets()
    with tempfile.TemporaryDirectory(prefix="ranvier-liu-sweep-ref.") as tmp:
        sets_csv = os.path.join(tmp, "sets.csv")
        write_csv(sets_csv, ["run"] + names, [[run, a, b] for run, (a, b) in enumerate(sets)])
        counts, lines = {}, []
        for folder in FOLDERS:
            out = os.path.join(tmp, folder + ".csv")
            r = subprocess.run(["/usr/bin/python3", RUNNER, "--sets", sets_csv, "--mechanisms", folder,
                                "--threads", "2", "--out", out], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                sys.exit("reference_liu_sweep: NEURON failed for %s:\n%s" % (folder, r.stdout))
            # the run's summary without its time, so that two runs give the same file
            lines += [re.sub(r"sim [0-9.]+ s; ", "", line) for line in r.stdout.splitlines() if line.startswith("neuron:")]
            with open(out) as f:
                rows = [line.split(",") for line in f.read().split()[1:]]
            counts[folder] = {int(run): int(n) for run, n in rows}
            if sorted(counts[folder]) != list(range(len(sets))):
                sys.exit("reference_liu_sweep: %s has not every set" % out)
        prov = provenance_header("NEURON reference spike counts for the Liu sweep (scripts/neuron/reference_liu_sweep.py)", tmp)
        prov.append("%s sha256: %s" % (os.path.relpath(SPEC, ROOT), sha256(SPEC)))
        for folder in FOLDERS:
            mechs = os.path.join(ROOT, "mechanisms", folder)
            for name in sorted(f for f in os.listdir(mechs) if f.endswith(".mod")):
                prov.append("mechanisms/%s/%s sha256: %s" % (folder, name, sha256(os.path.join(mechs, name))))
        prov.append("")
        prov += lines
        for folder in FOLDERS:
            n = list(counts[folder].values())
            prov.append("%s: %d sets, %d silent (no spike after the transient), %d to %d spikes"
                        % (folder, len(n), n.count(0), min(n), max(n)))
        os.makedirs(GOLDEN, exist_ok=True)
        header = ["run"] + names + ["spikes_" + f.replace("-", "_") for f in FOLDERS]
        rows = [[run, a, b] + [counts[f][run] for f in FOLDERS] for run, (a, b) in enumerate(sets)]
        write_csv(os.path.join(GOLDEN, "neuron_spikes.csv"), header, rows)
        with open(os.path.join(GOLDEN, "provenance.txt"), "w") as f:
            f.write("\n".join(prov) + "\n")
    print("reference_liu_sweep: wrote %s (%d sets)" % (os.path.join(GOLDEN, "neuron_spikes.csv"), len(sets)))


if __name__ == "__main__":
    main()
