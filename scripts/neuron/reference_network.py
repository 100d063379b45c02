#!/usr/bin/python3
"""Regenerates tests/golden/network/: NEURON 8.2.2 spike lists of the two spiking networks
(the 5-cell ring and the 1000-cell network) for Ranvier. The cases and the checks are
described in tests/golden/network/README.md; the models are built by
scripts/neuron/network_model.py.

    /usr/bin/python3 scripts/neuron/reference_network.py

Run from anywhere (paths are relative to this file). Needs Debian's NEURON 8.2.2
(python3-neuron) and the system Python /usr/bin/python3, the only one that can import
`neuron`. Only built-in mechanisms (hh, pas, ExpSyn, IClamp, NetStim): nothing is compiled.
Takes about 1.5 minutes (eight 200 ms runs of the 1000-cell network).

What it does, in a temporary directory, each run in a fresh NEURON process:
1. the ring, 100 ms, with pc.nthread(1) and pc.nthread(2): the two spike lists must be
   identical and must match NEURON 8.2.2's known ring times (RING_EXPECTED);
2. the 1000-cell network, 200 ms: the reference run (nthread 1), then the robustness
   checks, which must give the same spike list (same gids, same count, times within
   1e-6 ms): v_init = -65 + 1e-9, every IClamp amp * (1 + 1e-12), pc.nthread(2), and
   pc.nthread(2) with CVode.cache_efficient(1); two larger perturbations, v_init + 1e-6
   and + 1e-3 mV, are only reported. Every run records soma(0.5) v of every
   cell at every step; the script reports how far the perturbed traces drift from the
   reference (max |dv|) and how close any soma v came to the 10 mV threshold at a step end
   (the margin a perturbation would have to exceed to change a threshold decision);
3. the same network without its connections (weights 0), for the spike counts only;
4. replaces the generated files of tests/golden/network/ (README.md is kept):
   ring_spikes.txt, net_spikes.txt ("%.17g<TAB>gid", sorted by time then gid, every gid)
   and provenance.txt (versions, parameters, checksums, counts, check results).

Everything is fixed-step and noise-free, so two runs give byte-identical files. It stops
with an error, writing nothing, if a check fails.

Options: --net-tstop MS (default 200) and --only ring|net write nothing and print the
summaries; --a0 --a1 --we --wi override network_model's tuned values (with --only net).
Internal use: `--job NAME --out DIR ...` runs one job.
"""

import argparse
import array
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import sha256  # noqa: E402
import network_model as nm  # noqa: E402

GOLDEN = os.path.join(ROOT, "tests", "golden", "network")
RING_TSTOP = 100.0
NET_TSTOP = 200.0
TIME_TOL = 1e-6        # ms, for the robustness checks

# NEURON 8.2.2's ring (the NetStim, gid 5, fires at 9), rounded to 0.01 ms
RING_EXPECTED = [(9.0, 5), (12.65, 0), (19.25, 1), (25.85, 2), (32.45, 3), (39.05, 4),
                 (45.65, 0), (52.25, 1), (58.85, 2), (65.45, 3), (72.05, 4), (78.65, 0),
                 (85.25, 1), (91.85, 2), (98.45, 3)]

# the network runs: name -> (nthread, cache_efficient, v_init, amp_scale, weights on)
NET_RUNS = {
    "net": (1, 0, nm.V_INIT, 1.0, True),
    "net_vinit": (1, 0, nm.V_INIT + 1e-9, 1.0, True),
    "net_amp": (1, 0, nm.V_INIT, 1.0 + 1e-12, True),
    "net_nthread2": (2, 0, nm.V_INIT, 1.0, True),
    "net_nthread2_ce": (2, 1, nm.V_INIT, 1.0, True),
    "net_unconnected": (1, 0, nm.V_INIT, 1.0, False),
    "net_vinit_1e-6": (1, 0, nm.V_INIT + 1e-6, 1.0, True),
    "net_vinit_1e-3": (1, 0, nm.V_INIT + 1e-3, 1.0, True),
}
PERTURBED = ["net_vinit", "net_amp", "net_nthread2", "net_nthread2_ce"]   # must agree
PROBES = ["net_vinit_1e-6", "net_vinit_1e-3"]     # larger perturbations: reported only


# ---------------------------------------------------------------------------------------
# Jobs (each runs in its own NEURON process)

def job_ring(args):
    from neuron import h
    pc = h.ParallelContext()
    model = nm.build_ring(pc)
    tvec, idvec = nm.record_spikes(pc)
    nm.run(pc, RING_TSTOP, nthread=args.nthread)
    spikes = nm.sorted_spikes(tvec, idvec)
    with open(os.path.join(args.out, "ring_nt%d.txt" % args.nthread), "w") as f:
        f.write(nm.format_spikes(spikes))
    del model
    return {"spikes": len(spikes), "t_end": h.t}


def job_net(args):
    from neuron import h
    nthread, ce, v_init, amp_scale, connected = NET_RUNS[args.name]
    we, wi = (args.we, args.wi) if connected else (0.0, 0.0)
    pc = h.ParallelContext()
    t0 = time.perf_counter()
    model = nm.build_net(pc, args.a0, args.a1, we, wi, amp_scale)
    tvec, idvec = nm.record_spikes(pc)
    vrec = []
    for c in model.cells:
        v = h.Vector()
        v.record(c.soma(0.5)._ref_v)
        vrec.append(v)
    t1 = time.perf_counter()
    nm.run(pc, args.tstop, nthread=nthread, v_init=v_init, cache_efficient=ce)
    t2 = time.perf_counter()
    spikes = nm.sorted_spikes(tvec, idvec)
    with open(os.path.join(args.out, args.name + "_spikes.txt"), "w") as f:
        f.write(nm.format_spikes(spikes))
    # soma v of every cell at every step, for the drift comparison
    margin, where = float("inf"), None
    with open(os.path.join(args.out, args.name + "_v.bin"), "wb") as f:
        for c, v in zip(model.cells, vrec):
            d = v.c().sub(nm.THRESHOLD).abs()
            k = int(d.min_ind())
            if d[k] < margin:
                margin, where = d[k], [c.gid, k]
            array.array("d", v.to_python()).tofile(f)
    rows = len(vrec[0])
    del model, vrec
    return {"spikes": len(spikes), "t_end": h.t, "rows": rows, "nthread": nthread,
            "cache_efficient": ce, "v_init": v_init, "amp_scale": amp_scale,
            "weights": [we, wi], "margin_mV": margin, "margin_at_gid_step": where,
            "timing": [t1 - t0, t2 - t1]}


# ---------------------------------------------------------------------------------------
# Driver

def read_spikes(path):
    out = []
    with open(path) as f:
        for line in f:
            t, g = line.split("\t")
            out.append((float(t), int(g)))
    return out


def compare_spikes(a, b):
    """None if the lists agree (same gids in the same order, times within TIME_TOL), else
    a description of the first difference (b against a)."""
    for (ta, ga), (tb, gb) in zip(a, b):
        if ga != gb or abs(ta - tb) > TIME_TOL:
            return "%d spikes against %d; first difference: %r against %r" % (
                len(b), len(a), (tb, gb), (ta, ga))
    if len(a) != len(b):
        return "%d spikes against %d; the shorter list is a prefix of the other" % (len(b), len(a))
    return None


def max_drift(path_a, path_b, rows):
    """Soma v of the reference run (a) against a perturbed run (b), over all cells and
    steps: max |v_a - v_b| and where ([gid, step]), and the smallest safety factor
    |v_a - threshold| / |v_a - v_b| (how many times larger the difference would have to
    be, at that cell and step, to put v on the other side of the threshold) and where."""
    a, b = array.array("d"), array.array("d")
    with open(path_a, "rb") as f:
        a.frombytes(f.read())
    with open(path_b, "rb") as f:
        b.frombytes(f.read())
    assert len(a) == len(b) == rows * nm.N_CELLS
    thr = nm.THRESHOLD
    worst, at = 0.0, None
    safety, sat = float("inf"), None
    for i, (x, y) in enumerate(zip(a, b)):
        d = abs(x - y)
        if d > 0:
            if d > worst:
                worst, at = d, i
            r = abs(x - thr) / d
            if r < safety:
                safety, sat = r, i
    where = (lambda i: None if i is None else [i // rows, i % rows])
    return worst, where(at), safety, where(sat)


def stats(spikes, tstop):
    """Spike counts; rates per cell and population activity after the first 50 ms (the
    onset transient: every cell fires once when its IClamp switches on)."""
    t0 = 50.0
    n_e = sum(1 for t, g in spikes if g < nm.N_EXC)
    per = [0] * nm.N_CELLS
    for t, g in spikes:
        if t >= t0:
            per[g] += 1
    sec = (tstop - t0) / 1000.0
    rates = [c / sec for c in per]
    nb = int((tstop - t0) // 5)
    be, bi = [0] * nb, [0] * nb
    for t, g in spikes:
        if t >= t0 and int((t - t0) // 5) < nb:
            (be if g < nm.N_EXC else bi)[int((t - t0) // 5)] += 1
    return {"total": len(spikes), "exc": n_e, "inh": len(spikes) - n_e,
            "after_50ms": {
                "exc_rate_hz": round(sum(rates[:nm.N_EXC]) / nm.N_EXC, 3),
                "inh_rate_hz": round(sum(rates[nm.N_EXC:]) / nm.N_INH, 3),
                "silent_exc": sum(1 for r in rates[:nm.N_EXC] if r == 0),
                "silent_inh": sum(1 for r in rates[nm.N_EXC:] if r == 0),
                "cells_5_to_60_hz": sum(1 for r in rates if 5 <= r <= 60),
                "max_exc_fraction_in_a_5ms_bin": round(max(be) / nm.N_EXC, 3) if nb else None,
                "max_inh_fraction_in_a_5ms_bin": round(max(bi) / nm.N_INH, 3) if nb else None}}


def run_job(tmp, stage, job, extra):
    cmd = ["/usr/bin/python3", os.path.abspath(__file__), "--job", job, "--out", stage] + extra
    r = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("reference_network: job %s %s failed:\n%s" % (job, extra, r.stdout))
    with open(os.path.join(stage, "result.json")) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job", choices=("ring", "net"))
    ap.add_argument("--out")
    ap.add_argument("--name", default="net")
    ap.add_argument("--nthread", type=int, default=1)
    ap.add_argument("--tstop", type=float, default=NET_TSTOP)
    ap.add_argument("--net-tstop", type=float, default=NET_TSTOP)
    ap.add_argument("--only", choices=("ring", "net"))
    ap.add_argument("--a0", type=float, default=nm.A0)
    ap.add_argument("--a1", type=float, default=nm.A1)
    ap.add_argument("--we", type=float, default=nm.WE)
    ap.add_argument("--wi", type=float, default=nm.WI)
    args = ap.parse_args()
    if args.job:
        info = job_ring(args) if args.job == "ring" else job_net(args)
        with open(os.path.join(args.out, "result.json"), "w") as f:
            json.dump(info, f)
        return
    tuned = (args.a0, args.a1, args.we, args.wi) == (nm.A0, nm.A1, nm.WE, nm.WI)
    if not args.only and (not tuned or args.net_tstop != NET_TSTOP):
        sys.exit("reference_network: parameters other than network_model's and --net-tstop "
                 "need --only")

    tmp = tempfile.mkdtemp(prefix="ranvier-network-ref.")
    try:
        stage = os.path.join(tmp, "out")
        os.makedirs(stage)
        summary = {}
        failures = []

        if args.only in (None, "ring"):
            for nt in (1, 2):
                summary["ring_nthread%d" % nt] = run_job(tmp, stage, "ring", ["--nthread", str(nt)])
            ring = read_spikes(os.path.join(stage, "ring_nt1.txt"))
            ring2 = read_spikes(os.path.join(stage, "ring_nt2.txt"))
            if ring != ring2:
                failures.append("ring: nthread 2 differs: " + str(compare_spikes(ring, ring2)))
            got = [(round(t, 2), g) for t, g in ring]
            summary["ring_matches_expected"] = got == RING_EXPECTED
            if got != RING_EXPECTED:
                failures.append("ring: %s, expected %s" % (got, RING_EXPECTED))
            summary["ring_spikes"] = [[t, g] for t, g in ring]

        if args.only in (None, "net"):
            tstop = args.net_tstop
            par = ["--tstop", repr(tstop), "--a0", repr(args.a0), "--a1", repr(args.a1),
                   "--we", repr(args.we), "--wi", repr(args.wi)]
            for name in NET_RUNS:
                summary[name] = run_job(tmp, stage, "net", ["--name", name] + par)
                timing = summary[name].pop("timing")  # not in provenance.txt: not deterministic
                print("reference_network: %s: %d spikes, setup %.1f s, run %.1f s" %
                      (name, summary[name]["spikes"], timing[0], timing[1]), flush=True)
            ref = read_spikes(os.path.join(stage, "net_spikes.txt"))
            unc = read_spikes(os.path.join(stage, "net_unconnected_spikes.txt"))
            summary["net_stats"] = stats(ref, tstop)
            summary["net_unconnected_stats"] = stats(unc, tstop)
            rows = summary["net"]["rows"]
            checks = {}
            for name in PERTURBED + PROBES:
                other = read_spikes(os.path.join(stage, name + "_spikes.txt"))
                diff = compare_spikes(ref, other)
                drift, at, safety, sat = max_drift(os.path.join(stage, "net_v.bin"),
                                                   os.path.join(stage, name + "_v.bin"), rows)
                checks[name] = {"same_spikes": diff is None, "difference": diff,
                                "max_abs_dv_mV": drift, "at_gid_step": at,
                                "min_safety_factor": None if sat is None else safety,
                                "safety_at_gid_step": sat,
                                "max_abs_dt_ms": max((abs(a[0] - b[0]) for a, b in zip(ref, other)),
                                                     default=0.0) if diff is None else None}
                if diff is not None and name in PERTURBED:
                    failures.append("net: %s: %s" % (name, diff))
            summary["net_checks"] = checks
            if unc and abs(len(unc) - len(ref)) < 0.5 * len(ref):
                failures.append("net: the connections change the spike count by less than half")

        if args.only:
            print(json.dumps(summary, indent=1, sort_keys=True))
            if failures:
                sys.exit("reference_network: FAILED:\n  " + "\n  ".join(failures))
            return
        if failures:
            sys.exit("reference_network: FAILED, nothing written:\n  " + "\n  ".join(failures))

        from_neuron = subprocess.run(
            ["/usr/bin/python3", "-c", "from neuron import h; print(h.nrnversion())"], cwd=tmp,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        files = {"ring_spikes.txt": "ring_nt1.txt", "net_spikes.txt": "net_spikes.txt"}
        prov = ["NEURON reference spike lists for Ranvier's networks "
                "(scripts/neuron/reference_network.py)",
                "nrnversion: " + from_neuron.stdout.strip(),
                "libnrniv sha256: " + sha256("/usr/lib/nrn/libnrniv.so"),
                "scripts/neuron/network_model.py sha256: " +
                sha256(os.path.join(HERE, "network_model.py")),
                "network parameters: A0 %r A1 %r WE %r WI %r (drive amp = A0 + A1 * gid / 999 nA)"
                % (nm.A0, nm.A1, nm.WE, nm.WI),
                "dt %r, celsius %r, v_init %r, pc.set_maxstep(%r); ring %r ms, network %r ms"
                % (nm.DT, nm.CELSIUS, nm.V_INIT, nm.MAXSTEP, RING_TSTOP, NET_TSTOP), ""]
        for out, src in files.items():
            prov.append("%s: %d spikes, sha256 %s" % (
                out, len(read_spikes(os.path.join(stage, src))), sha256(os.path.join(stage, src))))
        prov.append("")
        for key in sorted(summary):
            prov.append("%s: %s" % (key, json.dumps(summary[key], sort_keys=True)))
        os.makedirs(GOLDEN, exist_ok=True)
        for f in os.listdir(GOLDEN):
            if f != "README.md":
                os.remove(os.path.join(GOLDEN, f))
        for out, src in files.items():
            shutil.copy(os.path.join(stage, src), os.path.join(GOLDEN, out))
        with open(os.path.join(GOLDEN, "provenance.txt"), "w") as f:
            f.write("\n".join(prov) + "\n")
        print("reference_network: wrote %s" % ", ".join(sorted(files) + ["provenance.txt"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
