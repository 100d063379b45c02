#!/usr/bin/python3
"""Regenerates tests/golden/function_table/: NEURON 8.2.2's FUNCTION_TABLE lookups
(tests/golden/function_table/fttest.mod: f1(x), f2(x, y)) for every form of hoc's
table_f(...) call, and a run of an hh-like cell whose K channel reads n's rates from
FUNCTION_TABLEs (tests/golden/function_table/ftkdr.mod: ninf(v), ntau(v)).

    /usr/bin/python3 scripts/neuron/reference_function_table.py

Needs Debian's NEURON 8.2.2 (neuron, neuron-dev, python3-neuron) and the system Python.
Builds fttest.mod and ftkdr.mod with nrnivmodl under a private NRNHOME (nrnbuild.py),
runs each job in a fresh NEURON process started in an empty directory, and writes
  lookups.csv       form, x, y, value (17 significant digits; y = 0 for f1): f1 or f2
                    evaluated by NEURON (h.f1_fttest(x), h.f2_fttest(x, y)) after
                    setting the table in one of the forms of hoc_spec_table
                    (nrn/src/oc/functabl.c), see FORMS;
  tables.json       the same tables, machine readable (form -> function, hoc call, nx,
                    x or x_from/x_to, ny, y or y_from/y_to, values row-major, constant);
  ftkdr.csv         t, v, n, ik every step (dt 0.025 ms, 50 ms): one hh compartment with
                    gkbar_hh = 0 plus ftkdr, 0.1 nA from 5 ms for 30 ms;
  ftkdr-tables.csv  v, ninf, ntau: the tables given to ftkdr (hh's n rates at 6.3 degC
                    on v = -100, -95, ..., 50 mV);
  provenance.txt    versions, checksums, line counts and nocmodl's messages.
Fixed step, no noise: two runs give byte-identical files.

Internal use: `--job lookups|ftkdr --lib LIBNRNMECH --out DIR` runs one job.
"""

import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import dump, make_golden, recorder, run_fixed, run_requested_job, write_csv  # noqa: E402

GOLDEN = os.path.join(ROOT, "tests", "golden", "function_table")
FTTEST_MOD = os.path.join(GOLDEN, "fttest.mod")
FTKDR_MOD = os.path.join(GOLDEN, "ftkdr.mod")
TSTOP = 50.0
JOB_OUTPUTS = {"lookups": ("lookups.csv",), "ftkdr": ("ftkdr.csv", "ftkdr-tables.csv")}


def linspace(start, stop, num):
    """numpy.linspace(start, stop, num) as Python floats (same algorithm: start + i*step,
    the last point exactly stop; every grid used here is exact in binary)."""
    step = (stop - start) / (num - 1)
    return [start + i * step for i in range(num - 1)] + [float(stop)]


# The tables. 1-D: f1; 2-D: f2, values row-major (m[ix*ny + iy]).
VEC_X = [-80.0, -65.0, -40.0, -35.0, 0.0, 30.0]
VEC_Y = [0.1, 0.3, 0.2, 0.7, 0.9, 1.0]
UNI_Y = [1.0, 4.0, 2.0, 8.0, 5.0, 7.0, 3.0]
UNI_FROM, UNI_TO = -60.0, 30.0
CONSTANT = 42.0
GRID_NX, GRID_NY = 4, 3
GRID_M = [(k + 1) ** 1.5 for k in range(GRID_NX * GRID_NY)]
GRID_X_FROM, GRID_X_TO = -60.0, 0.0
GRID_Y_FROM, GRID_Y_TO = -20.0, 20.0
AXIS_X = [-60.0, -50.0, -20.0, 0.0]
AXIS_Y = [-20.0, 5.0, 20.0]

# Where they are evaluated: f1 on linspace(-100, 50, 301), every knot of the vector form
# and 1e-7 either side of -65 (sorted, without repeats: the knots are on the grid already);
# the constant at 5 points; f2 on linspace(-80, 20, 41) x linspace(-40, 40, 17), x outer.
X1 = sorted(set(linspace(-100.0, 50.0, 301) + VEC_X + [-65.0000001, -64.9999999]))
X_CONSTANT = [-1000.0, -65.0, 0.0, 12.5, 1000.0]
X2 = linspace(-80.0, 20.0, 41)
Y2 = linspace(-40.0, 40.0, 17)

# form -> table description (written to tables.json; the job sets the table from it).
FORMS = {
    "vector": {"function": "f1", "hoc": "table_f1_fttest(yvec, xvec)",
               "nx": len(VEC_X), "x": VEC_X, "y": None, "values": VEC_Y},
    "uniform": {"function": "f1", "hoc": "table_f1_fttest(&y[0], 7, -60, 30)",
                "nx": len(UNI_Y), "x": None, "x_from": UNI_FROM, "x_to": UNI_TO, "y": None,
                "values": UNI_Y},
    "constant": {"function": "f1", "hoc": "table_f1_fttest(42)", "x": None, "y": None,
                 "constant": CONSTANT},
    "grid": {"function": "f2", "hoc": "table_f2_fttest(&m[0], 4, -60, 0, 3, -20, 20)",
             "nx": GRID_NX, "x": None, "x_from": GRID_X_FROM, "x_to": GRID_X_TO,
             "ny": GRID_NY, "y": None, "y_from": GRID_Y_FROM, "y_to": GRID_Y_TO, "values": GRID_M},
    "grid-axes": {"function": "f2", "hoc": "table_f2_fttest(&m[0], 4, &xv[0], 3, &yv[0])",
                  "nx": GRID_NX, "x": AXIS_X, "ny": GRID_NY, "y": AXIS_Y, "values": GRID_M},
    # One axis uniform, the other explicit (hoc_spec_table decides per axis).
    "grid-xaxis": {"function": "f2", "hoc": "table_f2_fttest(&m[0], 4, &xv[0], 3, -20, 20)",
                   "nx": GRID_NX, "x": AXIS_X, "ny": GRID_NY, "y": None, "y_from": GRID_Y_FROM,
                   "y_to": GRID_Y_TO, "values": GRID_M},
    "grid-yaxis": {"function": "f2", "hoc": "table_f2_fttest(&m[0], 4, -60, 0, 3, &yv[0])",
                   "nx": GRID_NX, "x": None, "x_from": GRID_X_FROM, "x_to": GRID_X_TO,
                   "ny": GRID_NY, "y": AXIS_Y, "values": GRID_M},
}

# ftkdr's tables: hh's n rates at celsius 6.3 (q10 factor 3^0 = 1) on -100, -95, ..., 50 mV.
KDR_V = [-100.0 + 5.0 * i for i in range(31)]


def n_rates(v):
    """(ninf, ntau) of hh's n gate at 6.3 degC; alpha_n's 0/0 at -55 mV is its limit 0.1."""
    alpha = 0.1 if v == -55.0 else 0.01 * (v + 55) / (1 - math.exp(-(v + 55) / 10))
    beta = 0.125 * math.exp(-(v + 65) / 80)
    return alpha / (alpha + beta), 1 / (alpha + beta)


KDR_NINF = [n_rates(v)[0] for v in KDR_V]
KDR_NTAU = [n_rates(v)[1] for v in KDR_V]


def set_table(h, form, keep):
    """Calls table_f?_fttest for FORMS[form]. NEURON keeps pointers into the vectors (it
    does not copy them), so they are appended to keep, which must outlive the lookups."""
    t = FORMS[form]
    if form == "constant":
        h.table_f1_fttest(t["constant"])
        return
    values = h.Vector(t["values"])
    keep.append(values)
    if t["function"] == "f1":
        if t["x"] is not None:
            xvec = h.Vector(t["x"])
            keep.append(xvec)
            h.table_f1_fttest(values, xvec)
        else:
            h.table_f1_fttest(values._ref_x[0], t["nx"], t["x_from"], t["x_to"])
        return
    args = [values._ref_x[0]]
    for axis in ("x", "y"):
        args.append(t["n" + axis])
        if t[axis] is not None:
            vec = h.Vector(t[axis])
            keep.append(vec)
            args.append(vec._ref_x[0])
        else:
            args += [t[axis + "_from"], t[axis + "_to"]]
    h.table_f2_fttest(*args)


def job_lookups(h, out):
    """Every form of FORMS in turn (each call replaces f1's or f2's table), evaluated from
    hoc (no section needed: the table is per mechanism type, not per instance)."""
    keep = []
    rows = []
    for form, t in FORMS.items():
        set_table(h, form, keep)
        if t["function"] == "f1":
            for x in (X_CONSTANT if form == "constant" else X1):
                rows.append((form, x, 0.0, h.f1_fttest(x)))
        else:
            for x in X2:
                for y in Y2:
                    rows.append((form, x, y, h.f2_fttest(x, y)))
    # The mechanism's own calls (BREAKPOINT: y1 = f1(v), y2 = f2(v, 0.5*v); fttest has no
    # current, so nocmodl puts them in nrn_state, run by fadvance) read the same tables as
    # hoc's f1_fttest/f2_fttest. A bare section: v stays at -37.5 mV.
    set_table(h, "vector", keep)
    set_table(h, "grid", keep)
    sec = h.Section(name="soma")
    sec.insert("fttest")
    h.finitialize(-37.5)
    h.fadvance()
    seg = sec(0.5)
    assert seg.v == -37.5, seg.v
    assert seg.y1_fttest == h.f1_fttest(-37.5), seg.y1_fttest
    assert seg.y2_fttest == h.f2_fttest(-37.5, -18.75), seg.y2_fttest
    write_csv(os.path.join(out, "lookups.csv"), ["form", "x", "y", "value"], rows)


def job_ftkdr(h, out):
    """Soma (L = diam = 20 um, nseg 1, cm 1) with hh (gkbar_hh = 0: Na and leak) and
    ftkdr (gkbar 0.036 S/cm2) whose ninf and ntau are set in the vector form; an IClamp
    at soma(0.5) gives 0.1 nA from 5 ms for 30 ms. 50 ms, v_init -65 mV, 6.3 degC."""
    vvec, ninf, ntau = h.Vector(KDR_V), h.Vector(KDR_NINF), h.Vector(KDR_NTAU)
    h.table_ninf_ftkdr(ninf, vvec)
    h.table_ntau_ftkdr(ntau, vvec)
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20
    soma.nseg = 1
    soma.cm = 1
    soma.insert("hh")
    soma.gkbar_hh = 0
    soma.insert("ftkdr")
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 5, 30, 0.1
    header, vecs = recorder(h, [("v", soma(0.5)._ref_v), ("n", soma(0.5)._ref_n_ftkdr),
                                ("ik", soma(0.5)._ref_ik)])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "ftkdr.csv"), header, vecs)
    write_csv(os.path.join(out, "ftkdr-tables.csv"), ["v", "ninf", "ntau"],
              list(zip(KDR_V, KDR_NINF, KDR_NTAU)))


def main():
    if run_requested_job(__doc__, {"lookups": job_lookups, "ftkdr": job_ftkdr}):
        return

    def finish(out):
        with open(os.path.join(out, "tables.json"), "w") as f:
            json.dump(FORMS, f, indent=1)
            f.write("\n")
        return ("tables.json",) + sum(JOB_OUTPUTS.values(), ()), ["forms accepted by NEURON: " + ", ".join(FORMS)]

    make_golden(__file__, GOLDEN, [FTTEST_MOD, FTKDR_MOD], list(JOB_OUTPUTS), finish)

if __name__ == "__main__":
    main()
