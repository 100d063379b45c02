#!/usr/bin/python3
"""Regenerates tests/golden/watch/: NEURON 8.2.2 reference data for BEFORE/AFTER blocks
and WATCH in the fixed-step method. The cases are described in tests/golden/watch/README.md
and the semantics in docs/neuron-before-after-watch.md.

    /usr/bin/python3 scripts/neuron/reference_watch.py

Run from anywhere (paths are relative to this file). Needs Debian's NEURON 8.2.2
(packages neuron, neuron-dev, python3-neuron) and the system Python /usr/bin/python3, the
only one that can import `neuron`. Takes a few seconds.

What it does, in a temporary directory:
1. runs nocmodl on tests/golden/watch/ba.mod and watcher.mod (each alone) and compiles
   both with nrnivmodl under a private NRNHOME (scripts/neuron/nrnbuild.py); compiles
   the small WNull mechanism below into a second library;
2. runs every job in a fresh NEURON process started from an empty directory; each job
   loads a library with nrn_load_dll;
3. checks the recorded data against the semantics the README states (it stops with an
   error, writing nothing, if one fails);
4. replaces the generated files of tests/golden/watch/ (README.md, ba.mod and watcher.mod
   are kept) and writes provenance.txt (versions, checksums, summaries, check results).

Everything is fixed-step and noise-free, so two runs give byte-identical output.

Internal use: `--job NAME --lib LIBNRNMECH --out DIR` runs one job.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import nrnbuild  # noqa: E402
import neuron_jobs  # noqa: E402
from neuron_jobs import (dump, g17, neuron_h, nocmodl_lines, provenance_header, recorder,  # noqa: E402,F401
                         run_fixed, run_job_process, sha256, write_csv)

GOLDEN = os.path.join(ROOT, "tests", "golden", "watch")
KEEP = ("README.md", "ba.mod", "watcher.mod")

DT = 0.025
CELSIUS = 6.3
V_INIT = -65.0
BA_TSTOP = 5.0
WATCH_TSTOP = 50.0

BA_BLOCKS = ("bi", "in", "ai", "bb", "cu", "as", "bs")
BA_FIELDS = ("n", "t", "v", "s", "o")
W_FLAGS = (0, 1, 2, 3, 4)
W_FIELDS = ("n", "t", "v", "o")

# Watcher cases: name -> (mode, lo2, tarm, NetCon from v with threshold -20 and delay 0?).
# lo2 = ("v_arm", d) means v_arm + d, v_arm being v in row ARM_ROW, the v the flag-1 event
# sent with delay tarm = TARM sees (taken from case w0_rearm, which runs first: a Watcher
# has no current, so every case has the same v trace).
ARM_ROW = 20
TARM = 20.25 * DT  # inside step 21's delivery window (t20, t20 + dt/2]: delivered after
                   # step 21's checks, so the first check after activation is step 22's
WATCH_CASES = {
    "w0_rearm": (0, -100.0, 0.0, False),
    "w0_with_netcon": (0, -100.0, 0.0, True),
    "w1_no_rearm": (1, -100.0, 0.0, False),
    "w2_first_watch_clears": (2, -100.0, 0.0, False),
    "w3_already_true": (3, -100.0, 0.0, False),
    "w3_boundary_at_init": (3, V_INIT, 0.0, False),
    "w3_late_at_boundary": (3, ("v_arm", 0.0), TARM, False),
    "w3_late_within_epsilon": (3, ("v_arm", 5e-12), TARM, False),
    "w3_late_beyond_epsilon": (3, ("v_arm", 2e-11), TARM, False),
    "w3_same_step": (3, -20.5, 0.0, False),
    "w4_rearm_cancels_pending": (4, -20.5, 0.0, False),
}


# A WATCH event handed to a NET_RECEIVE that reads its weight argument: NEURON passes a
# null weight pointer, so this crashes (SIGSEGV). Not part of the golden data.
WNULL_MOD = """NEURON { POINT_PROCESS WNull RANGE x }
ASSIGNED { v x }
INITIAL { x = 0 net_send(0, 1) }
NET_RECEIVE (w) {
    if (flag == 1) { WATCH (v > -20) 2 }
    else if (flag == 2) { x = w }
}
"""




# ---------------------------------------------------------------------------------------
# Jobs (each runs in its own NEURON process)





def hh_soma(h):
    """The soma of tests/golden/runtime case a: 1 compartment, hh, IClamp 0.1 nA from 1 ms."""
    soma = neuron_jobs.hh_soma(h)
    stim = h.IClamp(soma(0.5))
    stim.delay = 1
    stim.dur = 50
    stim.amp = 0.1
    return soma, stim


def ba_columns(seg):
    cols = [("v", seg._ref_v), ("seq", seg._ref_seq_ba)]
    for b in BA_BLOCKS:
        for f in BA_FIELDS:
            name = "%s_%s" % (f, b)
            cols.append((name, getattr(seg, "_ref_%s_ba" % name)))
    return cols


def job_ba(h, out):
    soma, stim = hh_soma(h)
    soma.insert("ba")
    header, vecs = recorder(h, ba_columns(soma(0.5)))
    steps = run_fixed(h, BA_TSTOP)
    rows = dump(os.path.join(out, "ba_hh_soma.csv"), header, vecs)
    return {"rows": rows, "steps": steps, "t_end": h.t, "v_max": max(vecs[1])}


def job_ba_instances(h, out):
    """ba in 4 instances (the soma and 3 segments of an unconnected passive section):
    every instance's blocks run as often, at the same t."""
    soma, stim = hh_soma(h)
    soma.insert("ba")
    other = h.Section(name="other")
    other.nseg = 3
    other.insert("pas")
    other.insert("ba")
    segs = [soma(0.5)] + list(other)
    run_fixed(h, BA_TSTOP)
    res = []
    for seg in segs:
        res.append({"%s_%s" % (f, b): getattr(seg, "%s_%s_ba" % (f, b))
                    for b in BA_BLOCKS for f in ("n", "t", "o")})
    return {"instances": [str(s) for s in segs], "values": res}


def watch_columns(w, seg):
    cols = [("v", seg._ref_v), ("seq", w._ref_seq)]
    for j in W_FLAGS:
        for f in W_FIELDS:
            cols.append(("%s%d" % (f, j), getattr(w, "_ref_%s%d" % (f, j))))
    return cols


def job_watch(h, out, case, lo2):
    mode, _, tarm, netcon = WATCH_CASES[case]
    soma, stim = hh_soma(h)
    seg = soma(0.5)
    w = h.Watcher(seg)
    w.mode = mode
    w.lo2 = lo2
    w.tarm = tarm
    nc = None
    if netcon:
        nc = h.NetCon(seg._ref_v, w, sec=soma)
        nc.threshold = -20
        nc.delay = 0
        nc.weight[0] = 1
    header, vecs = recorder(h, watch_columns(w, seg))
    steps = run_fixed(h, WATCH_TSTOP)
    rows = dump(os.path.join(out, "watch_%s.csv" % case), header, vecs)
    return {"rows": rows, "steps": steps, "t_end": h.t, "mode": mode, "lo2": lo2,
            "tarm": tarm, "netcon": netcon, "counts": [int(getattr(w, "n%d" % j)) for j in W_FLAGS]}


def job_wnull(h, out):
    """Runs WNull (see WNULL_MOD); never returns if NEURON passes a null weight pointer."""
    soma, stim = hh_soma(h)
    w = h.WNull(soma(0.5))
    run_fixed(h, 5)
    return {"x": w.x}


def run_job(args):
    h = neuron_h(args.lib)
    if args.job == "ba":
        info = job_ba(h, args.out)
    elif args.job == "ba_instances":
        info = job_ba_instances(h, args.out)
    elif args.job in WATCH_CASES:
        info = job_watch(h, args.out, args.job, float(args.lo2))
    elif args.job == "wnull":
        info = job_wnull(h, args.out)
    else:
        raise SystemExit("unknown job " + args.job)
    with open(os.path.join(args.out, args.job + ".json"), "w") as f:
        json.dump(info, f)


# ---------------------------------------------------------------------------------------
# Checks of the recorded data (the semantics the README states)

def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        cols = {h: [] for h in header}
        for line in f:
            for h, x in zip(header, line.strip().split(",")):
                cols[h].append(float(x))
    return cols


def check_ba(c):
    """Returns {check name: bool} for ba_hh_soma.csv."""
    t, v = c["t"], c["v"]
    n = len(t)
    half = 0.5 * DT
    r = {}
    r["finitialize: BEFORE INITIAL, INITIAL, AFTER INITIAL, BEFORE BREAKPOINT, BREAKPOINT x2, "
      "BEFORE STEP in this order, no AFTER SOLVE"] = (
        [c["o_" + b][0] for b in ("bi", "in", "ai", "bb", "cu", "bs")] == [1, 2, 3, 4, 6, 7]
        and c["n_as"][0] == 0 and c["n_cu"][0] == 2 and c["seq"][0] == 7)
    r["finitialize: every block sees t = 0 and v = v_init"] = all(
        c["t_" + b][0] == 0 and c["v_" + b][0] == V_INIT for b in ("bi", "in", "ai", "bb", "cu", "bs"))
    r["initialisation blocks run once"] = all(
        c["n_" + b][k] == 1 for b in ("bi", "in", "ai") for k in range(n))
    r["per step: BEFORE BREAKPOINT, BREAKPOINT x2, AFTER SOLVE, BEFORE STEP"] = all(
        c["n_bb"][k] == k + 1 and c["n_cu"][k] == 2 * (k + 1) and c["n_as"][k] == k
        and c["n_bs"][k] == k + 1 and c["o_bb"][k] == c["o_bs"][k - 1] + 1
        and c["o_cu"][k] == c["o_bb"][k] + 2 and c["o_as"][k] == c["o_bb"][k] + 3
        and c["o_bs"][k] == c["o_bb"][k] + 4 for k in range(1, n))
    r["BEFORE BREAKPOINT and BREAKPOINT see t(k-1) + dt/2 and v(k-1)"] = all(
        c["t_bb"][k] == t[k - 1] + half and c["t_cu"][k] == t[k - 1] + half
        and c["v_bb"][k] == v[k - 1] and c["v_cu"][k] == v[k - 1] for k in range(1, n))
    r["t(k) = (t(k-1) + dt/2) + dt/2"] = all(t[k] == c["t_bb"][k] + half for k in range(1, n))
    r["AFTER SOLVE and BEFORE STEP see t(k) and v(k)"] = all(
        c["t_as"][k] == t[k] and c["t_bs"][k] == t[k] and c["v_as"][k] == v[k]
        and c["v_bs"][k] == v[k] for k in range(1, n))
    r["states are updated after BEFORE BREAKPOINT and before AFTER SOLVE"] = all(
        c["s_bb"][k] == c["s_bs"][k - 1] and c["s_cu"][k] == c["s_bb"][k]
        and c["s_as"][k] == c["s_bb"][k] + DT and c["s_bs"][k] == c["s_as"][k] for k in range(1, n))
    return r


def watch_events(case, c):
    """The events a Watcher received, from the per-step counters: [(flag, t, v, seq, row)],
    row being the first row that shows the event. Raises if one flag came twice in a step."""
    ev = []
    for k in range(len(c["t"])):
        for j in W_FLAGS:
            prev = c["n%d" % j][k - 1] if k else 0
            d = c["n%d" % j][k] - prev
            if d > 1:
                raise SystemExit("%s: %d events of flag %d in one step (row %d)" % (case, d, j, k))
            if d == 1:
                ev.append((j, c["t%d" % j][k], c["v%d" % j][k], int(c["o%d" % j][k]), k))
    ev.sort(key=lambda e: e[3])
    return ev


def check_watch(case, c, ev, lo2, same_step_ref=None):
    """Returns {check name: bool} for one Watcher case; ev from watch_events."""
    mode, _, tarm, netcon = WATCH_CASES[case]
    t, v = c["t"], c["v"]
    conds = {2: lambda x: x - (-20.0) > 0, 3: lambda x: -(x - (-60.0)) > 0,
             4: lambda x: x - lo2 > 0}
    by = {j: [e for e in ev if e[0] == j] for j in W_FLAGS}
    w = [e for e in ev if e[0] in (2, 3, 4)]
    r = {}
    if tarm == 0:
        r["flag 1 (net_send(0, 1) in INITIAL) is delivered in finitialize, at t = 0, v = v_init"] = (
            ev[0] == (1, 0.0, V_INIT, 1, 0))
    else:
        r["flag 1 (net_send(tarm, 1), t20 < tarm <= t20 + dt/2) is delivered at the start of "
          "step 21 at t = tarm, v = v(20)"] = ev[0] == (1, tarm, v[ARM_ROW], 1, ARM_ROW + 1)
    r["a WATCH event carries t(k-1) and sees v(k-1), the first row where its condition is "
      "true; it shows in row k"] = all(
        e[1] == t[e[4] - 1] and e[2] == v[e[4] - 1] and conds[e[0]](v[e[4] - 1])
        and (e[4] < 2 or not conds[e[0]](v[e[4] - 2])) for e in w)
    first4 = by[4][0] if by[4] else None
    if case in ("w0_rearm", "w1_no_rearm", "w0_with_netcon"):
        r["both watches fire at every crossing (5 up, 5 down, alternating)"] = (
            len(by[2]) == 5 and len(by[3]) == 5 and [e[0] for e in w] == [2, 3] * 5)
    elif case == "w2_first_watch_clears":
        r["the first WATCH of the flag-2 call removed WATCH (v > hi): 1 up, then every down"] = (
            len(by[2]) == 1 and len(by[3]) == 5)
    elif case == "w3_already_true":
        r["a condition already true at activation does not fire (v stays above -100)"] = (
            not by[4])
    elif case == "w3_boundary_at_init":
        r["activated in finitialize with v - lo2 = 0: step 1's check sees the same v, "
          "0 is not > 0, so it resets; the event comes at t(1)"] = (
            first4 is not None and first4[1] == t[1] and len(by[4]) == 6)
    elif case in ("w3_late_at_boundary", "w3_late_within_epsilon"):
        r["activated with v - lo2 in [-1e-11, 0]: counts as true; no event when v rises "
          "past lo2 at once, the first comes after v has been below lo2"] = (
            v[ARM_ROW] - lo2 >= -1e-11 and v[ARM_ROW + 1] - lo2 > 0
            and first4 is not None and first4[1] > 1 and len(by[4]) == 5)
    elif case == "w3_late_beyond_epsilon":
        r["activated with v - lo2 < -1e-11: counts as false; the event comes at t(21), "
          "the first check after activation"] = (
            v[ARM_ROW] - lo2 < -1e-11
            and first4 is not None and first4[1] == t[ARM_ROW + 1] and len(by[4]) == 6)
    elif case == "w3_same_step":
        r["two watches true in the same check: both delivered, at the same t, in activation "
          "order (flag 4 first)"] = (
            len(by[4]) == len(by[2]) == 5
            and all(a[1] == b[1] and a[4] == b[4] and a[3] + 1 == b[3]
                    for a, b in zip(by[4], by[2])))
    elif case == "w4_rearm_cancels_pending":
        r["the WATCH statements of the flag-4 call remove the pending flag-2 event of the same "
          "check: no flag-2 event, flag 4 as in w3_same_step"] = (
            not by[2] and [e[1:3] + (e[4],) for e in by[4]]
            == [e[1:3] + (e[4],) for e in same_step_ref if e[0] == 4])
    if mode == 3:
        r["WATCH (v > hi) stays active after firing: 5 up events, no re-arming"] = len(by[2]) == 5
    if netcon:
        pairs = list(zip(by[2], by[0]))
        r["the NetCon event (threshold -20, delay 0) comes at t + 1e-10, after the WATCH "
          "event of the same step"] = (
            len(by[0]) == len(by[2]) == 5
            and all(n[1] == e[1] + 1e-10 and n[3] == e[3] + 1 and n[4] == e[4] for e, n in pairs))
    return r


# ---------------------------------------------------------------------------------------
# Driver

JOBS = ["ba", "ba_instances"] + list(WATCH_CASES)


def run_in_neuron(job, lib, stage, jobdir, lo2=-100.0):
    return run_job_process(__file__, job, lib, stage, jobdir, "--lo2", repr(lo2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job")
    ap.add_argument("--lib")
    ap.add_argument("--out")
    ap.add_argument("--lo2", default="-100")
    args = ap.parse_args()
    if args.job:
        run_job(args)
        return

    def read(name):
        with open(os.path.join(GOLDEN, name)) as f:
            return f.read()
    mods = [("ba.mod", read("ba.mod")), ("watcher.mod", read("watcher.mod"))]
    tmp = tempfile.mkdtemp(prefix="ranvier-watch-ref.")
    try:
        stage = os.path.join(tmp, "out")
        os.makedirs(stage)
        nocmodl = {name: nrnbuild.nocmodl_messages(tmp, name, text) for name, text in mods}
        lib, log = nrnbuild.build(os.path.join(tmp, "main"), mods)
        lib_null, _ = nrnbuild.build(os.path.join(tmp, "wnull"), [("wnull.mod", WNULL_MOD)])
        warnings = [l for l in log.splitlines() if "warning" in l.lower()]
        if warnings:
            print("reference_watch: compiler warnings:\n  " + "\n  ".join(warnings))

        jobdir = os.path.join(tmp, "jobs")
        os.makedirs(jobdir)
        summary = {}
        lo2s = {}
        for job in JOBS:
            lo2 = -100.0
            if job in WATCH_CASES:
                lo2 = WATCH_CASES[job][1]
                if isinstance(lo2, tuple):
                    v_arm = read_csv(os.path.join(stage, "watch_w0_rearm.csv"))["v"][ARM_ROW]
                    lo2 = v_arm + lo2[1]
                lo2s[job] = lo2
            r = run_in_neuron(job, lib, stage, jobdir, lo2)
            if r.returncode != 0:
                sys.exit("reference_watch: job %s failed:\n%s" % (job, r.stdout))
            with open(os.path.join(stage, job + ".json")) as f:
                summary[job] = json.load(f)
            os.remove(os.path.join(stage, job + ".json"))
        r = run_in_neuron("wnull", lib_null, stage, jobdir)
        wnull = "return code %d (%s)" % (r.returncode, "SIGSEGV" if r.returncode == -11 else "?")
        if os.path.exists(os.path.join(stage, "wnull.json")):
            os.remove(os.path.join(stage, "wnull.json"))

        checks = {"ba": check_ba(read_csv(os.path.join(stage, "ba_hh_soma.csv")))}
        inst = summary["ba_instances"]["values"]
        checks["ba_instances"] = {
            "every instance runs every block as often, at the same t":
                all(x == inst[0] for x in inst)}
        summary["ba_instances"] = {"instances": summary["ba_instances"]["instances"],
                                   "values (each instance)": inst[0]}
        ev_rows = []
        events = {}
        for case in WATCH_CASES:
            c = read_csv(os.path.join(stage, "watch_%s.csv" % case))
            ev = events[case] = watch_events(case, c)
            checks[case] = check_watch(case, c, ev, lo2s[case], events.get("w3_same_step"))
            ev_rows += [[case, e[0], e[1], e[2], e[3], e[4]] for e in ev]
            summary[case]["events"] = len(ev)
        runtime_a = os.path.join(ROOT, "tests", "golden", "runtime", "a_hh_soma.csv")
        if os.path.exists(runtime_a):
            a = read_csv(runtime_a)
            same = True
            for name in ["ba_hh_soma.csv"] + ["watch_%s.csv" % case for case in WATCH_CASES]:
                c = read_csv(os.path.join(stage, name))
                n = len(c["t"])
                same = same and c["t"] == a["t"][:n] and c["v"] == a["v"][:n]
            checks["runtime"] = {"t and v of every case equal tests/golden/runtime/a_hh_soma.csv "
                                 "(ba and Watcher do not change v)": same}
        checks["wnull"] = {"a NET_RECEIVE that reads its weight in a WATCH event crashes "
                           "(null weight pointer)": r.returncode == -11}
        write_csv(os.path.join(stage, "watch_events.csv"),
                  ["case", "flag", "t", "v", "seq", "row"], ev_rows)
        failed = ["%s: %s" % (job, name) for job, cs in checks.items()
                  for name, ok in cs.items() if not ok]
        if failed:
            sys.exit("reference_watch: checks failed (nothing written):\n  " + "\n  ".join(failed))

        prov = provenance_header("NEURON reference data for BEFORE/AFTER and WATCH (scripts/neuron/reference_watch.py)", jobdir)
        for name, _ in mods:
            prov.append("tests/golden/watch/%s sha256: %s" % (name, sha256(os.path.join(GOLDEN, name))))
        prov.append("")
        prov += nocmodl_lines(nocmodl)
        prov.append("")
        prov.append("settings: dt %g, celsius %g, v_init %g, secondorder 0, ba tstop %g, watch tstop %g"
                    % (DT, CELSIUS, V_INIT, BA_TSTOP, WATCH_TSTOP))
        prov.append("")
        for job in JOBS:
            prov.append("%s: %s" % (job, json.dumps(summary[job], sort_keys=True)))
        prov.append("wnull (WATCH event into a NET_RECEIVE that reads w): " + wnull)
        prov.append("")
        prov.append("checks (all passed):")
        for job, cs in checks.items():
            for name in cs:
                prov.append("  %s: %s" % (job, name))
        with open(os.path.join(stage, "provenance.txt"), "w") as f:
            f.write("\n".join(prov) + "\n")

        os.makedirs(GOLDEN, exist_ok=True)
        for f in os.listdir(GOLDEN):
            if f not in KEEP:
                os.remove(os.path.join(GOLDEN, f))
        for f in sorted(os.listdir(stage)):
            shutil.copy(os.path.join(stage, f), os.path.join(GOLDEN, f))
        print("reference_watch: wrote %d files to %s" % (len(os.listdir(stage)), GOLDEN))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
