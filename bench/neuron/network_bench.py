"""NEURON 8.2.2 side of the spiking-network benchmark: the 1000-cell network of
examples/network/net.toml (800 exc + 200 inh hh ball-and-stick cells, 100 000 NetCons),
built by scripts/neuron/network_model.py exactly as the reference spike list
tests/golden/network/net_spikes.txt is (that one covers 200 ms; the benchmark runs 1000).

    /usr/bin/python3 bench/neuron/network_bench.py [--nthread N] [--tstop MS]
        [--cache-efficient 0|1] [--spikes FILE]

Fixed step dt 0.025 ms, celsius 6.3, v_init -65, pc.set_maxstep(10), pc.nthread(N) (default
1), CVode.cache_efficient(1) by default: it is the faster setting with 1 and with 2 threads
(NEURON 8.2.2 on 2 cores, 1000 ms, best of two: 1 thread 45.5 s without, 16.0 s with;
2 threads 16.4 s without, 8.8 s with). The spike list is bit-identical in all four.
Spikes are recorded with pc.spike_record(-1, ...) as in the reference; nothing else is.

Timed with time.perf_counter:
  setup_s  building the model: 1000 cells with their synapses and IClamps, the 100 000
           NetCons (pc.gid_connect, including drawing them by the fixed in-degree rule in
           Python), spike recording;
  run_s    pc.nthread, cache_efficient, set_maxstep, h.finitialize(-65) and pc.psolve(tstop).
Prints one machine-readable line, then a human one:
  neuron threads=N tstop=T setup_s=S run_s=R spikes=K events=E steps=M
where events is the number of NetCon events delivered (each spike of a cell sends one per
outgoing NetCon; those still in flight at the end are not counted) and
steps = round(tstop/dt).
With --spikes FILE it also writes the spikes ("%.17g<TAB>gid", sorted by time then gid).
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
import network_model as nm  # noqa: E402
from neuron import h  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nthread", type=int, default=1)
    ap.add_argument("--tstop", type=float, default=1000.0)
    ap.add_argument("--cache-efficient", type=int, choices=(0, 1), default=1)
    ap.add_argument("--spikes", help="write the spike list here")
    args = ap.parse_args()

    pc = h.ParallelContext()
    t0 = time.perf_counter()
    model = nm.build_net(pc)
    tvec, idvec = nm.record_spikes(pc)
    t1 = time.perf_counter()
    nm.run(pc, args.tstop, nthread=args.nthread, cache_efficient=args.cache_efficient)
    t2 = time.perf_counter()

    outdeg = [0] * nm.N_CELLS
    for j, src, w, d in model.edges_e + model.edges_i:
        outdeg[src] += 1
    spikes = nm.sorted_spikes(tvec, idvec)
    # Events delivered: due time t_spike + delay <= the final t. The fixed step delivers an
    # event due at te at the step boundary t with te <= t + dt/2, either at the end of the
    # step that reaches t (te <= t) or at the start of the next (t < te <= t + dt/2); the
    # last step delivers only the first kind. This equals NEURON's own count, the
    # removals of CVode.statistics()'s "Discrete event TQueue" (checked, 1 thread).
    delays = {}
    for j, src, w, d in model.edges_e + model.edges_i:
        delays.setdefault(src, []).append(d)
    events = sum(1 for t, g in spikes for d in delays.get(g, ()) if t + d <= h.t)
    steps = int(round(args.tstop / nm.DT))
    if args.spikes:
        with open(args.spikes, "w") as f:
            f.write(nm.format_spikes(spikes))
    print("neuron threads=%d tstop=%g setup_s=%.3f run_s=%.3f spikes=%d events=%d steps=%d"
          % (args.nthread, args.tstop, t1 - t0, t2 - t1, len(spikes), events, steps))
    print("neuron: %d threads, cache_efficient %d, %g ms: setup %.2f s, run %.2f s "
          "(%.1f us/step), %d spikes (exc %d, inh %d), %d NetCon events delivered, "
          "%d NetCons" % (args.nthread, args.cache_efficient, args.tstop, t1 - t0, t2 - t1,
                         1e6 * (t2 - t1) / steps, len(spikes),
                         sum(1 for t, g in spikes if g < nm.N_EXC),
                         sum(1 for t, g in spikes if g >= nm.N_EXC), events,
                         sum(outdeg)))
    del model


if __name__ == "__main__":
    main()
