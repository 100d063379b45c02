#!/usr/bin/python3
"""Runs density mechanisms from a corpus of .mod files (e.g. ModelDB's; not part of the
project) in NEURON 8.2.2 and in Ranvier, and compares the membrane potential.

    /usr/bin/python3 scripts/neuron/compare_corpus.py FILES.list --ranvier build/tools/ranvier/ranvier \
        [--count N] [--seed S] > comparison.tsv

FILES.list holds one .mod path per line. From it, N files (a seeded random sample) that
declare a SUFFIX (or, with --points, a POINT_PROCESS) are each run alone. A point
process sits at the middle of the compartment; when it has a NET_RECEIVE, a NetStim
(every 10 ms from 5 ms, 20 spikes) drives it through a NetCon (weight 0.001, delay 1
ms), and the IClamp is left out. Otherwise: one compartment (L = diam = 20 um, Ra 35.4, cm 1)
with the mechanism and pas (g 1e-4 S/cm2, e -65 mV), an IClamp of 0.05 nA from 10 to
60 ms, celsius 34, v_init -65 mV, dt 0.025 ms, 100 ms. Files with POINTERs are left out,
unless --with-pointers: then every POINTER reads the compartment's v in both simulators
(NEURON's setpointer; Ranvier's insert-entry pointers or [[pointer]]). Each file is built alone with
nrnivmodl (nrnbuild.py), together with the .inc files of its directory; Ranvier reads
the same directory. Prints one line per file: status, max |dv| (mV), file, detail.
Statuses: same (max |dv| < 1e-6 mV), close (< 1e-3), differ, nan (both traces NaN),
neuron-failed, ranvier-failed, timeout, error. Summary on stderr. docs/modeldb-survey.md.

Internal use: `--job NAME --lib LIB --out CSV --mech SUFFIX` runs NEURON's side.
"""

import argparse
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import nrnbuild  # noqa: E402

TSTOP, DT, CELSIUS, V_INIT = 100.0, 0.025, 34.0, -65.0


def suffix_of(text, keyword="SUFFIX"):
    m = re.search(r"^\s*%s\s+(\w+)" % keyword, re.sub(r"COMMENT.*?ENDCOMMENT", "", text, flags=re.S), re.M)
    return m.group(1) if m else None


def pointers_of(text):
    """The names a NEURON block declares with POINTER (BBCOREPOINTER excluded)."""
    names = []
    for m in re.finditer(r"^\s*POINTER\s+([^\n:]*)", re.sub(r"COMMENT.*?ENDCOMMENT", "", text, flags=re.S), re.M):
        names += [n for n in re.split(r"[\s,]+", m.group(1).strip()) if n]
    return names


def has_net_receive(text):
    return re.search(r"^\s*NET_RECEIVE", re.sub(r"COMMENT.*?ENDCOMMENT", "", text, flags=re.S), re.M) is not None


def neuron_job(lib, out, mech, point, driven, pointers):
    from neuron import h
    h.nrn_load_dll(lib)
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20
    soma.nseg = 1
    soma.Ra = 35.4
    soma.cm = 1
    keep = []
    if point:
        pp = getattr(h, mech)(soma(0.5))
        keep.append(pp)
        if driven:
            ns = h.NetStim()
            ns.interval, ns.start, ns.number, ns.noise = 10, 5, 20, 0
            nc = h.NetCon(ns, pp)
            nc.delay = 1
            nc.weight[0] = 0.001
            keep += [ns, nc]
    else:
        soma.insert(mech)
    owner = keep[0] if point else getattr(soma(0.5), mech)
    for name in pointers:  # every POINTER reads the compartment's v
        h.setpointer(soma(0.5)._ref_v, name, owner)
    soma.insert("pas")
    soma.g_pas = 1e-4
    soma.e_pas = -65
    if not (point and driven):
        stim = h.IClamp(soma(0.5))
        stim.delay, stim.dur, stim.amp = 10, 50, 0.05
        keep.append(stim)
    t = h.Vector()
    t.record(h._ref_t)
    v = h.Vector()
    v.record(soma(0.5)._ref_v)
    h.CVode().active(0)
    h.dt = DT
    h.celsius = CELSIUS
    h.finitialize(V_INIT)
    for _ in range(int(round(TSTOP / DT))):
        h.fadvance()
    with open(out, "w") as f:
        for a, b in zip(t, v):
            f.write("%.17g,%.17g\n" % (a, b))


def ranvier_model(path, mods, mech, point=False, driven=False, pointers=()):
    aimed = ", ".join('%s = "v"' % name for name in pointers)
    insert = "" if point else f'{{ mechanism = "{mech}", where = "soma"' + (f", pointers = {{ {aimed} }}" if pointers else "") + " }, "
    extra = ""
    if point:
        extra += f'\n[[point]]\nname = "pp"\nmechanism = "{mech}"\nat = "cell[0].soma(0.5)"\n'
        for name in pointers:
            extra += f'\n[[pointer]]\npointer = "pp.{name}"\ntarget = "v"\ntarget_at = "cell[0].soma(0.5)"\n'
    if point and driven:
        extra += ('\n[population.stim]\nmechanism = "NetStim"\ncount = 1\ninterval = 10\nstart = 5\nnumber = 20\nnoise = 0\n'
                  '\n[[netcon]]\nsource = "stim"\ntarget = "pp"\nweight = 0.001\ndelay = 1\n')
    clamp = "" if point and driven else """
[[point]]
name = "stim"
mechanism = "IClamp"
at = "cell[0].soma(0.5)"
del = 10
dur = 50
amp = 0.05
"""
    with open(path, "w") as f:
        f.write(f"""[simulation]
tstop = {TSTOP}
dt = {DT}
celsius = {CELSIUS}
v_init = {V_INIT}
threads = 1

[mechanisms]
paths = ["{mods}"]

[cell.soma]
sections = [{{ name = "soma", L = 20, diam = 20, nseg = 1, Ra = 35.4, cm = 1 }}]
insert = [{insert}{{ mechanism = "pas", where = "soma", g = 1e-4, e = -65 }}]

[population.cell]
cell = "soma"
count = 1
{clamp}{extra}
[output]
traces = "v.csv"

[[record]]
variable = "v"
at = "cell[0].soma(0.5)"
label = "v"
""")


def read_trace(path, skip_header):
    rows = []
    with open(path) as f:
        for k, line in enumerate(f):
            if skip_header and k == 0:
                continue
            a, b = line.strip().split(",")[:2]
            rows.append((float(a), float(b)))
    return rows


def compare_one(mod, ranvier, tmp, point):
    with open(mod, errors="replace") as f:
        text = f.read()
    mech = suffix_of(text, "POINT_PROCESS" if point else "SUFFIX")
    driven = point and has_net_receive(text)
    pointers = pointers_of(text)
    work = tempfile.mkdtemp(dir=tmp)
    mods = os.path.join(work, "mods")
    os.makedirs(mods)
    shutil.copy(mod, os.path.join(mods, os.path.basename(mod)))
    extra = []
    for name in os.listdir(os.path.dirname(mod) or "."):
        if name.endswith(".inc"):
            shutil.copy(os.path.join(os.path.dirname(mod), name), os.path.join(mods, name))
            with open(os.path.join(mods, name), errors="replace") as f:
                extra.append((name, f.read()))
    # Ranvier
    ranvier_model(os.path.join(work, "model.toml"), mods, mech, point, driven, pointers)
    r = subprocess.run([ranvier, "run", os.path.join(work, "model.toml"), "-q", "-o", work, "--no-cache"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    if r.returncode != 0:
        lines = [l for l in r.stdout.splitlines() if "error" in l]
        return "ranvier-failed", math.nan, (lines[0] if lines else r.stdout.strip()[:200])
    ours = read_trace(os.path.join(work, "v.csv"), True)
    # NEURON
    try:
        lib, _ = nrnbuild.build(os.path.join(work, "nrn"), [(os.path.basename(mod), text)] + extra)
    except (RuntimeError, subprocess.SubprocessError) as e:
        return "neuron-failed", math.nan, str(e).splitlines()[-1][:200] if str(e) else "build"
    jobdir = os.path.join(work, "job")
    os.makedirs(jobdir)
    out = os.path.join(work, "neuron.csv")
    r = subprocess.run(["/usr/bin/python3", os.path.abspath(__file__), "--job", "run", "--lib", lib, "--out", out, "--mech", mech,
                        "--celsius", repr(CELSIUS)] + (["--point"] if point else []) + (["--driven"] if driven else []) +
                       (["--pointers", ",".join(pointers)] if pointers else []),
                       cwd=jobdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    if r.returncode != 0 or not os.path.exists(out):
        return "neuron-failed", math.nan, r.stdout.strip().splitlines()[-1][:200] if r.stdout.strip() else "run"
    theirs = read_trace(out, False)
    if len(theirs) != len(ours):
        return "differ", math.nan, "%d rows against NEURON's %d" % (len(ours), len(theirs))
    worst = 0.0
    both_nan = True
    for (ta, va), (tb, vb) in zip(ours, theirs):
        if math.isnan(va) and math.isnan(vb):
            continue
        both_nan = False
        d = abs(va - vb)
        if not d <= worst:
            worst = d
    if both_nan:
        return "nan", 0.0, "both NaN"
    status = "same" if worst < 1e-6 else "close" if worst < 1e-3 else "differ"
    return status, worst, ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="?")
    ap.add_argument("--ranvier")
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--job")
    ap.add_argument("--lib")
    ap.add_argument("--out")
    ap.add_argument("--mech")
    ap.add_argument("--points", action="store_true", help="point processes instead of density mechanisms")
    ap.add_argument("--celsius", type=float, help="temperature (degC; default 34)")
    ap.add_argument("--with-pointers", action="store_true",
                    help="also files with POINTERs: every POINTER reads the compartment's v, in both simulators")
    ap.add_argument("--point", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--driven", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--pointers", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    global CELSIUS
    if args.celsius is not None:
        CELSIUS = args.celsius
    if args.job:
        neuron_job(args.lib, args.out, args.mech, args.point, args.driven, [n for n in args.pointers.split(",") if n])
        return
    with open(args.files) as f:
        files = [l.strip() for l in f if l.strip()]
    candidates = []
    for path in files:
        with open(path, errors="replace") as f:
            text = f.read()
        if suffix_of(text, "POINT_PROCESS" if args.points else "SUFFIX") and (args.with_pointers or "POINTER" not in text):
            candidates.append(os.path.abspath(path))
    random.Random(args.seed).shuffle(candidates)
    tmp = tempfile.mkdtemp(prefix="ranvier-corpus-")
    counts = {}
    try:
        for path in candidates[: args.count]:
            try:
                status, worst, detail = compare_one(path, os.path.abspath(args.ranvier), tmp, args.points)
            except subprocess.TimeoutExpired:
                status, worst, detail = "timeout", math.nan, ""
            except (OSError, ValueError) as e:  # a file that cannot be run: say so and go on
                status, worst, detail = "error", math.nan, str(e)[:200]
            counts[status] = counts.get(status, 0) + 1
            print("%s\t%.3g\t%s\t%s" % (status, worst, path, detail), flush=True)
    finally:
        shutil.rmtree(tmp)
    print(" ".join("%s %d" % kv for kv in sorted(counts.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
