#!/usr/bin/python3
"""Regenerates tests/golden/liu/: NEURON 8.2.2 reference data for the Liu et al. 1998
bursting neuron (mechanisms/liu/*.mod, examples/liu/liu.toml). The case is described in
tests/golden/liu/README.md.

    /usr/bin/python3 scripts/neuron/reference_liu.py
    /usr/bin/python3 scripts/neuron/reference_liu.py --tabulated

--tabulated does the same for the tabulated variant (mechanisms/liu-tab,
examples/liu/liu-tab.toml) and writes tests/golden/liu-tab/: the check that NEURON runs
those files unchanged, and the reference Ranvier's exact kernels must meet with them.

Run from anywhere (paths are relative to this file). Needs Debian's NEURON 8.2.2
(packages neuron, neuron-dev, python3-neuron) and the system Python /usr/bin/python3, the
only one that can import `neuron`. Takes about half a minute.

What it does, in a temporary directory:
1. runs nocmodl on every mechanisms/liu/*.mod (each alone) and compiles them all with
   nrnivmodl under a private NRNHOME (scripts/neuron/nrnbuild.py);
2. runs the job in a fresh NEURON process started from an empty directory (so NEURON
   loads no x86_64/ by accident); the job loads the library with nrn_load_dll;
3. checks, in that job, that the ca ion's style leaves eca to CaPoolLiu (no Nernst at
   init nor during fadvance) and that every recorded eca is CaPoolLiu's formula of the
   cai of the same row, bit for bit (it stops with an error otherwise);
4. replaces the generated files of tests/golden/liu/ (README.md is kept) and writes
   provenance.txt (versions, checksums, row counts, spike and burst summary, checks).

Everything is fixed-step and noise-free, so two runs give byte-identical output.

Internal use: `--job liu --lib LIBNRNMECH --out DIR` runs the job.
"""

import argparse
import json
import math
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import nrnbuild  # noqa: E402
from neuron_jobs import neuron_h, nocmodl_lines, provenance_header, recorder, run_job_process, sha256, write_csv  # noqa: E402

MECHS = os.path.join(ROOT, "mechanisms", "liu")
MODEL = os.path.join(ROOT, "examples", "liu", "liu.toml")
GOLDEN = os.path.join(ROOT, "tests", "golden", "liu")
# --tabulated
TAB_MECHS = os.path.join(ROOT, "mechanisms", "liu-tab")
TAB_MODEL = os.path.join(ROOT, "examples", "liu", "liu-tab.toml")
TAB_GOLDEN = os.path.join(ROOT, "tests", "golden", "liu-tab")

# The settings of examples/liu/liu.toml (keep them in step).
DT = 0.025          # ms
TSTOP = 3000.0      # ms
CELSIUS = 11.0      # degC (no channel depends on it)
V_INIT = -60.0      # mV
L = 100.0           # um
DIAM = 628 / math.pi  # um: pi * diam * L = 62 800 um2 = 0.0628 mm2
EVERY = 20          # steps per row of liu_trace.csv (0.5 ms)

# NEURON's mechanism type order for this library (nrnivmodl registers the files in
# alphabetical order); liu.toml inserts them in this order too.
MECHANISMS = ["ACurrent", "CaPoolLiu", "CaS", "CaT", "HCurrent", "KCa", "Kd", "Leak", "NaV"]
# Canonical maximal conductances, spec uS/mm2 * 1e-4 = S/cm2 (also the .mod defaults).
GBAR = {"ACurrent": 0.0246, "CaS": 0.0027, "CaT": 0.0023, "HCurrent": 0.00101, "KCa": 0.098,
        "Kd": 0.061, "Leak": 9.9e-5, "NaV": 0.1831}
KTF = 12.246865     # mV, CaPoolLiu's ktf
CAOUT = 3.0         # mM, CaPoolLiu's caout


def liu_cell(h):
    soma = h.Section(name="soma")
    soma.L = L
    soma.diam = DIAM
    soma.nseg = 1
    soma.Ra = 35.4
    soma.cm = 1
    for m in MECHANISMS:
        soma.insert(m)
    for m, g in GBAR.items():
        setattr(soma(0.5), "gbar_" + m, g)
    return soma


def burst_summary(spikes, gap=50.0):
    """Spikes grouped into bursts by gaps > `gap` ms (for the provenance only)."""
    bursts = []
    for t in spikes:
        if bursts and t - bursts[-1][-1] <= gap:
            bursts[-1].append(t)
        else:
            bursts.append([t])
    return [{"start": b[0], "spikes": len(b)} for b in bursts]


def job_liu(h, out):
    soma = liu_cell(h)
    seg = soma(0.5)
    cols = [("v", seg._ref_v), ("cai", seg._ref_cai), ("eca", seg._ref_eca), ("ica", seg._ref_ica),
            ("NaV.m", seg._ref_m_NaV), ("NaV.h", seg._ref_h_NaV), ("KCa.m", seg._ref_m_KCa),
            ("HCurrent.m", seg._ref_m_HCurrent)]
    header, vecs = recorder(h, cols)
    spk = h.Vector()
    det = h.NetCon(seg._ref_v, None, sec=soma)
    det.threshold = 0
    det.record(spk)

    h.CVode().active(0)
    h.secondorder = 0
    h.dt = DT
    h.celsius = CELSIUS
    h.finitialize(V_INIT)
    style = int(h.ion_style("ca_ion", sec=soma))
    steps = int(round(TSTOP / DT))
    for _ in range(steps):
        h.fadvance()

    data = [v.to_python() for v in vecs]
    n = len(data[0])
    assert all(len(c) == n for c in data) and n == steps + 1, [len(c) for c in data]
    # eca is CaPoolLiu's, bit for bit, in every row (nothing recomputed it from Nernst)
    cai, eca = data[header.index("cai")], data[header.index("eca")]
    eca_mismatch = [k for k in range(n) if eca[k] != KTF * math.log(CAOUT / cai[k])]
    rows = [[c[k] for c in data] for k in range(0, n, EVERY)]
    write_csv(os.path.join(out, "liu_trace.csv"), header, rows)
    write_csv(os.path.join(out, "liu_spikes.csv"), ["t"], [[t] for t in spk])
    mt = h.MechanismType(0)
    name = h.ref("")
    types = {}
    for i in range(int(mt.count())):
        mt.select(i)
        mt.selected(name)
        if name[0] in MECHANISMS or name[0] == "ca_ion":
            types[name[0]] = int(mt.internal_type())
    return {"steps": steps, "rows": len(rows), "t_end": h.t, "area": seg.area(), "spikes": len(spk),
            "bursts": burst_summary(list(spk)), "cai_max": max(cai), "v_max": max(data[1]),
            "ca_ion_style": style, "eca_rows_not_from_pool": len(eca_mismatch),
            "eca_at_rest_nernst_11degC_cao2": h.nernst(5e-5, 2, 2), "mechanism_types": types}


def run_job(args):
    h = neuron_h(args.lib)
    if args.job != "liu":
        raise SystemExit("unknown job " + args.job)
    info = job_liu(h, args.out)
    with open(os.path.join(args.out, args.job + ".json"), "w") as f:
        json.dump(info, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job")
    ap.add_argument("--lib")
    ap.add_argument("--out")
    ap.add_argument("--tabulated", action="store_true", help="mechanisms/liu-tab -> tests/golden/liu-tab")
    args = ap.parse_args()
    if args.job:
        run_job(args)
        return
    global MECHS, MODEL, GOLDEN
    if args.tabulated:
        MECHS, MODEL, GOLDEN = TAB_MECHS, TAB_MODEL, TAB_GOLDEN
    mechs_rel = os.path.relpath(MECHS, ROOT)
    model_rel = os.path.relpath(MODEL, ROOT)

    names = sorted(f for f in os.listdir(MECHS) if f.endswith(".mod"))
    mods = []
    for name in names:
        with open(os.path.join(MECHS, name)) as f:
            mods.append((name, f.read()))
    tmp = tempfile.mkdtemp(prefix="ranvier-liu-ref.")
    try:
        stage = os.path.join(tmp, "out")
        os.makedirs(stage)
        nocmodl = {name: nrnbuild.nocmodl_messages(tmp, name, text) for name, text in mods}
        lib, log = nrnbuild.build(tmp, mods)
        warnings = [line for line in log.splitlines() if "warning" in line.lower()]
        if warnings:
            print("reference_liu: compiler warnings:\n  " + "\n  ".join(warnings))

        jobdir = os.path.join(tmp, "jobs")
        os.makedirs(jobdir)
        r = run_job_process(__file__, "liu", lib, stage, jobdir)
        if r.returncode != 0:
            sys.exit("reference_liu: job liu failed:\n" + r.stdout)
        with open(os.path.join(stage, "liu.json")) as f:
            info = json.load(f)
        os.remove(os.path.join(stage, "liu.json"))

        # ca ion style bits (eion.cpp): 03 conc, 04 cinit, 030 erev, 040 einit, 0100 eadvance,
        # 0200 ci written. CaPoolLiu's WRITE cai, eca must give conc 3, erev 3, no einit/eadvance.
        st = info["ca_ion_style"]
        if (st & 3) != 3 or ((st >> 3) & 3) != 3 or st & 0o40 or st & 0o100:
            sys.exit("reference_liu: unexpected ca ion style %o" % st)
        if info["eca_rows_not_from_pool"]:
            sys.exit("reference_liu: %d rows have an eca that is not CaPoolLiu's" % info["eca_rows_not_from_pool"])

        prov = provenance_header("NEURON reference data for the Liu et al. 1998 neuron (scripts/neuron/reference_liu.py%s)"
                % (" --tabulated" if args.tabulated else ""), jobdir)
        for name in names:
            prov.append("%s/%s sha256: %s" % (mechs_rel, name, sha256(os.path.join(MECHS, name))))
        prov.append("%s sha256: %s" % (model_rel, sha256(MODEL)))
        prov.append("")
        prov += nocmodl_lines(nocmodl)
        prov.append("")
        prov.append("ca ion style: %o (octal; conc 3 = state, erev 3 = state, no einit/eadvance: "
                    "eca is CaPoolLiu's)" % st)
        prov.append("liu: " + json.dumps(info, sort_keys=True))
        with open(os.path.join(stage, "provenance.txt"), "w") as f:
            f.write("\n".join(prov) + "\n")

        os.makedirs(GOLDEN, exist_ok=True)
        for f in os.listdir(GOLDEN):
            if f != "README.md":
                os.remove(os.path.join(GOLDEN, f))
        for f in sorted(os.listdir(stage)):
            shutil.copy(os.path.join(stage, f), os.path.join(GOLDEN, f))
        print("reference_liu: wrote %d files to %s (%d spikes, %d rows)"
              % (len(os.listdir(stage)), GOLDEN, info["spikes"], info["rows"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
