"""NEURON 8.2.2 side of bench/run-sweep-bench.sh: the 625-set sweep of
examples/liu-sweep (Liu et al. 1998 neuron; CaS x ACurrent maximal conductances, 11 s per
run at dt 0.1 ms, spikes counted in the second half) run by NEURON, the way a NEURON user
would run it, with the same .mod files as Ranvier (mechanisms/liu or mechanisms/liu-tab,
built with nrnivmodl as scripts/neuron/reference_liu.py does).

Two ways:
  population   all sets at once: one single-compartment cell per set in one simulation,
               ParallelContext.nthread(THREADS) (NEURON shares the cells among its
               threads), CVode off, secondorder 0, finitialize(-60) then pc.psolve(tstop + dt)
               (NEURON's own stepping loop, in C). The analogue of `ranvier sweep`.
  alone        one cell, the sets one after another: set the two conductances,
               finitialize, psolve; the analogue of 625 ordinary single-cell runs.
               --every K runs only every K-th set (the speed is per simulated second).

Spikes are NetCon threshold-0 detections. NEURON records a crossing in the last step of
psolve(tstop) only when it goes on stepping (the check comes after that step), so the run
goes one step past tstop and a set's count is of the detections with
transient + dt < t <= tstop (the first sample of Ranvier's window cannot be a spike). That
is Ranvier's `spikes` column (upward crossings of 0 mV between samples past the
transient), so the two can be compared set by set. The conductances are read from a Ranvier sweep CSV (--sets: the run number
and the two parameter columns, in uS/mm2) and converted to S/cm2 by dividing by 1e4.

Timed with time.perf_counter: `sim` is finitialize plus psolve, summed over the sets in
alone mode; building the cells is not in it. Prints one line:
  neuron: sim S s; sets N; simulated X s; threads T; mechanisms M; t_end T
and writes OUT (--out) as CSV: run,spikes.

  /usr/bin/python3 bench/neuron/liu_sweep.py --sets ranvier-sweep.csv --mechanisms liu \
      [--mode population|alone] [--threads N] [--every K] [--tstop MS] --out neuron-spikes.csv
"""

import argparse
import csv
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import nrnbuild  # noqa: E402
import reference_liu  # noqa: E402  (the cell's geometry, mechanisms and canonical conductances)
from neuron_jobs import run_job_process  # noqa: E402

DT = 0.1            # ms (examples/liu-sweep/sweep.toml)
TSTOP = 11000.0     # ms
TRANSIENT = 5500.0  # ms
SWEPT = ("CaS.gbar", "ACurrent.gbar")  # the sweep's parameters, in uS/mm2 in the CSV


def read_sets(path, every):
    """[(run, CaS S/cm2, ACurrent S/cm2)] from a Ranvier sweep CSV, every `every`-th run."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows or any(p not in rows[0] for p in SWEPT):
        raise SystemExit("liu_sweep: %s has no columns %s" % (path, ", ".join(SWEPT)))
    return [(int(r["run"]), float(r[SWEPT[0]]) / 1e4, float(r[SWEPT[1]]) / 1e4)
            for k, r in enumerate(rows) if k % every == 0]


def make_cell(h, name):
    soma = h.Section(name=name)
    soma.L = reference_liu.L
    soma.diam = reference_liu.DIAM
    soma.nseg = 1
    soma.Ra = 35.4
    soma.cm = 1
    for m in reference_liu.MECHANISMS:
        soma.insert(m)
    for m, g in reference_liu.GBAR.items():
        setattr(soma(0.5), "gbar_" + m, g)
    spikes = h.Vector()
    detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    detector.threshold = 0
    detector.record(spikes)
    return soma, detector, spikes


def set_conductances(soma, cas, acurrent):
    soma(0.5).gbar_CaS = cas
    soma(0.5).gbar_ACurrent = acurrent


def counted(spikes, transient, tstop):
    return sum(1 for t in spikes if transient + DT * 1.5 < t < tstop + DT / 2)


def run_job(args):
    from neuron import h
    h.nrn_load_dll(args.lib)
    sets = read_sets(args.sets, args.every)
    pc = h.ParallelContext()
    h.CVode().active(0)
    h.secondorder = 0
    h.dt = DT
    h.celsius = reference_liu.CELSIUS
    pc.set_maxstep(10)  # ms: no NetCon has a target, so psolve needs its interval given
    counts = []
    sim = 0.0
    if args.mode == "population":
        cells = []
        for run, cas, acurrent in sets:
            cell = make_cell(h, "soma%d" % run)
            set_conductances(cell[0], cas, acurrent)
            cells.append(cell)
        pc.nthread(args.threads)
        t0 = time.perf_counter()
        h.finitialize(reference_liu.V_INIT)
        pc.psolve(args.tstop + DT)
        sim = time.perf_counter() - t0
        counts = [(run, counted(cell[2], args.transient, args.tstop)) for (run, _, _), cell in zip(sets, cells)]
    else:
        soma, _, spikes = make_cell(h, "soma")
        pc.nthread(1)
        for run, cas, acurrent in sets:
            set_conductances(soma, cas, acurrent)
            t0 = time.perf_counter()
            h.finitialize(reference_liu.V_INIT)
            pc.psolve(args.tstop + DT)
            sim += time.perf_counter() - t0
            counts.append((run, counted(spikes, args.transient, args.tstop)))
    with open(args.out, "w") as f:
        f.write("run,spikes\n")
        for run, n in counts:
            f.write("%d,%d\n" % (run, n))
    print("neuron: sim %.3f s; sets %d; simulated %.1f s; threads %d; mechanisms %s; t_end %.17g"
          % (sim, len(sets), len(sets) * args.tstop / 1000, args.threads if args.mode == "population" else 1,
             os.path.basename(args.mechanisms), h.t))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", required=True, help="a Ranvier sweep CSV of examples/liu-sweep (run, CaS.gbar, ACurrent.gbar)")
    ap.add_argument("--mechanisms", default="liu", help="liu or liu-tab (a folder of mechanisms/), or a path")
    ap.add_argument("--mode", choices=("population", "alone"), default="population")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--every", type=int, default=1, help="run every K-th set only")
    ap.add_argument("--tstop", type=float, default=TSTOP)
    ap.add_argument("--transient", type=float, default=TRANSIENT)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lib", help=argparse.SUPPRESS)  # internal: the job process
    ap.add_argument("--job", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.every < 1 or args.threads < 1:
        raise SystemExit("liu_sweep: --every and --threads must be at least 1")
    args.sets, args.out = os.path.abspath(args.sets), os.path.abspath(args.out)
    if args.job:
        run_job(args)
        return
    mechs = args.mechanisms if os.path.isdir(args.mechanisms) else os.path.join(ROOT, "mechanisms", args.mechanisms)
    names = sorted(f for f in os.listdir(mechs) if f.endswith(".mod"))
    mods = []
    for name in names:
        with open(os.path.join(mechs, name)) as f:
            mods.append((name, f.read()))
    with tempfile.TemporaryDirectory(prefix="ranvier-liu-sweep.") as tmp:
        lib, _ = nrnbuild.build(tmp, mods)
        jobdir = os.path.join(tmp, "job")
        os.makedirs(jobdir)
        r = run_job_process(__file__, "sweep", lib, args.out, jobdir, "--sets", args.sets, "--mechanisms", mechs,
                            "--mode", args.mode, "--threads", str(args.threads), "--every", str(args.every),
                            "--tstop", repr(args.tstop), "--transient", repr(args.transient))
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            sys.exit("liu_sweep: the NEURON job failed")


if __name__ == "__main__":
    main()
