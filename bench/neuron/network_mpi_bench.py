"""NEURON 8.2.2 side of the MPI network benchmark (bench/run-mpi-bench.sh): the 1000-cell
network of examples/network/net.toml, built by scripts/neuron/network_model.py as for
bench/neuron/network_bench.py, but distributed over MPI ranks: each rank builds and
registers only the gids it owns, round-robin (gid % nhost == pc.id()), with the NetCons
that end on them. One thread per rank.

    mpiexec.openmpi --allow-run-as-root --oversubscribe -n N /usr/bin/python3 \\
        bench/neuron/network_mpi_bench.py [--tstop MS] [--cache-efficient 0|1] [--spikes FILE]

(Debian's NEURON links OpenMPI: start it with mpiexec.openmpi, not MPICH's mpiexec, or
every process runs as rank 0 of 1. Without mpiexec it runs as one rank.)

Fixed step dt 0.025 ms, celsius 6.3, v_init -65, pc.nthread(1), CVode.cache_efficient(1) by
default, pc.set_maxstep(10): ranks exchange spikes with MPI all-gathers once per minimum NetCon
delay (1 ms here; a single rank's exchanges, every 10 ms, are trivial).

Timed on every rank with time.perf_counter, each part starting after a pc.barrier():
  setup_s   building this rank's share of the model and spike recording;
  run_s     h.finitialize(-65) and pc.psolve(tstop) (as network_bench.py's run_s, without
            pc.nthread and the other settings);
  psolve_s  pc.psolve(tstop) alone.
and NEURON's own counters over pc.psolve (differences of their values before and after):
  wait      pc.wait_time(): the time in the spike exchange's MPI collectives, including
            waiting there for the slower rank (load imbalance);
  step      pc.step_time(): "integrating equations, checking thresholds, and delivering
            events", computed by NEURON as psolve's time minus wait and send;
  send      pc.send_time(): after each exchange, the time spent looking up the received
            spikes' gids and queueing their NetCon events ("directing source gid spikes
            arriving on the target gid to the proper PreSyn") -- work, not transfer.
  NEURON 8.2.2 over-counts send, so under-counts step: nrn_spike_exchange returns early
  when no rank sent a spike, without zeroing wt1_ (its send time), and the caller adds the
  stale wt1_ of the last exchange that had spikes once more for every spikeless interval.
  In this network (no spike between about 3 and 20 ms) step_time even goes backwards.
  Only their sum, and wait, are sound, so
  compute   = psolve_s - wait: integration, thresholds, event delivery and the queueing of
            received spikes, the work that Ranvier's "compute per rank" also counts.
Summary over ranks (as Ranvier's summary): load balance = mean / max compute; exchange time
= psolve_s (the longest rank's) minus the largest compute (about the smallest wait: the
exchange itself plus any waiting the least loaded rank did not absorb).

Rank 0 prints one machine-readable line, then a human one:
  neuron_mpi nhost=N threads=1 tstop=T setup_s=S run_s=R psolve_s=P compute_s=C0,C1,...
      wait_s=W0,... step_s=... send_s=... exchange_s=E load_balance=L interval_ms=I
      spikes=K steps=M
(one line; setup_s, run_s and psolve_s are the largest over ranks; the per-rank lists are in
rank order). With --spikes FILE rank 0 writes all ranks' spikes, gathered, in
network_bench.py's format ("%.17g<TAB>gid", sorted by time then gid).
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "neuron"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
from neuron import h  # noqa: E402

h.nrnmpi_init()  # before anything else uses ParallelContext
import network_model as nm  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tstop", type=float, default=1000.0)
    ap.add_argument("--cache-efficient", type=int, choices=(0, 1), default=1)
    ap.add_argument("--spikes", help="write the gathered spike list here (rank 0)")
    args = ap.parse_args()

    pc = h.ParallelContext()
    nhost, rank = int(pc.nhost()), int(pc.id())

    pc.barrier()
    t0 = time.perf_counter()
    model = nm.build_net(pc)
    tvec, idvec = nm.record_spikes(pc)
    setup_s = time.perf_counter() - t0

    nm.setup_run(pc, nthread=1, cache_efficient=args.cache_efficient)
    interval = pc.set_maxstep(nm.MAXSTEP)   # as setup_run's call: returns the interval
    before = (pc.step_time(), pc.wait_time(), pc.send_time())
    pc.barrier()
    t1 = time.perf_counter()
    h.finitialize(nm.V_INIT)
    t2 = time.perf_counter()
    pc.psolve(args.tstop)
    t3 = time.perf_counter()
    after = (pc.step_time(), pc.wait_time(), pc.send_time())
    step, wait, send = (a - b for a, b in zip(after, before))

    mine = {"setup": setup_s, "run": t3 - t1, "psolve": t3 - t2, "compute": t3 - t2 - wait,
            "wait": wait, "step": step, "send": send, "spikes": nm.sorted_spikes(tvec, idvec)}
    every = pc.py_gather(mine, 0)
    if rank == 0:
        spikes = sorted(s for r in every for s in r["spikes"])
        if args.spikes:
            with open(args.spikes, "w") as f:
                f.write(nm.format_spikes(spikes))
        col = {k: [r[k] for r in every] for k in ("setup", "run", "psolve", "compute",
                                                  "wait", "step", "send")}
        most = max(col["compute"])
        balance = (sum(col["compute"]) / nhost / most) if most > 0 else 1.0
        psolve = max(col["psolve"])
        exchange = max(0.0, psolve - most)
        steps = int(round(args.tstop / nm.DT))
        csv = lambda k: ",".join("%.3f" % x for x in col[k])  # noqa: E731
        ssv = lambda k: " ".join("%.3f" % x for x in col[k])  # noqa: E731
        print("neuron_mpi nhost=%d threads=1 tstop=%g setup_s=%.3f run_s=%.3f psolve_s=%.3f "
              "compute_s=%s wait_s=%s step_s=%s send_s=%s exchange_s=%.3f load_balance=%.3f "
              "interval_ms=%.6g spikes=%d steps=%d"
              % (nhost, args.tstop, max(col["setup"]), max(col["run"]), psolve, csv("compute"),
                 csv("wait"), csv("step"), csv("send"), exchange, balance, interval,
                 len(spikes), steps))
        print("neuron: %d rank(s) x 1 thread, cache_efficient %d, %g ms: setup %.2f s, run "
              "%.2f s (psolve %.2f s); compute per rank %s s, load balance %.2f; exchange "
              "%.3f s; per rank: wait %s s, step_time %s s, send_time %s s; %d spikes; "
              "exchange every %.6g ms"
              % (nhost, args.cache_efficient, args.tstop, max(col["setup"]), max(col["run"]),
                 psolve, ssv("compute"), balance, exchange, ssv("wait"), ssv("step"),
                 ssv("send"), len(spikes), interval))
    pc.barrier()
    del model
    sys.stdout.flush()
    pc.done()
    h.quit()   # calls MPI_Finalize (else OpenMPI's mpiexec reports an improper exit)


if __name__ == "__main__":
    main()
