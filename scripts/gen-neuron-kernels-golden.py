#!/usr/bin/python3
"""Regenerates tests/golden/neuron-kernels/: NEURON 8.2.2 reference numbers for the
numerical tests of Ranvier's reference interpreter. See the README there.

    /usr/bin/python3 scripts/gen-neuron-kernels-golden.py

Needs Debian's NEURON 8.2.2 (packages neuron, neuron-dev, python3-neuron) and must run
with the system Python (/usr/bin/python3), which is the only one that can import
`neuron`. The .mod files of tests/mod/kernels/ are copied into a temporary directory and
built there with nrnivmodl under a private NRNHOME (Debian's nrnivmodl cannot build
custom mechanisms as installed; see docs in /work/shared/notes or the README). Every
simulation job runs in a fresh NEURON process, so no job sees state left by another.
Nothing is written next to the inputs; the golden directory's generated files are
replaced, README.md is kept. Two runs give byte-identical output.

Internal use: `--job NAME --lib LIBNRNMECH --out DIR` runs one job.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal, getcontext
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNELS = os.path.join(ROOT, "tests", "mod", "kernels")
GOLDEN = os.path.join(ROOT, "tests", "golden", "neuron-kernels")
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import g17, sha256, write_csv  # noqa: E402

DT = 0.025
NSTEPS = 1000
CELSIUS = 6.3

# name: (mechanisms to insert, {mechanism: {parameter: value}}, V_init, V, usetable_hh,
#        [(column, segment attribute)])
# finitialize(V_init), then every step: v = V, fadvance(). With V_init == V the states
# start at their steady state for V (hh, na_kin), so the "step" cases are the ones in which
# the gates move.
HH_STATES = [("m", "m_hh"), ("h", "h_hh"), ("n", "n_hh")]
NA_STATES = [("C1", "C1_na_kin"), ("C2", "C2_na_kin"), ("O", "O_na_kin"), ("I", "I_na_kin")]
CASES = {
    "hh_v-65": (["hh"], {}, -65.0, -65.0, 1, HH_STATES),
    "hh_v-30": (["hh"], {}, -30.0, -30.0, 1, HH_STATES),
    "hh_v+20": (["hh"], {}, 20.0, 20.0, 1, HH_STATES),
    "hh_notable_v-30": (["hh"], {}, -30.0, -30.0, 0, HH_STATES),
    "hh_step_v-65_to_v-30": (["hh"], {}, -65.0, -30.0, 1, HH_STATES),
    "hh_step_v-65_to_v+20": (["hh"], {}, -65.0, 20.0, 1, HH_STATES),
    "hh_notable_step_v-65_to_v-30": (["hh"], {}, -65.0, -30.0, 0, HH_STATES),
    "capool_di_ica0": (["capool_di"], {}, -65.0, -65.0, 1, [("cai", "cai")]),
    "capool_di_ica-1e-4": (["capool_di", "ica_const"], {"ica_const": {"amp": -1e-4}}, -65.0, -65.0, 1,
                           [("cai", "cai")]),
    "na_kin_v-70": (["na_kin"], {}, -70.0, -70.0, 1, NA_STATES),
    "na_kin_v-20": (["na_kin"], {}, -20.0, -20.0, 1, NA_STATES),
    "na_kin_step_v-70_to_v-20": (["na_kin"], {}, -70.0, -20.0, 1, NA_STATES),
    "cabuf": (["cabuf"], {}, -65.0, -65.0, 1, [("ca", "ca_cabuf"), ("B", "B_cabuf"), ("CaB", "CaB_cabuf")]),
    "decay_kin": (["decay_kin"], {}, -65.0, -65.0, 1, [("A", "A_decay_kin"), ("B", "B_decay_kin")]),
    "decay_kin_ss": (["decay_kin_ss"], {}, -65.0, -65.0, 1, [("A", "A_decay_kin_ss"), ("B", "B_decay_kin_ss")]),
}
# The same cases under Crank-Nicolson (h.secondorder = 2): nrn_state halves dt around
# derivimplicit and sparse and extrapolates x += dt/2 * Dx; after a STEADYSTATE in
# INITIAL, x += dt * Dx (docs/neuron-numerics.md). Not checked against the implicit-Euler
# replicas below, which are first-order.
SECONDORDER = {}
for _base in ("capool_di_ica-1e-4", "na_kin_step_v-70_to_v-20", "cabuf", "decay_kin", "decay_kin_ss"):
    CASES[_base + "_cn"] = CASES[_base]
    SECONDORDER[_base + "_cn"] = 2


# ---------------------------------------------------------------------------------------
# Jobs (each runs in its own process)

def neuron_h(lib):
    from neuron import h
    if lib:
        h.nrn_load_dll(lib)
    return h


def hh_table_voltages():
    vs = {-120.0 + i * 0.37 for i in range(649)}
    # exact table grid points, the table ends, points just inside/outside them, the
    # removable singularities of vtrap (-40 for m, -55 for n) and points near them
    vs |= {-120.0, 120.0, -100.0, -99.0, -65.0, -40.0, -55.0, 0.0, 99.0, 100.0, 99.5,
           -100.5, 100.5, -99.75, 1e-12, -40.000001, -39.9999999, -55.0000001, -54.99999,
           -100.0 + 1e-9, 100.0 - 1e-9, 150.0, -150.0}
    return sorted(vs)


def hh_reference(v, celsius):
    """hh.mod's rates() evaluated in Python (as the generated C does, no table)."""
    def vtrap(x, y):
        if abs(x / y) < 1e-6:
            return y * (1 - x / y / 2)
        return x / (math.exp(x / y) - 1)
    q10 = 3 ** ((celsius - 6.3) / 10)
    a = 0.1 * vtrap(-(v + 40), 10)
    b = 4 * math.exp(-(v + 65) / 18)
    s = a + b
    mtau, minf = 1 / (q10 * s), a / s
    a = 0.07 * math.exp(-(v + 65) / 20)
    b = 1 / (math.exp(-(v + 35) / 10) + 1)
    s = a + b
    htau, hinf = 1 / (q10 * s), a / s
    a = 0.01 * vtrap(-(v + 55), 10)
    b = 0.125 * math.exp(-(v + 65) / 80)
    s = a + b
    ntau, ninf = 1 / (q10 * s), a / s
    return [minf, hinf, ninf, mtau, htau, ntau]


def hh_reference_table(v, celsius):
    """NEURON's TABLE lookup: 201 points from -100 to 100, linear interpolation, clamped."""
    xi = 1.0 * (v - -100.0)
    if xi <= 0:
        return hh_reference(-100.0, celsius)
    if xi >= 200:
        return hh_reference(100.0, celsius)
    i = int(xi)
    th = xi - i
    lo, hi = hh_reference(-100.0 + i, celsius), hh_reference(-100.0 + i + 1, celsius)
    return [a + th * (b - a) for a, b in zip(lo, hi)]


def job_hh_tables(lib, out):
    h = neuron_h(None)
    rows = []
    worst = {0: 0.0, 1: 0.0}
    for celsius in (6.3, 20.0):
        for usetable in (1, 0):
            h.celsius = celsius
            h.usetable_hh = usetable
            for v in hh_table_voltages():
                h.rates_hh(v)
                vals = [h.minf_hh, h.hinf_hh, h.ninf_hh, h.mtau_hh, h.htau_hh, h.ntau_hh]
                rows.append([celsius, usetable, v] + vals)
                ref = (hh_reference_table if usetable else hh_reference)(v, celsius)
                for a, b in zip(vals, ref):
                    worst[usetable] = max(worst[usetable], abs(a - b) / abs(b))
    write_csv(os.path.join(out, "hh_tables.csv"),
              ["celsius", "usetable", "v", "minf", "hinf", "ninf", "mtau", "htau", "ntau"], rows)
    return {"rows": len(rows), "max_rel_diff_vs_python_formula_notable": worst[0],
            "max_rel_diff_vs_python_table": worst[1]}


def job_trajectory(lib, out, name):
    mechs, params, V_init, V, usetable, states = CASES[name]
    h = neuron_h(lib)
    h.celsius = CELSIUS
    h.usetable_hh = usetable
    h.dt = DT
    h.secondorder = SECONDORDER.get(name, 0)
    sec = h.Section(name="soma")
    sec.L = 10
    sec.diam = 10
    sec.nseg = 1
    sec.cm = 1e15
    for m in mechs:
        sec.insert(m)
    seg = sec(0.5)
    for m, ps in params.items():
        for p, val in ps.items():
            setattr(seg, p + "_" + m, val)
    rows = []
    h.finitialize(V_init)
    rows.append([0, h.t] + [getattr(seg, a) for _, a in states] + [seg.v])
    drift = 0.0
    for step in range(1, NSTEPS + 1):
        seg.v = V
        h.fadvance()
        rows.append([step, h.t] + [getattr(seg, a) for _, a in states] + [seg.v])
        drift = max(drift, abs(seg.v - V))
    write_csv(os.path.join(out, name + ".csv"), ["step", "t"] + [c for c, _ in states] + ["v"], rows)
    info = {"max_abs_v_drift": drift, "faraday": h.FARADAY}
    if name not in SECONDORDER:
        info.update(check_trajectory(name, rows, seg, h))
    return info


def check_trajectory(name, rows, seg, h):
    """Distance of NEURON's trajectory from the exactly solved implicit-Euler recurrence
    (the method derivimplicit and sparse implement), started from NEURON's t=0 row."""
    getcontext().prec = 50
    dt = Fraction(DT)
    if name.startswith("hh"):
        # cnexp as nocmodl writes it, rates from the table (or formulas) at the v of the step
        rates = hh_reference_table if CASES[name][4] else hh_reference
        worst, mismatches = 0.0, 0
        init = rates(rows[0][-1], CELSIUS)
        for a, b in zip(init[:3], rows[0][2:5]):
            mismatches += a != b
        for prev, now in zip(rows, rows[1:]):
            r = rates(now[-1], CELSIUS)
            for x, inf, tau, val in zip(prev[2:5], r[:3], r[3:], now[2:5]):
                y = x + (1. - math.exp(DT * ((-1.0) / tau))) * (-(inf / tau) / ((-1.0) / tau) - x)
                worst = max(worst, abs(y - val) / abs(val))
                mismatches += y != val
        return {"cnexp_replica_max_rel_diff": worst, "cnexp_replica_mismatches": mismatches}
    if name.startswith("capool_di"):
        depth, taur, cainf = Fraction(seg.depth_capool_di), Fraction(seg.taur_capool_di), Fraction(seg.cainf_capool_di)
        vmax, kd = Fraction(seg.vmax_capool_di), Fraction(seg.kd_capool_di)
        ica = Fraction(CASES[name][1].get("ica_const", {}).get("amp", 0.0))
        c = -ica * Fraction(10000) / (2 * Fraction(h.FARADAY) * depth)
        # x - x0 = dt*(c - vmax*x/(x+kd) - (x-cainf)/taur), times (x+kd): a quadratic in x
        def step(xs):
            x0 = xs[0]
            # A x^2 + B x + C = 0
            A = 1 + dt / taur
            B = kd * (1 + dt / taur) - x0 - dt * c + dt * vmax - dt * cainf / taur
            C = -kd * x0 - dt * c * kd - dt * cainf * kd / taur
            disc = Decimal(B.numerator) / Decimal(B.denominator)
            disc = disc * disc - 4 * (Decimal(A.numerator) / Decimal(A.denominator)) * (Decimal(C.numerator) / Decimal(C.denominator))
            r = (-Decimal(B.numerator) / Decimal(B.denominator) + disc.sqrt()) / (2 * Decimal(A.numerator) / Decimal(A.denominator))
            return [Fraction(r)]
    elif name.startswith("na_kin"):
        # the rates NEURON computed last (v barely moves, so they are the rates of every
        # step to within the drift); build the 4x4 generator
        k = {n: Fraction(getattr(seg, n + "_na_kin")) for n in
             ("kc1c2", "kc2c1", "kc2o", "koc2", "koi", "kio", "kic1", "kc1i")}
        # states C1 C2 O I; reactions C1<->C2, C2<->O, O<->I, I<->C1
        reac = [(0, 1, k["kc1c2"], k["kc2c1"]), (1, 2, k["kc2o"], k["koc2"]),
                (2, 3, k["koi"], k["kio"]), (3, 0, k["kic1"], k["kc1i"])]
        Q = [[Fraction(0)] * 4 for _ in range(4)]
        for a, b, kf, kb in reac:
            Q[a][a] -= kf; Q[b][a] += kf
            Q[b][b] -= kb; Q[a][b] += kb
        M = [[(1 if i == j else 0) - dt * Q[i][j] for j in range(4)] for i in range(4)]
        def step(x0):
            return [rnd(a) for a in solve(M, list(x0))]
    elif name == "cabuf":
        kon, koff, bfrac = Fraction(seg.kon_cabuf), Fraction(seg.koff_cabuf), Fraction(seg.bfrac_cabuf)
        def step(x0):
            ca0, B0, CaB0 = x0
            # y = CaB - CaB0: ca = ca0 - bfrac*y, B = B0 - y,
            # y = dt*(kon*(ca0 - bfrac*y)*(B0 - y) - koff*(CaB0 + y))
            A = dt * kon * bfrac
            Bq = -dt * kon * (ca0 + bfrac * B0) - dt * koff - 1
            C = dt * kon * ca0 * B0 - dt * koff * CaB0
            D = lambda f: Decimal(f.numerator) / Decimal(f.denominator)
            disc = (D(Bq) * D(Bq) - 4 * D(A) * D(C)).sqrt()
            y = Fraction((-D(Bq) - disc) / (2 * D(A)))
            return [ca0 - bfrac * y, B0 - y, CaB0 + y]
    else:
        return {}
    nst = len(rows[0]) - 3
    x = [Fraction(c) for c in rows[0][2:2 + nst]]
    glob = local = rglob = rlocal = 0.0
    for r in rows[1:]:
        neuron_now = r[2:2 + nst]
        x = step(x)
        prev = [Fraction(c) for c in rows[r[0] - 1][2:2 + nst]]
        y = step(prev)
        for ref, val in zip(x, neuron_now):
            glob = max(glob, abs(float(ref - Fraction(val))))
            rglob = max(rglob, abs(float((ref - Fraction(val)) / ref)) if ref else 0.0)
        for ref, val in zip(y, neuron_now):
            local = max(local, abs(float(ref - Fraction(val))))
            rlocal = max(rlocal, abs(float((ref - Fraction(val)) / ref)) if ref else 0.0)
    info = {"max_abs_diff_vs_exact_implicit_euler_trajectory": glob,
            "max_abs_diff_vs_exact_implicit_euler_one_step": local,
            "max_rel_diff_vs_exact_implicit_euler_trajectory": rglob,
            "max_rel_diff_vs_exact_implicit_euler_one_step": rlocal}
    if name == "cabuf":
        worst, counts = cabuf_neuron_newton(rows, seg)
        info["max_rel_diff_vs_neuron_newton_replica_one_step"] = worst
        info["newton_iterations_per_step"] = counts
    if name.startswith("na_kin") and CASES[name][2] == CASES[name][3]:
        # exact steady state: Q x = 0 with sum x = 1 (last row replaced by the conservation)
        S = [row[:] for row in Q]
        S[3] = [Fraction(1)] * 4
        ss = solve(S, [Fraction(0)] * 3 + [Fraction(1)])
        info["max_abs_diff_steadystate_vs_exact"] = max(abs(float(a) - b) for a, b in zip(ss, rows[0][2:6]))
        # what NEURON computes: _ss_sparse_thread takes one implicit Euler step of
        # dt = 1e9 ms from the state values INITIAL starts with (C10 = C20 = O0 = I0 = 0),
        # the equation of I (the last term of CONSERVE) replaced by C1 + C2 + O + I = 1
        big = Fraction(1e9)
        S = [[(1 if i == j else 0) / big - Q[i][j] for j in range(4)] for i in range(4)]
        S[3] = [Fraction(1)] * 4
        ss = solve(S, [Fraction(0)] * 3 + [Fraction(1)])
        info["max_abs_diff_steadystate_vs_ie_1e9_from_zero"] = max(abs(float(a) - b) for a, b in zip(ss, rows[0][2:6]))
    return info


def cabuf_neuron_newton(rows, seg):
    """cabuf's step the way NEURON's sparse_thread takes it, in doubles: Newton on the
    implicit Euler equations (rows scaled by the compartment volumes, CaB's row replaced
    by the CONSERVE row), stopping as soon as the sum of |corrections| <= 1e-6 (scopmath's
    CONVERGE), negative states clamped to 0. Started from NEURON's previous row; returns
    the largest relative difference from NEURON's next row and the iteration counts seen."""
    kon, koff, Btot = seg.kon_cabuf, seg.koff_cabuf, seg.Btot_cabuf
    vca = seg.diam * seg.diam
    vb = seg.bfrac_cabuf * seg.diam * seg.diam
    kf, kb = kon * vb, koff * vb
    worst, counts = 0.0, set()
    for prev, now in zip(rows, rows[1:]):
        ca0, B0 = prev[2], prev[3]
        s = [prev[4], prev[3], prev[2]]  # CaB, B, ca
        its = 0
        while True:
            CaB, B, ca = s
            ff, bf = kf * B * ca, kb * CaB
            M = [[0.0] * 3 for _ in range(3)]
            R = [0.0] * 3
            M[0][0] = M[0][1] = vb
            R[0] = Btot * vb - CaB * vb - B * vb
            M[1][1] = vb / DT + kf * ca
            M[1][2] = kf * B
            M[1][0] = -kb
            R[1] = -(B - B0) * vb / DT - (ff - bf)
            M[2][2] = vca / DT + kf * B
            M[2][1] = kf * ca
            M[2][0] = -kb
            R[2] = -(ca - ca0) * vca / DT - (ff - bf)
            delta = [float(x) for x in solve([[Fraction(a) for a in r] for r in M], [Fraction(a) for a in R])]
            its += 1
            s = [max(0.0, a + b) for a, b in zip(s, delta)]
            if sum(abs(x) for x in delta) <= 1e-6:
                break
        counts.add(its)
        for a, b in zip((s[2], s[1], s[0]), now[2:5]):
            worst = max(worst, abs(a - b) / abs(b))
    return worst, sorted(counts)


def rnd(f):
    """f rounded to 50 significant digits (keeps the Fractions small)."""
    return Fraction(Decimal(f.numerator) / Decimal(f.denominator))


def solve(M, b):
    """Exact Gaussian elimination on Fractions."""
    n = len(b)
    A = [list(M[i]) + [b[i]] for i in range(n)]
    for c in range(n):
        p = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[p] = A[p], A[c]
        for r in range(n):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]
                A[r] = [a - f * e for a, e in zip(A[r], A[c])]
    return [A[i][n] / A[i][i] for i in range(n)]


EVENT_SETUP = {
    "pulse_gen": {"start": 1.01, "interval": 2.3},
    "pas": {"g": 1e-3, "e": -70.0},
    "expsyn": {"tau": 2.0, "e": 0.0, "weight": 4e-4, "delay": 0.5},
    "watch_syn": {"tau": 2.0, "e": 0.0, "thresh": -57.5, "weight": 4e-4, "delay": 1.0},
    "v_init": -70.0,
    "tstop_steps": NSTEPS,
}


def job_events(lib, out):
    p = EVENT_SETUP
    h = neuron_h(lib)
    h.celsius = CELSIUS
    h.dt = DT
    sec = h.Section(name="soma")
    sec.L = 10
    sec.diam = 10
    sec.nseg = 1
    sec.cm = 1
    sec.insert("pas")
    seg = sec(0.5)
    seg.g_pas = p["pas"]["g"]
    seg.e_pas = p["pas"]["e"]
    pg = h.pulse_gen()
    pg.start = p["pulse_gen"]["start"]
    pg.interval = p["pulse_gen"]["interval"]
    es = h.ExpSyn(seg)
    es.tau = p["expsyn"]["tau"]
    es.e = p["expsyn"]["e"]
    ws = h.watch_syn(seg)
    ws.tau = p["watch_syn"]["tau"]
    ws.e = p["watch_syn"]["e"]
    ws.thresh = p["watch_syn"]["thresh"]
    nc_es = h.NetCon(pg, es)
    nc_es.weight[0] = p["expsyn"]["weight"]
    nc_es.delay = p["expsyn"]["delay"]
    nc_ws = h.NetCon(pg, ws)
    nc_ws.weight[0] = p["watch_syn"]["weight"]
    nc_ws.delay = p["watch_syn"]["delay"]
    pg_times, ws_times = h.Vector(), h.Vector()
    rec_pg = h.NetCon(pg, None)
    rec_pg.record(pg_times)
    rec_ws = h.NetCon(ws, None)
    rec_ws.record(ws_times)
    h.finitialize(p["v_init"])
    def row(step):
        return [step, h.t, seg.v, es.g, ws.g, int(pg.count), pg.tlast, int(pg.nin),
                int(ws.ncross), ws.tcross]
    rows = [row(0)]
    for step in range(1, p["tstop_steps"] + 1):
        h.fadvance()
        rows.append(row(step))
    write_csv(os.path.join(out, "events_trace.csv"),
              ["step", "t", "v", "expsyn_g", "watch_syn_g", "pulse_gen_count", "pulse_gen_tlast",
               "pulse_gen_nin", "watch_syn_ncross", "watch_syn_tcross"], rows)
    spikes = [["pulse_gen", i, t] for i, t in enumerate(pg_times)]
    spikes += [["watch_syn", i, t] for i, t in enumerate(ws_times)]
    write_csv(os.path.join(out, "events_spikes.csv"), ["source", "index", "t"], spikes)
    return {"pulse_gen_spikes": len(pg_times), "watch_syn_spikes": len(ws_times),
            "max_v": max(r[2] for r in rows),
            "min_abs_v_minus_thresh": min(abs(r[2] - p["watch_syn"]["thresh"]) for r in rows)}


def run_job(args):
    if args.job == "hh_tables":
        info = job_hh_tables(args.lib, args.out)
    elif args.job == "events":
        info = job_events(args.lib, args.out)
    else:
        info = job_trajectory(args.lib, args.out, args.job)
    with open(os.path.join(args.out, args.job + ".json"), "w") as f:
        json.dump(info, f)


# ---------------------------------------------------------------------------------------
# Driver

def private_nrnhome(p):
    os.makedirs(os.path.join(p, "bin"))
    os.makedirs(os.path.join(p, "lib"))
    os.makedirs(os.path.join(p, "include"))
    os.symlink("/usr/lib/nrn/nrnmech_makefile", os.path.join(p, "bin", "nrnmech_makefile"))
    os.symlink("/usr/bin/nocmodl", os.path.join(p, "bin", "nocmodl"))
    os.symlink("/usr/lib/nrn/libnrniv.so", os.path.join(p, "lib", "libnrniv.so"))
    os.symlink("/usr/share", os.path.join(p, "share"))
    os.symlink("/usr/include/nrncvode", os.path.join(p, "include", "nrncvode"))
    with open(os.path.join(p, "include", "ivstream.h"), "w") as f:
        f.write("#include <iostream>\n#include <fstream>\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--job")
    ap.add_argument("--lib")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.job:
        run_job(args)
        return

    for tool in ("nocmodl", "nrnivmodl"):
        if shutil.which(tool) is None:
            sys.exit("gen-neuron-kernels-golden: %s not found" % tool)
    mods = sorted(f for f in os.listdir(KERNELS) if f.endswith(".mod"))
    tmp = tempfile.mkdtemp(prefix="neuron-kernels.")
    try:
        stage = os.path.join(tmp, "out")
        os.makedirs(stage)
        # nocmodl's messages for each file, translated on its own
        lines = []
        for m in mods:
            d = os.path.join(tmp, "nocmodl", m[:-4])
            os.makedirs(d)
            shutil.copy(os.path.join(KERNELS, m), d)
            r = subprocess.run(["nocmodl", m], cwd=d, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            lines.append("== %s (exit %d)\n" % (m, r.returncode))
            lines += [l + "\n" for l in r.stdout.splitlines()]
            if r.returncode != 0:
                sys.exit("gen-neuron-kernels-golden: nocmodl failed on %s:\n%s" % (m, r.stdout))
        with open(os.path.join(stage, "nocmodl.txt"), "w") as f:
            f.writelines(lines)

        # build all mechanisms together
        home = os.path.join(tmp, "nrnhome")
        private_nrnhome(home)
        build = os.path.join(tmp, "build")
        os.makedirs(build)
        for m in mods:
            shutil.copy(os.path.join(KERNELS, m), build)
        env = dict(os.environ, NRNHOME=home)
        r = subprocess.run(["nrnivmodl"], cwd=build, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lib = os.path.join(build, "x86_64", ".libs", "libnrnmech.so")
        if r.returncode != 0 or not os.path.exists(lib):
            sys.exit("gen-neuron-kernels-golden: nrnivmodl failed:\n" + r.stdout)
        warnings = [l for l in r.stdout.splitlines() if "warning" in l.lower()]
        if warnings:
            print("gen-neuron-kernels-golden: compiler warnings:\n  " + "\n  ".join(warnings))

        # jobs, one NEURON process each, run from an empty directory (so that NEURON
        # does not pick up an x86_64/ of the current directory)
        jobdir = os.path.join(tmp, "jobs")
        os.makedirs(jobdir)
        summary = {}
        for job in ["hh_tables"] + list(CASES) + ["events"]:
            r = subprocess.run(["/usr/bin/python3", os.path.abspath(__file__), "--job", job,
                                "--lib", lib, "--out", stage], cwd=jobdir,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                sys.exit("gen-neuron-kernels-golden: job %s failed:\n%s" % (job, r.stdout))
            with open(os.path.join(stage, job + ".json")) as f:
                summary[job] = json.load(f)
            os.remove(os.path.join(stage, job + ".json"))

        # case index
        rows = []
        for name, (mechs, params, V_init, V, usetable, states) in CASES.items():
            info = summary[name]
            ps = ";".join("%s_%s=%s" % (p, m, g17(v)) for m, d in params.items() for p, v in d.items())
            rows.append([name + ".csv", " ".join(mechs), ps, V_init, V, CELSIUS, usetable, DT, NSTEPS,
                         " ".join(c for c, _ in states), info["max_abs_v_drift"],
                         info.get("max_abs_diff_vs_exact_implicit_euler_one_step", ""),
                         info.get("max_rel_diff_vs_exact_implicit_euler_one_step", ""),
                         info.get("max_abs_diff_vs_exact_implicit_euler_trajectory", ""),
                         info.get("max_rel_diff_vs_exact_implicit_euler_trajectory", ""),
                         info.get("max_abs_diff_steadystate_vs_exact", ""),
                         info.get("max_abs_diff_steadystate_vs_ie_1e9_from_zero", ""), SECONDORDER.get(name, 0)])
        write_csv(os.path.join(stage, "cases.csv"),
                  ["file", "mechanisms", "parameters", "V_init", "V", "celsius", "usetable_hh", "dt", "steps",
                   "states", "max_abs_v_drift", "max_abs_diff_vs_exact_ie_one_step",
                   "max_rel_diff_vs_exact_ie_one_step", "max_abs_diff_vs_exact_ie_trajectory",
                   "max_rel_diff_vs_exact_ie_trajectory", "max_abs_diff_steadystate_vs_exact",
                   "max_abs_diff_steadystate_vs_ie_1e9_from_zero", "secondorder"], rows)

        # provenance
        r = subprocess.run(["/usr/bin/python3", "-c",
                            "from neuron import h; print(h.nrnversion()); print(h.nrnversion(6))"],
                           cwd=jobdir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        dpkg = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", "neuron",
                               "neuron-dev", "python3-neuron"], stdout=subprocess.PIPE, text=True)
        with open(os.path.join(stage, "provenance.txt"), "w") as f:
            f.write("nrnversion: %s\n" % r.stdout.splitlines()[0])
            f.write("nrnversion(6): %s\n" % r.stdout.splitlines()[1])
            f.write(dpkg.stdout)
            f.write("nocmodl sha256: %s\n" % sha256("/usr/bin/nocmodl"))
            f.write("FARADAY (hoc, used by capool_di): %s\n" % g17(summary["capool_di_ica0"]["faraday"]))
            f.write("hh_tables: max relative difference from hh.mod's formulas evaluated in Python: "
                    "usetable 0: %s, usetable 1 (with NEURON's table interpolation): %s\n"
                    % (g17(summary["hh_tables"]["max_rel_diff_vs_python_formula_notable"]),
                       g17(summary["hh_tables"]["max_rel_diff_vs_python_table"])))
            for name in CASES:
                if name.startswith("hh"):
                    f.write("%s: values differing from a Python replica of hh's cnexp step "
                            "(rates at the recorded v): %d, max relative difference %s\n"
                            % (name, summary[name]["cnexp_replica_mismatches"],
                               g17(summary[name]["cnexp_replica_max_rel_diff"])))
            f.write("cabuf: max relative one-step difference from a Python replica of NEURON's "
                    "sparse Newton (CONVERGE 1e-6): %s; Newton iterations per step: %s\n"
                    % (g17(summary["cabuf"]["max_rel_diff_vs_neuron_newton_replica_one_step"]),
                       summary["cabuf"]["newton_iterations_per_step"]))
            f.write("events: %s\n" % json.dumps(summary["events"], sort_keys=True))
            f.write("events setup: %s\n" % json.dumps(EVENT_SETUP, sort_keys=True))
            f.write("mod files:\n")
            for m in mods:
                f.write("  %s %s\n" % (sha256(os.path.join(KERNELS, m)), m))

        # replace the generated files (README.md stays)
        os.makedirs(GOLDEN, exist_ok=True)
        for f in os.listdir(GOLDEN):
            if f != "README.md":
                os.remove(os.path.join(GOLDEN, f))
        for f in sorted(os.listdir(stage)):
            shutil.copy(os.path.join(stage, f), GOLDEN)
            print("gen-neuron-kernels-golden: wrote %s" % os.path.relpath(os.path.join(GOLDEN, f), ROOT))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
