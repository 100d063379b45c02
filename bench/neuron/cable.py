"""NEURON 8.2.2 side of bench/run-cable-bench.sh: the model of examples/hh-cable/cable.toml.

A 1 cm hh axon (L 10000 um, diam 1 um, nseg 1000, Ra 35.4, cm 1, hh defaults with
usetable_hh = 1), IClamp at x = 0 (del 1, dur 1e9, amp 0.5 nA), celsius 6.3, v_init -65,
fixed step dt 0.025 ms (CVode off, secondorder 0), tstop 1000 ms.

With recordings (the default): Vector.record of t and of v at x = 0, 0.0005, 0.5, 0.9995, 1
(set up before finitialize: tstop/dt + 1 rows), NetCon threshold-0 spike detection at
x = 0.0005 and 0.9995. After the run it writes OUT/cable.csv (t and the five traces, shortest
round-trip repr, like Ranvier's cable.csv) and OUT/cable-spikes.txt ("time<TAB>location",
%.17g). With --no-record: neither Vector.record nor NetCon, and no files.

Timed with time.perf_counter:
  sim    h.finitialize(-65) plus the run loop: round(tstop/dt) calls of h.fadvance() from
         Python (the default, what the reference script scripts/neuron/reference_runtime.py
         does), or h.continuerun(tstop) with --loop continuerun (stdrun.hoc's loop, which
         stops at tstop - dt/2: the same number of steps);
  write  Vector.to_python and writing both files (with recordings only).
Model set-up (sections, mechanisms, recorders) is not in either. Prints one line:
  neuron: sim S s; write W s; steps N; t_end T; spikes(0.0005) A; spikes(0.9995) B

  /usr/bin/python3 bench/neuron/cable.py [--no-record] [--tstop MS] [--loop fadvance|continuerun] [-o DIR]
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import neuron_jobs  # noqa: E402

XS = (0, 0.0005, 0.5, 0.9995, 1)
SPIKE_XS = (0.0005, 0.9995)
DT = neuron_jobs.DT
V_INIT = neuron_jobs.V_INIT


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-record", action="store_true", help="no Vector.record, no NetCon")
    ap.add_argument("--tstop", type=float, default=1000.0)
    ap.add_argument("--loop", choices=("fadvance", "continuerun"), default="fadvance")
    ap.add_argument("-o", "--output-dir", default=".")
    args = ap.parse_args()

    from neuron import h
    h.load_file("stdrun.hoc")

    cable, stim = neuron_jobs.hh_cable(h)  # the model of tests/golden/runtime case (b)

    neuron_jobs.fixed_step(h, args.tstop)  # CVode off, secondorder 0, dt, celsius 6.3

    vecs, spikes = [], []
    if not args.no_record:
        tv = h.Vector()
        tv.record(h._ref_t)
        vecs.append(tv)
        for x in XS:
            v = h.Vector()
            v.record(cable(x)._ref_v)
            vecs.append(v)
        for x in SPIKE_XS:
            nc = h.NetCon(cable(x)._ref_v, None, sec=cable)
            nc.threshold = 0
            sv = h.Vector()
            nc.record(sv)
            spikes.append((x, nc, sv))

    steps = int(round(args.tstop / DT))
    t0 = time.perf_counter()
    h.finitialize(V_INIT)
    if args.loop == "fadvance":
        fadvance = h.fadvance
        for _ in range(steps):
            fadvance()
    else:
        h.continuerun(args.tstop)
    sim = time.perf_counter() - t0

    write = 0.0
    if not args.no_record:
        t0 = time.perf_counter()
        os.makedirs(args.output_dir, exist_ok=True)
        cols = [v.to_python() for v in vecs]
        with open(os.path.join(args.output_dir, "cable.csv"), "w") as f:
            f.write("t," + ",".join("v(%g)" % x for x in XS) + "\n")
            f.writelines(",".join(map(repr, row)) + "\n" for row in zip(*cols))
        with open(os.path.join(args.output_dir, "cable-spikes.txt"), "w") as f:
            events = sorted((t, x) for x, nc, sv in spikes for t in sv.to_python())
            f.writelines("%.17g\t%g\n" % (t, x) for t, x in events)
        write = time.perf_counter() - t0

    counts = "; ".join("spikes(%g) %d" % (x, len(sv)) for x, nc, sv in spikes)
    print("neuron: sim %.3f s; write %.3f s; steps %d; t_end %.17g%s" %
          (sim, write, steps, h.t, "; " + counts if counts else ""), flush=True)


if __name__ == "__main__":
    main()
