"""NEURON 8.2.2 side of bench/run-gap-bench.sh: the gap ring of examples/gap-junction/ring.toml
(made by scripts/make_gap_ring.py).

N single-compartment cells (soma: L = diam = 20 um, nseg 1, cm 1, hh with its defaults,
usetable_hh = 1) in a ring. Cell k has two Gaps (mechanisms/gap.mod) at soma(0.5) with
g = G uS: one with vgap set (h.setpointer) to cell (k+1) % N's soma(0.5)._ref_v, one to cell
(k-1) % N's. Cell 0 gets an IClamp at soma(0.5): del 5, dur 1e9, amp AMP nA. celsius 6.3,
v_init -65, fixed step dt 0.025 ms (CVode off, secondorder 0), tstop TSTOP. Spikes: a
NetCon(soma(0.5)._ref_v, None) with threshold 0 per cell, recording its times.

gap.mod is built with Debian's nrnivmodl (scripts/neuron/nrnbuild.py) into a temporary
directory, or with --mech-dir DIR into DIR, where a later run finds and reuses it (the
benchmark builds it once, untimed). NEURON is imported in an empty directory (it would load
an x86_64/ directory it finds in the current one).

Timed with time.perf_counter:
  sim    h.finitialize(-65) plus a Python loop of round(tstop/dt) calls of h.fadvance();
  write  Vector.to_python and writing the spike file.
Building gap.mod, importing NEURON and setting the model up are in neither. Writes
OUT/gap-ring-spikes.txt ("%.17g<TAB>gid", sorted by time then gid, like Ranvier's spike
file) and prints one line:
  neuron: sim S s; write W s; steps N; t_end T; spikes K; cells spiking C

  /usr/bin/python3 bench/neuron/gap_ring.py [-n N] [-g US] [--amp NA] [--tstop MS]
                                            [--mech-dir DIR] [-o DIR]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import nrnbuild  # noqa: E402
import neuron_jobs  # noqa: E402

GAP_MOD = os.path.join(ROOT, "mechanisms", "gap.mod")
DT = neuron_jobs.DT
V_INIT = neuron_jobs.V_INIT


def gap_library(mech_dir):
    """libnrnmech.so with Gap: built in mech_dir, or reused if a previous run built it."""
    lib = os.path.join(mech_dir, "build", "x86_64", ".libs", "libnrnmech.so")
    if not os.path.exists(lib):
        if os.path.exists(mech_dir) and os.listdir(mech_dir):
            raise RuntimeError("%s is not empty but holds no built library" % mech_dir)
        os.makedirs(mech_dir, exist_ok=True)
        with open(GAP_MOD) as f:
            lib, _ = nrnbuild.build(mech_dir, [("gap.mod", f.read())])
    return lib


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=100, help="cells (default %(default)s)")
    ap.add_argument("-g", type=float, default=0.01, help="gap conductance, uS (default %(default)s)")
    ap.add_argument("--amp", type=float, default=0.3, help="IClamp amplitude, nA (default %(default)s)")
    ap.add_argument("--tstop", type=float, default=500.0, help="ms (default %(default)s)")
    ap.add_argument("--mech-dir", help="build gap.mod here, or reuse the build found here")
    ap.add_argument("-o", "--output-dir", default=".")
    args = ap.parse_args()
    out_dir = os.path.abspath(args.output_dir)

    tmp = tempfile.mkdtemp(prefix="gap_ring-")
    try:
        lib = gap_library(os.path.abspath(args.mech_dir) if args.mech_dir else os.path.join(tmp, "mech"))
        os.makedirs(os.path.join(tmp, "run"))
        os.chdir(os.path.join(tmp, "run"))  # import NEURON in an empty directory
        from neuron import h
        h.nrn_load_dll(lib)
        h.load_file("stdrun.hoc")
        run(h, args, out_dir)
    finally:
        os.chdir("/")
        shutil.rmtree(tmp, ignore_errors=True)


def run(h, args, out_dir):
    n = args.n
    cells = []
    for k in range(n):
        soma = h.Section(name="soma_%d" % k)
        soma.L = soma.diam = 20
        soma.nseg = 1
        soma.cm = 1
        soma.insert("hh")
        cells.append(soma)
    stim = h.IClamp(cells[0](0.5))
    stim.delay, stim.dur, stim.amp = 5, 1e9, args.amp
    gaps = []
    for k, soma in enumerate(cells):
        for other in ((k + 1) % n, (k - 1) % n):
            gap = h.Gap(soma(0.5))
            gap.g = args.g
            h.setpointer(cells[other](0.5)._ref_v, "vgap", gap)
            gaps.append(gap)
    recorders = []
    for k, soma in enumerate(cells):
        nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
        nc.threshold = 0
        vec = h.Vector()
        nc.record(vec)
        recorders.append((k, nc, vec))

    neuron_jobs.fixed_step(h, args.tstop)  # CVode off, secondorder 0, dt, celsius 6.3

    steps = int(round(args.tstop / DT))
    t0 = time.perf_counter()
    h.finitialize(V_INIT)
    fadvance = h.fadvance
    for _ in range(steps):
        fadvance()
    sim = time.perf_counter() - t0

    t0 = time.perf_counter()
    events = sorted((t, k) for k, nc, vec in recorders for t in vec.to_python())
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "gap-ring-spikes.txt"), "w") as f:
        f.writelines("%.17g\t%d\n" % (t, k) for t, k in events)
    write = time.perf_counter() - t0

    spiking = sum(1 for k, nc, vec in recorders if len(vec) > 0)
    print("neuron: sim %.3f s; write %.3f s; steps %d; t_end %.17g; spikes %d; cells spiking %d" %
          (sim, write, steps, h.t, len(events), spiking), flush=True)


if __name__ == "__main__":
    main()
