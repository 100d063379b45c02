#!/usr/bin/python3
"""Regenerates tests/golden/fornetcons/: NEURON 8.2.2's run of examples/stdp (an hh
compartment driven by three NetStims through one StdpSyn, examples/stdp/stdpsyn.mod,
whose NET_RECEIVE potentiates every NetCon's weight vector with FOR_NETCONS).

    /usr/bin/python3 scripts/neuron/reference_fornetcons.py

Needs Debian's NEURON 8.2.2 (neuron, neuron-dev, python3-neuron) and the system Python.
Builds stdpsyn.mod with nrnivmodl under a private NRNHOME (nrnbuild.py), runs the model
in a fresh NEURON process started in an empty directory, and writes
  stdp.csv       t, v, g, tpost every step (dt 0.025 ms, 500 ms), 17 significant digits;
  weights.csv    every NetCon's weight vector (w, A, tpre) at the end, in creation order;
  spikes.txt     the cell's spike times (threshold 0 mV at soma(0.5));
  counter.csv    t, seen, total every step of a Counter (tests/golden/fornetcons/counter.mod)
                 receiving from two NetStims: FOR_NETCONS and NET_RECEIVE's arguments are
                 one memory for the NetCon of the event;
  provenance.txt versions and checksums.
Fixed step, no noise: two runs give byte-identical files.

Internal use: `--job stdp|counter --lib LIBNRNMECH --out DIR` runs one model.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron_jobs import dump, g17, make_golden, recorder, run_fixed, run_requested_job, write_csv  # noqa: E402

MOD = os.path.join(ROOT, "examples", "stdp", "stdpsyn.mod")
GOLDEN = os.path.join(ROOT, "tests", "golden", "fornetcons")
COUNTER_MOD = os.path.join(GOLDEN, "counter.mod")
TSTOP = 500.0


def job_stdp(h, out):
    """examples/stdp/stdp.toml, as NEURON builds it."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20
    soma.nseg = 1
    soma.insert("hh")
    bias = h.IClamp(soma(0.5))
    bias.delay, bias.dur, bias.amp = 0, 1e9, 0.05
    syn = h.StdpSyn(soma(0.5))
    stims, netcons = [], []
    for i in range(3):
        ns = h.NetStim()
        ns.interval, ns.start, ns.number, ns.noise = 17 + 12 * i, 3 + 2 * i, 1e9, 0
        nc = h.NetCon(ns, syn)
        nc.delay = 1
        nc.weight[0] = 0.004
        stims.append(ns)
        netcons.append(nc)
    detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    detector.threshold = 0
    spikes = h.Vector()
    detector.record(spikes)
    header, vecs = recorder(h, [("v", soma(0.5)._ref_v), ("g", syn._ref_g), ("tpost", syn._ref_tpost)])
    run_fixed(h, TSTOP)
    dump(os.path.join(out, "stdp.csv"), header, vecs)
    write_csv(os.path.join(out, "weights.csv"), ["netcon", "w", "A", "tpre"],
              [[k, nc.weight[0], nc.weight[1], nc.weight[2]] for k, nc in enumerate(netcons)])
    with open(os.path.join(out, "spikes.txt"), "w") as f:
        f.writelines(g17(t) + "\n" for t in spikes)


def job_counter(h, out):
    """A Counter on a passive compartment, NetStims every 2 ms from 1 ms and every 3 ms
    from 1.5 ms (weights 0.25 and 0.5, delay 1), 20 ms."""
    soma = h.Section(name="soma")
    soma.L = soma.diam = 10
    counter = h.Counter(soma(0.5))
    stims, netcons = [], []
    for interval, start, weight in ((2, 1, 0.25), (3, 1.5, 0.5)):
        ns = h.NetStim()
        ns.interval, ns.start, ns.number, ns.noise = interval, start, 1e9, 0
        nc = h.NetCon(ns, counter)
        nc.delay = 1
        nc.weight[0] = weight
        stims.append(ns)
        netcons.append(nc)
    header, vecs = recorder(h, [("seen", counter._ref_seen), ("total", counter._ref_total)])
    run_fixed(h, 20.0)
    dump(os.path.join(out, "counter.csv"), header, vecs)


def main():
    if run_requested_job(__doc__, {"stdp": job_stdp, "counter": job_counter}):
        return
    make_golden(__file__, GOLDEN, [MOD, COUNTER_MOD], ["stdp", "counter"],
                lambda out: (["stdp.csv", "weights.csv", "spikes.txt", "counter.csv"], []))

if __name__ == "__main__":
    main()
