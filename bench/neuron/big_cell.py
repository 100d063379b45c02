"""NEURON 8.2.2 side of bench/run-split-bench.sh: the one large cell of
examples/big-cell/cell.toml, simulated with 1 thread or split across threads with
ParallelContext.multisplit.

    /usr/bin/python3 bench/neuron/big_cell.py --build-only DIR      # nrnivmodl; prints the library
    /usr/bin/python3 bench/neuron/big_cell.py [--lib LIBNRNMECH] [--nthread N] [--tstop MS]
        [--split loadbalance|none] [--busywait] [--model TOML] [-o DIR] [--check-range]

The cell is built from the model file itself (Python's tomllib), so the two simulators
cannot drift apart: the SWC morphology through Import3d (Import3d_SWC_read +
Import3d_GUI.instantiate(None), as Ranvier's importer does), the template's Ra and cm,
nseg by the d_lambda rule as Ranvier applies it (fixnseg.hoc: int((L/(d_lambda *
lambda_f(f)) + 0.9)/2)*2 + 1, lambda_f from the 3-D points as stdlib.hoc does), the
`insert` entries in file order with their parameters per segment (numbers, or expressions
of distance, x, diam and L evaluated here in double precision with the same operations;
distance is h.distance from soma[0](0.5)), the [[point]]s (IClamp, ExpSyn, Exp2Syn,
NetStim), the [[netcon]]s (a point source to one target or a list), the [[record]]s (v
or a range variable at a location; "spikes": a NetCon threshold detector on v) and
[simulation] tstop, dt, celsius, v_init. Fixed step, secondorder 0. Only what this model
file uses is supported; anything else stops the script with an error.

Mechanisms: the non-built-in ones the model uses (cal, capool from mechanisms/ and every
.mod of the model's [mechanisms] paths) are compiled with nrnivmodl under a private
NRNHOME (scripts/neuron/nrnbuild.py), with LC_ALL=C so that nrnivmodl registers the
files in byte order (ACurrent ... NaV before cal, capool). The script checks that, in
every section, the mechanisms that add currents come in NEURON's type order in the same
order as in the model file's `insert` list (Ranvier sums the currents of a node in that
order; NEURON in its type order), and stops otherwise.

Threads: cvode.cache_efficient(1) in every run (multisplit needs it; it is also NEURON's
faster layout with 1 thread). With --nthread N > 1: pc.nthread(N), then NEURON's own
single-cell thread split, the one the "Parallel Computing" panel's Multisplit box does
(parcom.hoc ParallelComputeTool.multisplit(1)): LoadBalance cuts the cell into subtrees
of at most 30 %/N of its complexity, they are disconnected and re-joined with
pc.multisplit(sec(x), sid), distributed over the threads by LoadBalance.thread_partition
(largest first), and pc.multisplit() sets up the solver. The script reports the pieces,
NEURON's complexity balance (max/mean over threads, LoadBalance.thread_cxbal_) and the
number of segments each thread got (pc.sec_in_thread). --split none does only
pc.nthread(N) and pc.multisplit() without a split point: the cell then stays whole on
thread 0 (thread_nseg=3021,0) and the second thread has nothing to do. --busywait sets
pc.thread_busywait(1): the threads spin instead of sleeping between their tasks (NEURON's
default is 0; the panel offers it as "Use busy waiting").

Timed with time.perf_counter (and time.process_time, the CPU time of all threads):
  setup_s  reading the model, Import3d, nseg, mechanisms, points, recorders (and the
           thread split);
  init_s   h.finitialize(v_init);
  run_s    pc.psolve(tstop);
  sim_s    init_s + run_s, the figure compared with Ranvier's "simulated in";
  cpu_s    CPU seconds of the process during init + run (about 2 x sim_s when both
           threads are busy all the time).
Recording (Vector.record of every [[record]] every step, NetCon spike detection) is on
during the timed run, as Ranvier's recordings are. Prints one machine-readable line:
  neuron threads=N tstop=T setup_s=S init_s=I run_s=R sim_s=M cpu_s=C spikes=K steps=P
         t_end=E sections=S nseg=G pieces=Q thread_nseg=a,b cx_balance=B
then writes DIR/<traces> (t and the recorded columns at the model's output interval,
shortest round-trip repr, like Ranvier's) and DIR/<spikes> ("%.17g<TAB>label", by time),
with the file names of the model's [output].
With --check-range (untimed use: it runs in 1 ms pieces) it also reports the lowest and
highest v of every segment of the cell over the run and whether any value is NaN.
"""

import argparse
import ast
import glob
import math
import os
import re
import sys
import tempfile
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import nrnbuild  # noqa: E402
import neuron_jobs  # noqa: E402

MODEL = os.path.join(ROOT, "examples", "big-cell", "cell.toml")
LIBRARY = os.path.join(ROOT, "mechanisms")
BUILTIN = {"hh", "pas", "IClamp", "ExpSyn", "Exp2Syn", "NetStim", "SEClamp", "VClamp",
           "AlphaSynapse", "IntFire1"}
# Mechanisms that write an ion concentration: NEURON runs them right after the ions,
# Ranvier right after pas; they add no current here.
CONC_WRITERS = {"capool", "CaPoolLiu"}
REGIONS = {"soma", "axon", "dend", "apic"}


def fail(msg):
    sys.exit("big_cell.py: " + msg)


# ---------------------------------------------------------------------------------------
# The model file

def load_model(path):
    with open(path, "rb") as f:
        m = tomllib.load(f)
    cells = m.get("cell", {})
    if len(cells) != 1 or "population" in m:
        fail("%s: one [cell.<template>] and no population expected" % path)
    (name, cell), = cells.items()
    known = {"morphology", "Ra", "cm", "d_lambda", "d_lambda_frequency", "insert"}
    if set(cell) - known:
        fail("cell.%s: unsupported keys %s" % (name, sorted(set(cell) - known)))
    return m, name, cell


def mod_name(text):
    got = re.search(r"\b(?:SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)\s+(\w+)", text)
    return got.group(1) if got else None


def mod_files(model_path, m, cell):
    """(file name, text) of every non-built-in mechanism the model needs: the .mod files of
    its [mechanisms] paths, and those of mechanisms/ that it uses."""
    used = {e["mechanism"] for e in cell.get("insert", [])} | {p["mechanism"] for p in m.get("point", [])}
    found = {}
    base = os.path.dirname(os.path.abspath(model_path))
    for d in m.get("mechanisms", {}).get("paths", []):
        for f in sorted(glob.glob(os.path.join(base, d, "*.mod"))):
            with open(f) as fh:
                text = fh.read()
            found[mod_name(text)] = (os.path.basename(f), text)
    for f in sorted(glob.glob(os.path.join(LIBRARY, "*.mod"))):
        with open(f) as fh:
            text = fh.read()
        n = mod_name(text)
        if n in used and n not in BUILTIN and n not in found:
            found[n] = (os.path.basename(f), text)
    missing = used - BUILTIN - set(found)
    if missing:
        fail("no .mod file for %s" % sorted(missing))
    return sorted(found.values())


def build_mechanisms(model_path, m, cell, directory):
    os.environ["LC_ALL"] = "C"  # nrnivmodl registers the files in `ls` order
    lib, _ = nrnbuild.build(directory, mod_files(model_path, m, cell))
    return lib


FUNCS = {"exp": math.exp, "log": math.log, "log10": math.log10, "sqrt": math.sqrt,
         "abs": abs, "sin": math.sin, "cos": math.cos, "tanh": math.tanh, "min": min,
         "max": max, "pow": math.pow}


def expression(text):
    """A parameter expression of distance, x, diam, L as a function of a dict of them."""
    tree = ast.parse(text.replace("^", "**"), mode="eval")

    def ev(n, env):
        if isinstance(n, ast.Expression):
            return ev(n.body, env)
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)):
            return float(n.value)
        if isinstance(n, ast.Name) and n.id in env:
            return env[n.id]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = ev(n.operand, env)
            return -v if isinstance(n.op, ast.USub) else v
        if isinstance(n, ast.BinOp):
            a, b = ev(n.left, env), ev(n.right, env)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            if isinstance(n.op, ast.Div):
                return a / b
            if isinstance(n.op, ast.Pow):
                return math.pow(a, b)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in FUNCS:
            return FUNCS[n.func.id](*(ev(a, env) for a in n.args))
        fail("unsupported expression %r" % text)

    return lambda env: ev(tree, env)


def value_of(v, what):
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        fail("%s: a number or an expression expected" % what)
    if isinstance(v, str):
        return expression(v)
    return lambda env, v=float(v): v


def location(h, secs, text):
    got = re.fullmatch(r"\s*([A-Za-z_]\w*(?:\[\d+\])?)\s*\(\s*([0-9.eE+-]+)\s*\)\s*", text)
    if not got or got.group(1) not in secs:
        fail("unsupported location %r" % text)
    return secs[got.group(1)], float(got.group(2))


# ---------------------------------------------------------------------------------------
# NEURON


def region(name):
    return name.split("[")[0]


def selects(where, sec_name):
    items = where if isinstance(where, list) else [where]
    for w in items:
        if w == "all" or w == sec_name or (w in REGIONS and region(sec_name) == w):
            return True
        if w not in REGIONS and w != "all" and not re.fullmatch(r"\w+\[\d+\]", w):
            fail("unsupported where %r" % w)
    return False


def build_cell(h, model_path, cell):
    h.load_file("import3d.hoc")
    swc = os.path.join(os.path.dirname(os.path.abspath(model_path)), cell["morphology"])
    reader = h.Import3d_SWC_read()
    reader.input(swc)
    h.Import3d_GUI(reader, 0).instantiate(None)
    secs = {s.name(): s for s in h.allsec()}
    for s in secs.values():
        s.Ra = float(cell.get("Ra", 35.4))
        s.cm = float(cell.get("cm", 1))
    if "d_lambda" in cell:
        neuron_jobs.d_lambda_nseg(h, float(cell.get("d_lambda_frequency", 100)), float(cell["d_lambda"]))
    soma = secs["soma[0]"]
    origin = soma(0.5)
    inserted = {}  # section name -> mechanisms in insertion order
    for entry in cell.get("insert", []):
        mech = entry["mechanism"]
        params = {k: value_of(v, "%s.%s" % (mech, k)) for k, v in entry.items() if k not in ("mechanism", "where")}
        for name, s in secs.items():
            if not selects(entry.get("where", "all"), name):
                continue
            s.insert(mech)
            inserted.setdefault(name, [])
            if mech not in inserted[name]:
                inserted[name].append(mech)
            for seg in s:
                env = {"distance": h.distance(origin, seg), "x": seg.x, "diam": seg.diam, "L": s.L}
                obj = getattr(seg, mech)
                for k, f in params.items():
                    attr = k[:-len(mech) - 1] if k.endswith("_" + mech) else k
                    if not hasattr(obj, attr):
                        fail("%s has no parameter %s" % (mech, k))
                    setattr(obj, attr, f(env))
    return secs, soma, inserted


def type_order(h):
    """{mechanism name: NEURON's type number}, the registration order. The order in which
    a thread runs the types (memb_order_) moves ions and concentration writers up front;
    neither adds a current here, so the type number orders the current sums."""
    order = {}
    for kind in (0, 1):
        mt = h.MechanismType(kind)
        s = h.ref("")
        for i in range(int(mt.count())):
            mt.select(i)
            mt.selected(s)
            order[s[0]] = int(mt.internal_type())
    return order


def check_current_order(h, inserted, file_order):
    types = type_order(h)
    for name, mechs in inserted.items():
        adds = [m for m in mechs if m not in CONC_WRITERS]
        by_type = sorted(adds, key=lambda m: types[m])
        by_file = sorted(adds, key=file_order.index)
        # Conservative: a built-in (pas, hh) listed after a .mod mechanism of the same
        # section is reported too, though Ranvier runs built-ins first whatever the order.
        if by_type != by_file:
            fail("%s: NEURON sums the currents in the order %s, the model file's insert list "
                 "gives %s; reorder the insert entries" % (name, by_type, by_file))


def thread_split(h, pc, nthread, how):
    """NEURON's single-cell split over threads (parcom.hoc, the Multisplit box); with
    how == "none" only pc.nthread(N) and pc.multisplit() without a split point."""
    if how == "none":
        pc.nthread(nthread)
        pc.multisplit()
        return None
    h.load_file("parcom.hoc")
    tool = h.ParallelComputeTool()
    tool.nthread(nthread)
    tool.multisplit(1)
    return tool


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--lib", help="libnrnmech.so built by --build-only (default: build now)")
    ap.add_argument("--build-only", metavar="DIR", help="compile the mechanisms in DIR (must not exist), print the library")
    ap.add_argument("--nthread", type=int, default=1)
    ap.add_argument("--tstop", type=float)
    ap.add_argument("-o", "--output-dir", default=".")
    ap.add_argument("--split", choices=("loadbalance", "none"), default="loadbalance",
                    help="with --nthread > 1: NEURON's LoadBalance split (default) or none "
                         "(pc.multisplit() alone: the cell stays whole, on one thread)")
    ap.add_argument("--busywait", action="store_true", help="pc.thread_busywait(1) (threads spin between steps)")
    ap.add_argument("--check-range", action="store_true")
    args = ap.parse_args()
    model_path = os.path.abspath(args.model)
    out = os.path.abspath(args.output_dir)
    m, template, cell = load_model(model_path)

    if args.build_only:
        os.makedirs(args.build_only)
        print(build_mechanisms(model_path, m, cell, os.path.abspath(args.build_only)))
        return
    tmp = tempfile.TemporaryDirectory()
    lib = os.path.abspath(args.lib) if args.lib else build_mechanisms(model_path, m, cell, os.path.join(tmp.name, "mech"))
    os.chdir(tmp.name)  # NEURON loads ./x86_64 if there is one; here there is none

    t_setup = time.perf_counter()
    from neuron import h
    h.nrn_load_dll(lib)
    h.load_file("stdrun.hoc")
    sim = m.get("simulation", {})
    dt = float(sim.get("dt", 0.025))
    tstop = args.tstop if args.tstop is not None else float(sim.get("tstop", 100))
    v_init = float(sim.get("v_init", -65))
    if int(sim.get("secondorder", 0)) != 0:
        fail("secondorder 0 only")

    secs, soma, inserted = build_cell(h, model_path, cell)
    file_order = []
    for e in cell.get("insert", []):
        if e["mechanism"] not in file_order:
            file_order.append(e["mechanism"])
    check_current_order(h, inserted, file_order)

    points = {}
    for p in m.get("point", []):
        mech = p["mechanism"]
        if "at" in p:
            sec, x = location(h, secs, p["at"])
            obj = getattr(h, mech)(sec(x))
        else:
            obj = getattr(h, mech)()
        for k, v in p.items():
            if k in ("name", "mechanism", "at"):
                continue
            if isinstance(v, (str, bool)) or not isinstance(v, (int, float)):
                fail("[[point]] %s: %s must be a number here" % (p.get("name"), k))
            setattr(obj, "delay" if k == "del" else k, float(v))
        points[p.get("name", "%s[%d]" % (mech, len(points)))] = obj
    netcons = []
    for c in m.get("netcon", []):
        if c.get("rule", "one_to_one") != "one_to_one" or not isinstance(c["source"], str) or c["source"] not in points:
            fail("[[netcon]]: only a named point as source, rule one_to_one")
        targets = c["target"] if isinstance(c["target"], list) else [c["target"]]
        for t in targets:
            nc = h.NetCon(points[c["source"]], points[t])
            nc.weight[0] = float(c.get("weight", 0))
            nc.delay = float(c.get("delay", 1))
            netcons.append(nc)

    output = m.get("output", {})
    interval = float(output.get("interval", dt))
    every = int(round(interval / dt))
    traces, detectors = [], []
    for r in m.get("record", []):
        sec, x = location(h, secs, r["at"])
        var = r["variable"]
        label = r.get("label", "%s.%s" % (r["at"], var))
        if var == "spikes":
            nc = h.NetCon(sec(x)._ref_v, None, sec=sec)
            nc.threshold = float(r.get("threshold", 10))
            vec = h.Vector()
            nc.record(vec)
            detectors.append((label, nc, vec))
        else:
            vec = h.Vector()
            vec.record(getattr(sec(x), "_ref_" + var))
            traces.append((label, vec))

    pc = h.ParallelContext()
    cvode = h.CVode()
    cvode.active(0)
    h.secondorder = 0
    h.dt = dt
    h.steps_per_ms = 1 / dt
    h.celsius = float(sim.get("celsius", 6.3))
    h.tstop = tstop
    cvode.cache_efficient(1)
    pc.set_maxstep(10)  # psolve's integration interval (no gid connections here)
    tool = None
    if args.nthread > 1:
        pc.nthread(args.nthread)
        tool = thread_split(h, pc, args.nthread, args.split)
        if args.busywait:
            pc.thread_busywait(1)
    roots = h.SectionList()
    roots.allroots()
    pieces = len(list(roots))
    balance = tool.lb.thread_cxbal_ if tool is not None else 1.0  # max/mean complexity
    setup = time.perf_counter() - t_setup

    lo, hi, nan = math.inf, -math.inf, False
    c0, t0 = time.process_time(), time.perf_counter()
    h.finitialize(v_init)
    t1 = time.perf_counter()
    if args.check_range:
        segs = [seg for s in h.allsec() for seg in s]
        t = 0.0
        while h.t < tstop - dt / 2:
            t = min(t + 1.0, tstop)
            pc.psolve(t)
            for seg in segs:
                v = seg.v
                nan = nan or v != v
                lo, hi = min(lo, v), max(hi, v)
    else:
        pc.psolve(tstop)
    t2 = time.perf_counter()
    cpu = time.process_time() - c0

    nthreads = int(pc.nthread())
    thread_nseg = [0] * nthreads  # (sec_in_thread needs the threads set up: after finitialize)
    for s in h.allsec():
        thread_nseg[int(pc.sec_in_thread(sec=s))] += s.nseg

    spikes = sorted((t, label) for label, nc, vec in detectors for t in vec.to_python())
    steps = int(round(tstop / dt))
    print("neuron threads=%d tstop=%g setup_s=%.3f init_s=%.3f run_s=%.3f sim_s=%.3f cpu_s=%.3f "
          "spikes=%d steps=%d t_end=%.17g sections=%d nseg=%d pieces=%d thread_nseg=%s cx_balance=%.3f" % (
              nthreads, tstop, setup, t1 - t0, t2 - t1, t2 - t0, cpu, len(spikes), steps, h.t,
              len(secs), sum(s.nseg for s in secs.values()), pieces,
              ",".join(map(str, thread_nseg)), balance), flush=True)
    if args.check_range:
        print("neuron: v of all %d segments over the run: min %.3f mV, max %.3f mV, NaN %s" % (
            sum(s.nseg for s in secs.values()), lo, hi, "yes" if nan else "no"))

    os.makedirs(out, exist_ok=True)
    cols = [vec.to_python() for label, vec in traces]
    n = min(len(c) for c in cols) if cols else 0
    with open(os.path.join(out, output.get("traces", "traces.csv")), "w") as f:
        f.write(",".join(["t"] + [label for label, vec in traces]) + "\n")
        for i in range(0, n, every):
            f.write(",".join([repr(i * dt)] + [repr(c[i]) for c in cols]) + "\n")
    with open(os.path.join(out, output.get("spikes", "spikes.txt")), "w") as f:
        f.writelines("%.17g\t%s\n" % (t, label) for t, label in spikes)
    if n != steps + 1:
        fail("recorded %d values, expected %d (t_end %.17g)" % (n, steps + 1, h.t))


if __name__ == "__main__":
    main()
