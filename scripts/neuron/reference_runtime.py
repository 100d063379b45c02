#!/usr/bin/python3
"""Regenerates tests/golden/runtime/: NEURON 8.2.2 reference traces for Ranvier's
simulator runtime. The cases are described in tests/golden/runtime/README.md.

    /usr/bin/python3 scripts/neuron/reference_runtime.py

Run from anywhere (paths are relative to this file). Needs Debian's NEURON 8.2.2
(packages neuron, neuron-dev, python3-neuron) and the system Python /usr/bin/python3, the
only one that can import `neuron`. Takes a few seconds.

What it does, in a temporary directory:
1. runs nocmodl on mechanisms/cal.mod, capool.mod and vclamp.mod (each alone) and compiles
   cal.mod, capool.mod and a copy of vclamp.mod renamed to POINT_PROCESS VClampR with
   nrnivmodl under a private NRNHOME (scripts/neuron/nrnbuild.py);
2. runs every job in a fresh NEURON process started from an empty directory (so NEURON
   loads no x86_64/ by accident); each job loads the library with nrn_load_dll;
3. checks that VClampR (our vclamp.mod) and NEURON's built-in VClamp give bit-identical
   traces (it stops with an error otherwise);
4. replaces the generated files of tests/golden/runtime/ (README.md is kept) and writes
   provenance.txt (versions, checksums, row counts, nseg of the SWC cell, check results).

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
from neuron_jobs import (d_lambda_nseg, dump, g17, hh_cable, hh_soma, neuron_h, nocmodl_lines, provenance_header,  # noqa: E402,F401
                         recorder, run_fixed, run_job_process, sha256, write_csv)

MECHS = os.path.join(ROOT, "mechanisms")
SWC = os.path.join(ROOT, "examples", "swc-cell", "cell.swc")
GOLDEN = os.path.join(ROOT, "tests", "golden", "runtime")

DT = 0.025
CELSIUS = 6.3
V_INIT = -65.0

# case (c): where things are in the SWC cell (section names as NEURON's importer makes them)
C_SYN_SEC, C_SYN_X = "apic[1]", 0.5      # ExpSyn: middle of the first daughter of the trunk
C_BASAL_TIP_SEC = "dend[1]"              # tip (x = 1) of a terminal basal branch
C_AXON_SEC = "axon[0]"




# ---------------------------------------------------------------------------------------
# Jobs (each runs in its own NEURON process)







def job_a(h, out, secondorder, name):
    soma = hh_soma(h)
    stim = h.IClamp(soma(0.5))
    stim.delay = 1
    stim.dur = 50
    stim.amp = 0.1
    seg = soma(0.5)
    header, vecs = recorder(h, [("v", seg._ref_v), ("m", seg._ref_m_hh), ("h", seg._ref_h_hh),
                                ("n", seg._ref_n_hh), ("ina", seg._ref_ina), ("ik", seg._ref_ik),
                                ("iclamp_i", stim._ref_i)])
    steps = run_fixed(h, 60, secondorder=secondorder)
    rows = dump(os.path.join(out, name), header, vecs)
    return {"rows": rows, "steps": steps, "t_end": h.t, "spikes_v_max": max(vecs[1])}




def job_b(h, out):
    cable, stim = hh_cable(h)
    xs = [0, 0.0005, 0.5, 0.9995, 1]
    header, vecs = recorder(h, [("v(%g)" % x, cable(x)._ref_v) for x in xs])
    steps = run_fixed(h, 50)
    rows = dump(os.path.join(out, "b_hh_cable.csv"), header, vecs)
    return {"rows": rows, "steps": steps, "t_end": h.t,
            "nodes": {"%g" % x: [cable(x).node_index(), cable(x).x, cable(x).area()] for x in xs}}


# segment centres: (i + 0.5)/1000
B_SPIKE_XS = (0.0005, 0.2505, 0.5005, 0.7505, 0.9995)


def job_b_spikes(h, out):
    cable, stim = hh_cable(h)
    rec = []
    for x in B_SPIKE_XS:
        nc = h.NetCon(cable(x)._ref_v, None, sec=cable)
        nc.threshold = 0
        tv = h.Vector()
        nc.record(tv)
        rec.append((x, nc, tv))
    steps = run_fixed(h, 200)
    rows = []
    for x, nc, tv in rec:
        rows += [["%g" % x, t] for t in tv]
    write_csv(os.path.join(out, "b_hh_cable_spikes.csv"), ["location", "t"], rows)
    counts = {"%g" % x: len(tv) for x, nc, tv in rec}
    first = {"%g" % x: tv[0] for x, nc, tv in rec if len(tv)}
    last = {"%g" % x: tv[len(tv) - 1] for x, nc, tv in rec if len(tv)}
    nodes = {"%g" % x: [cable(x).node_index(), cable(x).x] for x, nc, tv in rec}
    return {"rows": len(rows), "steps": steps, "t_end": h.t, "counts": counts, "first": first,
            "last": last, "nodes": nodes}


def swc_cell(h):
    h.load_file("import3d.hoc")
    reader = h.Import3d_SWC_read()
    reader.input(SWC)
    gui = h.Import3d_GUI(reader, 0)
    gui.instantiate(None)
    secs = list(h.allsec())
    for s in secs:
        s.Ra = 100
        s.cm = 1
    d_lambda_nseg(h, 100, 0.1)
    by_name = {s.name(): s for s in secs}
    soma = by_name["soma[0]"]
    soma.insert("hh")
    soma.insert("cal")
    soma.insert("capool")
    for s in secs:
        if s is not soma:
            s.insert("pas")
            for seg in s:
                seg.pas.g = 1e-4
                seg.pas.e = -65
    return secs, by_name, soma


def job_c(h, out, weight, name, geometry, secondorder=0):
    secs, by_name, soma = swc_cell(h)
    syn_sec = by_name[C_SYN_SEC]
    syn = h.ExpSyn(syn_sec(C_SYN_X))
    syn.tau = 2
    syn.e = 0
    ns = h.NetStim()
    ns.number = 5
    ns.start = 20
    ns.interval = 30
    ns.noise = 0
    nc = h.NetCon(ns, syn)
    nc.weight[0] = weight
    nc.delay = 1
    tip = by_name[C_BASAL_TIP_SEC](1)
    ax = by_name[C_AXON_SEC](0.5)
    s5 = soma(0.5)
    header, vecs = recorder(h, [
        ("v_soma", s5._ref_v), ("v_syn", syn_sec(C_SYN_X)._ref_v), ("v_basal_tip", tip._ref_v),
        ("v_axon", ax._ref_v), ("cai_soma", s5._ref_cai), ("eca_soma", s5._ref_eca),
        ("ica_soma", s5._ref_ica), ("syn_g", syn._ref_g)])
    # soma spikes, for the summary only
    spk = h.Vector()
    det = h.NetCon(s5._ref_v, None, sec=soma)
    det.threshold = 0
    det.record(spk)
    steps = run_fixed(h, 200, secondorder=secondorder)
    rows = dump(os.path.join(out, name), header, vecs)
    info = {"rows": rows, "steps": steps, "t_end": h.t, "sections": len(secs),
            "nseg": {s.name(): s.nseg for s in secs}, "total_nseg": sum(s.nseg for s in secs),
            "soma_spikes": list(spk), "cai_max": max(vecs[5]), "v_syn_max": max(vecs[2]),
            "v_soma_max": max(vecs[1])}
    if not geometry:
        return info
    srows, prows = [], []
    for s in secs:
        ps = s.parentseg()
        srows.append([s.name(), ps.sec.name() if ps is not None else "", ps.x if ps is not None else "",
                      s.nseg, s.L, int(s.n3d()), sum(seg.area() for seg in s)])
        for i in range(int(s.n3d())):
            prows.append([s.name(), i, s.x3d(i), s.y3d(i), s.z3d(i), s.diam3d(i), s.arc3d(i)])
    write_csv(os.path.join(out, "c_swc_cell_sections.csv"),
              ["name", "parent", "parent_x", "nseg", "L", "n3d", "area"], srows)
    write_csv(os.path.join(out, "c_swc_cell_points.csv"),
              ["section", "i", "x", "y", "z", "diam", "arc"], prows)
    info["points"] = len(prows)
    return info


def vclamp_cell(h, name, params, iclamp=None):
    soma = hh_soma(h)
    vc = getattr(h, name)(soma(0.5))
    for k, val in params.items():
        if k in ("dur", "amp"):
            for j, x in enumerate(val):
                getattr(vc, k)[j] = x
        else:
            setattr(vc, k, val)
    stims = []
    if iclamp:
        st = h.IClamp(soma(0.5))
        st.delay, st.dur, st.amp = iclamp
        stims.append(st)
    seg = soma(0.5)
    cols = [("v", seg._ref_v), ("i", vc._ref_i), ("vo", vc._ref_vo), ("vi", vc._ref_vi), ("e", vc._ref_e),
            ("m", seg._ref_m_hh), ("h", seg._ref_h_hh), ("n", seg._ref_n_hh)]
    return soma, vc, stims, cols


D_PARAMS = {"amp": (-65, -20, -65), "dur": (5, 20, 20)}
VCLAMP_CHECKS = {
    # name: (VClamp settings, IClamp (del, dur, amp) or None, tstop, secondorder)
    "d": (D_PARAMS, None, 50, 0),
    "steps_tau2_fac": ({"amp": (-70, 10, -50), "dur": (2, 3, 4), "gain": 1e3, "rstim": 10,
                        "tau1": 0.01, "tau2": 0.05, "fac": 0.5}, (12, 5, 0.3), 30, 0),
    "off_then_iclamp": ({"amp": (-65, -80, -40), "dur": (1, 1, 1)}, (5, 2, 0.2), 30, 0),
    "defaults_one_level": ({"amp": (-30, 0, 0), "dur": (1e9, 0, 0)}, None, 20, 0),
}


def job_d(h, out):
    soma, vc, stims, cols = vclamp_cell(h, "VClamp", D_PARAMS)
    header, vecs = recorder(h, cols[:5])
    steps = run_fixed(h, 50)
    rows = dump(os.path.join(out, "d_vclamp.csv"), header, vecs)
    return {"rows": rows, "steps": steps, "t_end": h.t}


def job_vclamp_check(h, out):
    """Our vclamp.mod (compiled as VClampR) against the built-in VClamp: bit-identical?"""
    res = {}
    for case, (params, ic, tstop, so) in VCLAMP_CHECKS.items():
        traces = {}
        for name in ("VClamp", "VClampR"):
            for s in list(h.allsec()):
                h.delete_section(sec=s)
            soma, vc, stims, cols = vclamp_cell(h, name, params, ic)
            header, vecs = recorder(h, cols)
            run_fixed(h, tstop, secondorder=so)
            traces[name] = [list(v) for v in vecs]
            del vc, stims, soma
        a, b = traces["VClamp"], traces["VClampR"]
        identical = all(len(x) == len(y) and all(p == q or (p != p and q != q) for p, q in zip(x, y))
                        for x, y in zip(a, b))
        maxdiff = max(abs(p - q) for x, y in zip(a, b) for p, q in zip(x, y))
        finite = all(p == p and abs(p) != float("inf") for x in a for p in x)
        vi = header.index("i")
        res[case] = {"identical": identical and finite, "finite": finite, "max_abs_diff": maxdiff,
                     "rows": len(a[0]), "columns": header,
                     "max_abs_i": max(abs(p) for p in a[vi]), "v_range": [min(a[1]), max(a[1])]}
    return res


def job_ions(h, out):
    rows = []
    cases = [("na", "hh"), ("k", "hh"), ("ca", "cal"), ("ca", "cal capool")]
    for celsius in (6.3, 37.0):
        for ion, mechs in cases:
            for s in list(h.allsec()):
                h.delete_section(sec=s)
            sec = h.Section(name="fresh")
            for m in mechs.split():
                sec.insert(m)
            h.celsius = celsius
            h.dt = DT
            h.finitialize(V_INIT)
            seg = sec(0.5)
            ci0 = getattr(h, "%si0_%s_ion" % (ion, ion))
            co0 = getattr(h, "%so0_%s_ion" % (ion, ion))
            z = {"na": 1, "k": 1, "ca": 2}[ion]
            rows.append([ion, celsius, mechs, z, ci0, co0, getattr(seg, ion + "i"), getattr(seg, ion + "o"),
                         getattr(seg, "e" + ion), h.nernst(ci0, co0, z), h.nernst("e" + ion, 0.5, sec=sec)])
    write_csv(os.path.join(out, "ion_defaults.csv"),
              ["ion", "celsius", "mechanisms", "charge", "ci0_global", "co0_global", "ci", "co",
               "e_after_finitialize", "nernst_ci0_co0", "nernst_section"], rows)
    return {"rows": len(rows), "FARADAY": h.FARADAY, "R": h.R}


def job_order(h, out):
    """NEURON's mechanism types and the order nrn_init/nrn_cur/nrn_state run in.

    The order is memb_order_ (src/nrnoc/init.cpp): type order, except that every ion, when
    it is registered, and every mechanism that WRITEs an ion concentration (nocmodl emits
    nrn_writes_conc right after register_mech) is moved to the position `lastion`, which
    starts after extracellular (type 5) and advances by one after each ion. This replays
    that rule over the registration (type) order.
    """
    kinds = {}
    names = {}
    for k, kind in ((0, "density"), (1, "point")):
        mt = h.MechanismType(k)
        s = h.ref("")
        for i in range(int(mt.count())):
            mt.select(i)
            mt.selected(s)
            t = int(mt.internal_type())
            names[t] = s[0]
            kind_t = kind
            if kind == "density" and s[0].endswith("_ion"):
                kind_t = "ion"
            if kind == "point" and mt.is_artificial(i):
                kind_t = "artificial"
            kinds[t] = kind_t
    writes_conc = {"capool"}  # of the built-ins and ours, only capool writes a concentration
    ntypes = max(names) + 1
    order = []
    lastion = 6  # EXTRACELL + 1
    for t in range(ntypes):
        order.append(t)
        name = names.get(t)
        if name and (kinds[t] == "ion" or name in writes_conc):
            order.pop()
            order.insert(lastion, t)
            if kinds[t] == "ion":
                lastion += 1
    # Measured: the thread's mechanism list as ParallelContext.nrncore_write saves it (the
    # `nmech` list of <gid>_2.dat is NrnThread.tml in order, artificial cells appended).
    probe = measured_thread_order(h, names, kinds)
    measured = [t for t in probe if kinds[t] != "artificial"]
    replay = [t for t in order if t in measured]
    if measured != replay:
        raise SystemExit("mechanism order: replay %s != measured %s" % (replay, measured))
    rows = []
    for pos, t in enumerate(order):
        mpos = str(measured.index(t)) if t in measured else ""
        if t in names:
            rows.append([pos, t, names[t], kinds[t], mpos])
        else:
            rows.append([pos, t, "(unnamed type %d)" % t, "internal", mpos])
    write_csv(os.path.join(out, "mechanism_order.csv"),
              ["order", "type", "name", "kind", "probe_thread_position"], rows)
    return {"rows": len(rows), "types": ntypes, "probe_measured": [names[t] for t in probe]}


def measured_thread_order(h, names, kinds):
    """One section with every density mechanism but extracellular and every point process
    (but PointProcessMark, PatternStim) and artificial cell; returns the order of the
    thread's mechanism list, as nrncore_write saves it."""
    pc = h.ParallelContext()
    s = h.Section(name="probe")
    objs = []
    for t in sorted(names):
        n = names[t]
        if kinds[t] == "density" and n not in ("morphology", "capacitance", "extracellular"):
            s.insert(n)
        elif kinds[t] == "point" and n != "PointProcessMark":
            objs.append(getattr(h, n)(s(0.5)))
        elif kinds[t] == "artificial" and n != "PatternStim":
            objs.append(getattr(h, n)())
    pc.set_gid2node(0, pc.id())
    nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
    pc.cell(0, nc)
    h.CVode().cache_efficient(1)
    h.finitialize(V_INIT)
    d = os.path.abspath("coredat")
    os.makedirs(d)
    pc.nrncore_write(d)
    with open(os.path.join(d, "0_2.dat"), "rb") as f:
        data = f.read()
    head, tail = data.split(b" nmech\n", 1)
    nmech = int(head.split(b"\n")[-1])
    toks = tail.split(b"\n")[:2 * nmech]
    shutil.rmtree(d)
    h.CVode().cache_efficient(0)
    return [int(toks[2 * i]) for i in range(nmech)]


def job_f(h, out):
    """examples/attached-ends/cell.toml: sections attached by their 1 end."""
    soma = h.Section(name="soma")
    soma.L, soma.diam = 20, 20
    dend = h.Section(name="dend")
    dend.L, dend.diam, dend.nseg = 300, 2, 7
    tuft = h.Section(name="tuft")
    tuft.nseg = 5
    for p in ([0, 0, 0, 3], [50, 0, 0, 2], [120, 10, 0, 1]):
        h.pt3dadd(*p, sec=tuft)
    branch = h.Section(name="branch")
    branch.L, branch.diam, branch.nseg = 100, 1, 3
    dend.connect(soma(0), 1)    # connect dend(1), soma(0)
    tuft.connect(dend(0.2), 1)  # connect tuft(1), dend(0.2)
    branch.connect(dend(0), 0)  # from dend's free end
    secs = [soma, dend, tuft, branch]
    for s in secs:
        s.Ra, s.cm = 35.4, 1
    soma.insert("hh")
    h.distance(0, soma(0.5))
    for s in (dend, tuft, branch):
        s.insert("pas")
        for seg in s:
            seg.pas.g = 1e-4 * (1 + h.distance(seg) / 200)
            seg.pas.e = -65
    drive = h.IClamp(soma(0.5))
    drive.delay, drive.dur, drive.amp = 2, 40, 0.3
    tstim = h.IClamp(tuft(0.25))
    tstim.delay, tstim.dur, tstim.amp = 10, 5, 0.05
    header, vecs = recorder(h, [
        ("v_soma", soma(0.5)._ref_v), ("v_dend1", dend(1)._ref_v), ("v_dend03", dend(0.3)._ref_v),
        ("v_dend0", dend(0)._ref_v), ("v_tuft025", tuft(0.25)._ref_v), ("v_tuft0", tuft(0)._ref_v),
        ("v_branch1", branch(1)._ref_v), ("tuft_stim_i", tstim._ref_i)])
    steps = run_fixed(h, 60)
    rows = dump(os.path.join(out, "f_attached_ends.csv"), header, vecs)
    return {"rows": rows, "steps": steps, "t_end": h.t, "v_soma_max": max(vecs[1]),
            "orientation": {s.name(): s.orientation() for s in secs},
            "areas": {s.name(): [seg.area() for seg in s] for s in secs},
            "distance": {s.name(): [h.distance(seg) for seg in s.allseg()] for s in secs}}


JOBS = ["vclamp_check", "a", "a2", "b", "b_spikes", "c", "c2", "c2_cn", "d", "f", "ions", "order"]


def run_job(args):
    h = neuron_h(args.lib)
    if args.job == "a":
        info = job_a(h, args.out, 0, "a_hh_soma.csv")
    elif args.job == "a2":
        info = job_a(h, args.out, 2, "a2_hh_soma_cn.csv")
    elif args.job == "b":
        info = job_b(h, args.out)
    elif args.job == "b_spikes":
        info = job_b_spikes(h, args.out)
    elif args.job == "c":
        info = job_c(h, args.out, 0.005, "c_swc_cell.csv", True)
    elif args.job == "c2":
        info = job_c(h, args.out, 0.05, "c2_swc_cell_strong.csv", False)
    elif args.job == "c2_cn":  # Crank-Nicolson: capool's derivimplicit takes half steps
        info = job_c(h, args.out, 0.05, "c2_swc_cell_strong_cn.csv", False, secondorder=2)
    elif args.job == "d":
        info = job_d(h, args.out)
    elif args.job == "f":
        info = job_f(h, args.out)
    elif args.job == "vclamp_check":
        info = job_vclamp_check(h, args.out)
    elif args.job == "ions":
        info = job_ions(h, args.out)
    elif args.job == "order":
        info = job_order(h, args.out)
    else:
        raise SystemExit("unknown job " + args.job)
    with open(os.path.join(args.out, args.job + ".json"), "w") as f:
        json.dump(info, f)


# ---------------------------------------------------------------------------------------
# Driver

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job")
    ap.add_argument("--lib")
    ap.add_argument("--out")
    ap.add_argument("--only", help="comma-separated jobs to run (default: all); writes nothing "
                                   "to the golden directory, prints the summaries")
    args = ap.parse_args()
    if args.job:
        run_job(args)
        return

    def read(name):
        with open(os.path.join(MECHS, name)) as f:
            return f.read()
    mods = [("cal.mod", read("cal.mod")), ("capool.mod", read("capool.mod")),
            ("vclampr.mod", nrnbuild.rename_point_process(read("vclamp.mod"), "VClamp", "VClampR"))]
    tmp = tempfile.mkdtemp(prefix="ranvier-runtime-ref.")
    try:
        stage = os.path.join(tmp, "out")
        os.makedirs(stage)
        nocmodl = {name: nrnbuild.nocmodl_messages(tmp, name, text) for name, text in mods}
        lib, log = nrnbuild.build(tmp, mods)
        warnings = [l for l in log.splitlines() if "warning" in l.lower()]
        if warnings:
            print("reference_runtime: compiler warnings:\n  " + "\n  ".join(warnings))

        jobdir = os.path.join(tmp, "jobs")
        os.makedirs(jobdir)
        jobs = args.only.split(",") if args.only else JOBS
        summary = {}
        for job in jobs:
            r = run_job_process(__file__, job, lib, stage, jobdir)
            if r.returncode != 0:
                sys.exit("reference_runtime: job %s failed:\n%s" % (job, r.stdout))
            with open(os.path.join(stage, job + ".json")) as f:
                summary[job] = json.load(f)
            os.remove(os.path.join(stage, job + ".json"))
        if args.only:
            print(json.dumps(summary, indent=1))
            return

        bad = [c for c, v in summary["vclamp_check"].items() if not v["identical"]]
        if bad:
            sys.exit("reference_runtime: VClampR (mechanisms/vclamp.mod) differs from NEURON's "
                     "VClamp in %s: %s" % (bad, json.dumps(summary["vclamp_check"])))

        prov = provenance_header("NEURON reference data for Ranvier's runtime (scripts/neuron/reference_runtime.py)", jobdir)
        for name in ("cal.mod", "capool.mod", "vclamp.mod"):
            prov.append("mechanisms/%s sha256: %s" % (name, sha256(os.path.join(MECHS, name))))
        prov.append("examples/swc-cell/cell.swc sha256: " + sha256(SWC))
        prov.append("")
        prov += nocmodl_lines(nocmodl)
        prov.append("")
        for job in jobs:
            prov.append("%s: %s" % (job, json.dumps(summary[job], sort_keys=True)))
        with open(os.path.join(stage, "provenance.txt"), "w") as f:
            f.write("\n".join(prov) + "\n")

        os.makedirs(GOLDEN, exist_ok=True)
        for f in os.listdir(GOLDEN):
            if f != "README.md":
                os.remove(os.path.join(GOLDEN, f))
        for f in sorted(os.listdir(stage)):
            shutil.copy(os.path.join(stage, f), os.path.join(GOLDEN, f))
        print("reference_runtime: wrote %d files to %s" % (len(os.listdir(stage)), GOLDEN))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
