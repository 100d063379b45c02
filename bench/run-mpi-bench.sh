#!/usr/bin/env bash
# MPI network benchmark: examples/network/net.toml (1000 ball-and-stick hh cells, 100 000
# NetCons, dt 0.025 ms, 1000 ms) distributed over 1 and 2 MPI ranks, 1 thread per rank, in
# Ranvier and in NEURON 8.2.2, in one script run. Cells go to ranks round-robin
# (gid % ranks) in both.
#
# Runs (each $REPEAT times, one job at a time, tools alternating):
#   NEURON   mpiexec.openmpi -n R /usr/bin/python3 bench/neuron/network_mpi_bench.py (Debian's
#            NEURON links OpenMPI), R = 1, 2: pc.nthread(1), cache_efficient(1); the
#            model built on each rank by scripts/neuron/network_model.py (its own gids only);
#   Ranvier  mpiexec.mpich -n R ranvier run --threads 1, R = 1, 2 (ours uses MPICH), and the
#            plain `ranvier run --threads 1` without mpiexec as the 1-process baseline; the
#            mechanism cache is warmed first, and a timed run must compile nothing.
# Figures (median over the runs, minimum beside the wall time):
#   wall      NEURON: finitialize + pc.psolve (the longest rank; set-up and building
#             excluded, every rank starting after a barrier); Ranvier: the "simulated in
#             X s" of rank 0 (initialisation and all steps; building and compiling excluded);
#   compute   per rank: Ranvier the "compute per rank" of its summary line (stepping and
#             queueing the received spikes); NEURON the same work: psolve's wall time minus
#             pc.wait_time() (the time in the exchange's MPI collectives), which equals
#             pc.step_time() + pc.send_time(). pc.step_time() alone is not usable: NEURON
#             8.2.2 adds a stale send time for every exchange in which no rank had a spike,
#             so send_time is too large and step_time too small (negative over the quiet
#             stretch after the first volley); see bench/neuron/network_mpi_bench.py. The
#             three counters are reported per rank as NEURON gives them;
#   exchange  psolve's wall time (Ranvier: the run's) minus the largest compute: exchanging
#             spikes and the waiting that load imbalance leaves (the issue's definition);
#   balance   mean / max compute over the ranks.
# Reports NEURON/Ranvier per rank count and the 1 -> 2 rank speed-up of each (Ranvier's
# target: >= 1.8). Checks that Ranvier's spike files (no mpiexec, 1 rank, 2 ranks, every
# run) are byte-identical (exit 1 if not), that NEURON's 1- and 2-rank spikes are
# identical (reported), and compares NEURON's with Ranvier's as run-network-bench.sh does.
# Nothing else should run on the machine meanwhile: the load average at the start and at
# the end is in the header, and the CPU time other processes used during each run is
# reported (runs where it exceeds 5% of a core are named in a WARNING line).
#
# Writes bench/results/mpi-bench.txt and prints it. About 2 minutes per repeat.
#
#   bench/run-mpi-bench.sh
#   REPEAT=1 TSTOP=200 bench/run-mpi-bench.sh
#   RANVIER=/path/to/ranvier bench/run-mpi-bench.sh   # default build-rt/tools/ranvier/ranvier
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANVIER=${RANVIER:-$ROOT/build-rt/tools/ranvier/ranvier}
PY=${PY:-/usr/bin/python3}
REPEAT=${REPEAT:-3}
TSTOP=${TSTOP:-1000}
MPI_NRN=(mpiexec.openmpi --allow-run-as-root --oversubscribe)
MPI_RV=(mpiexec.mpich)
MODEL=$ROOT/examples/network/net.toml
NRN_SCRIPT=$ROOT/bench/neuron/network_mpi_bench.py
OUT=$ROOT/bench/results/mpi-bench.txt

die() { echo "run-mpi-bench: $*" >&2; exit 2; }
[[ -x $RANVIER ]] || die "$RANVIER is missing; build it first (cmake --build build-rt --target ranvier)"
"$PY" -c 'import neuron' 2>/dev/null || die "$PY cannot import neuron (needs Debian's python3-neuron)"
command -v "${MPI_NRN[0]}" >/dev/null || die "${MPI_NRN[0]} is missing (Debian's NEURON needs OpenMPI)"
command -v "${MPI_RV[0]}" >/dev/null || die "${MPI_RV[0]} is missing (install mpich)"
(( REPEAT >= 1 )) || die "REPEAT must be >= 1"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CACHE=$TMP/cache
LOGS=$TMP/logs   # <tool>-<ranks>-<rep>.log, tool: neuron, ranvier (mpiexec) or plain (no mpiexec)
mkdir -p "$LOGS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

"$RANVIER" run "$MODEL" --tstop 1 -q --cache-dir "$CACHE" -o "$TMP" --spikes "$TMP/warm.txt"

# Other processes' CPU time during a timed run: the machine's busy time (/proc/stat) minus
# what this shell's children (the run, MPI launchers and ranks included) used.
HZ=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
own_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
FOREIGN=$TMP/foreign.tsv   # run, elapsed s, other processes' CPU s
: > "$FOREIGN"
watch_start() { W_BUSY=$(busy_ticks); W_OWN=$(own_ticks); W_T=$(date +%s.%N); }
watch_end() {   # name
  local busy own t
  busy=$(busy_ticks); own=$(own_ticks); t=$(date +%s.%N)
  awk -v n="$1" -v b=$((busy - W_BUSY)) -v o=$((own - W_OWN)) -v hz="$HZ" -v t0="$W_T" -v t1="$t" \
    'BEGIN { f = (b - o) / hz; printf "%s\t%.2f\t%.2f\n", n, t1 - t0, f < 0 ? 0 : f }' >> "$FOREIGN"
}

run_neuron() {   # ranks rep
  local log=$LOGS/neuron-$1-$2.log
  watch_start
  "${MPI_NRN[@]}" -n "$1" "$PY" "$NRN_SCRIPT" --tstop "$TSTOP" --spikes "$TMP/neuron-$1-$2.spk" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
  watch_end "neuron-$1-$2"
  grep -q '^neuron_mpi ' "$log" || { cat "$log" >&2; exit 1; }
  echo "  $(grep '^neuron: ' "$log")" >&2
}
run_ranvier() {  # tool ranks rep
  local log=$LOGS/$1-$2-$3.log launch=()
  [[ $1 == ranvier ]] && launch=("${MPI_RV[@]}" -n "$2")
  watch_start
  "${launch[@]}" "$RANVIER" run "$MODEL" --tstop "$TSTOP" --threads 1 --cache-dir "$CACHE" -o "$TMP/out-$1-$2" --spikes "$TMP/$1-$2-$3.spk" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
  watch_end "$1-$2-$3"
  local line
  line=$(grep -E '^ranvier: .* simulated in [0-9.]+ s' "$log") || { cat "$log" >&2; exit 1; }
  grep -q ' 0 compiled' <<<"$line" || { echo "run-mpi-bench: a timed run compiled mechanisms" >&2; exit 1; }
  if (( $2 > 1 )); then grep -qE '^ranvier: [0-9]+ ranks;' "$log" || { cat "$log" >&2; echo "run-mpi-bench: no per-rank summary" >&2; exit 1; }; fi
  grep '^ranvier: ' "$log" | sed 's/^/  /' >&2
}

for rep in $(seq 1 "$REPEAT"); do
  run_neuron 1 "$rep"
  run_ranvier plain 1 "$rep"
  run_ranvier ranvier 1 "$rep"
  run_neuron 2 "$rep"
  run_ranvier ranvier 2 "$rep"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# Ranvier: every spike file identical to the first.
same=yes
for f in "$TMP"/plain-*.spk "$TMP"/ranvier-*.spk; do
  cmp -s "$TMP/plain-1-1.spk" "$f" || { same=no; echo "run-mpi-bench: $(basename "$f") differs from plain-1-1.spk" >&2; }
done
nsame=yes
for f in "$TMP"/neuron-*.spk; do
  cmp -s "$TMP/neuron-1-1.spk" "$f" || { nsame=no; echo "run-mpi-bench: NEURON's $(basename "$f") differs from neuron-1-1.spk" >&2; }
done

{
  echo "# bench/run-mpi-bench.sh: examples/network/net.toml, $TSTOP ms, dt 0.025 ms, 1 thread per rank ($(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average $LOAD_START at the start, $LOAD_END at the end)"
  echo "# NEURON 8.2.2 under Open MPI $(mpiexec.openmpi --version 2>/dev/null | head -1 | sed 's/.* //') (mpiexec.openmpi binds each rank to a core); Ranvier under MPICH $(mpiexec.mpich --version 2>/dev/null | sed -n 's/^ *Version: *//p' | head -1) (mpiexec.mpich binds nothing)"
  echo "# median of $REPEAT run(s), minimum of the wall time beside it; seconds (building the network excluded)"
  "$PY" - "$LOGS" "$REPEAT" <<'PYEOF'
import os, re, statistics, sys
logs, repeat = sys.argv[1], int(sys.argv[2])

def num(pattern, text, cast=float):
    m = re.search(pattern, text)
    return cast(m.group(1)) if m else None

def parse(tool, ranks, rep):
    text = open(os.path.join(logs, "%s-%d-%d.log" % (tool, ranks, rep))).read()
    r = {}
    if tool == "neuron":
        line = re.search(r"^neuron_mpi .*$", text, re.M).group(0)
        kv = dict(f.split("=", 1) for f in line.split()[1:])
        r["wall"] = float(kv["run_s"])
        r["compute"] = [float(x) for x in kv["compute_s"].split(",")]
        r["exchange"] = float(kv["exchange_s"])
        r["balance"] = float(kv["load_balance"])
        r["wait"] = [float(x) for x in kv["wait_s"].split(",")]
        r["send"] = [float(x) for x in kv["send_s"].split(",")]
        r["step"] = [float(x) for x in kv["step_s"].split(",")]
        r["spikes"] = int(kv["spikes"])
    else:
        r["wall"] = float(re.search(r"^ranvier: .*? simulated in ([0-9.]+) s", text, re.M).group(1))
        m = re.search(r"^ranvier: [0-9]+ ranks;.*$", text, re.M)
        if m:   # rank 0's summary (printed with 2 or more ranks); extra fields tolerated
            s = m.group(0)
            c = re.search(r"compute per rank ((?:[0-9.]+ )+)s", s)
            r["compute"] = [float(x) for x in c.group(1).split()] if c else None
            r["balance"] = num(r"load balance ([0-9.]+)", s)
            r["exchange"] = num(r"spike exchange ([0-9.]+) s", s)
            r["exchanged"] = num(r"([0-9]+) sent to other ranks", s, int)
            r["bytes"] = num(r"([0-9]+) bytes sent", s, int)
        r["spikes"] = num(r"\(([0-9]+) spikes\)", text, int)
    return r

runs = {}
for tool, ranks in (("neuron", 1), ("plain", 1), ("ranvier", 1), ("neuron", 2), ("ranvier", 2)):
    runs[tool, ranks] = [parse(tool, ranks, rep) for rep in range(1, repeat + 1)]

def med(tool, ranks, key):
    vals = [r.get(key) for r in runs[tool, ranks]]
    if any(v is None for v in vals):
        return None
    if isinstance(vals[0], list):   # per rank
        return [statistics.median(v[i] for v in vals) for i in range(len(vals[0]))]
    return statistics.median(vals)

def fmt(v, f="%.3f"):
    if v is None:
        return "-"
    if isinstance(v, list):
        return " ".join(f % x for x in v)
    return f % v

names = {("neuron", 1): "NEURON 8.2.2, 1 rank", ("plain", 1): "Ranvier, no mpiexec",
         ("ranvier", 1): "Ranvier, 1 rank", ("neuron", 2): "NEURON 8.2.2, 2 ranks",
         ("ranvier", 2): "Ranvier, 2 ranks"}
print("%-22s %18s %18s %9s %8s" % ("", "wall (min)", "compute per rank", "exchange", "balance"))
for key in names:
    wall = med(*key, "wall")
    wmin = min(r["wall"] for r in runs[key])
    print("%-22s %10.3f (%6.3f) %18s %9s %8s" % (names[key], wall, wmin, fmt(med(*key, "compute")),
                                            fmt(med(*key, "exchange")),
                                            fmt(med(*key, "balance"), "%.2f")))
if med("ranvier", 1, "compute") is None:
    print("(Ranvier prints its per-rank summary only with 2 or more ranks: '-' above)")
n1, n2 = med("neuron", 1, "wall"), med("neuron", 2, "wall")
r0, r1, r2 = med("plain", 1, "wall"), med("ranvier", 1, "wall"), med("ranvier", 2, "wall")
print("NEURON/Ranvier: 1 rank %.2fx, 2 ranks %.2fx" % (n1 / r1, n2 / r2))
sp = r1 / r2
print("1 -> 2 ranks speed-up: Ranvier %.2fx (target >= 1.8: %s; %.2fx over the run without "
      "mpiexec); NEURON %.2fx" % (sp, "met" if sp >= 1.8 else "NOT met", r0 / r2, n1 / n2))
print("NEURON 2 ranks, per rank, as NEURON counts: pc.wait_time %s s, pc.step_time %s s, "
      "pc.send_time %s s" % (fmt(med("neuron", 2, "wait")), fmt(med("neuron", 2, "step")),
                             fmt(med("neuron", 2, "send"))))
ex = [r.get("exchanged") for r in runs["ranvier", 2]]
by = [r.get("bytes") for r in runs["ranvier", 2]]
print("Ranvier 2 ranks: %s spikes sent to the other rank, %s" % (
    ex[0] if ex[0] is not None else "?",
    ("%d bytes sent" % by[0]) if by[0] is not None else "bytes sent not reported"))
print("Spike counts: NEURON %s; Ranvier %s" % (
    "/".join(str(runs["neuron", k][0]["spikes"]) for k in (1, 2)),
    "/".join(str(runs[key][0]["spikes"]) for key in (("plain", 1), ("ranvier", 1), ("ranvier", 2)))))
PYEOF
  # A run is disturbed when other processes took more than 5% of a core meanwhile.
  awk -F'\t' '{ s = s sprintf("%s%s %s", NR > 1 ? ", " : "", $1, $3); if ($3 > 0.05 * $2) bad = bad " " $1 }
    END { print "CPU seconds used by other processes during each run: " s
          if (bad != "") print "WARNING: disturbed by other processes (> 5% of a core):" bad }' "$FOREIGN"
  echo "Ranvier spikes, no mpiexec vs 1 rank vs 2 ranks (every run), byte-identical: $same"
  echo "NEURON spikes, 1 rank vs 2 ranks (every run), identical: $nsame"
  # NEURON's spikes vs ours: gids and times (ours have 3 decimals).
  echo -n "NEURON vs Ranvier spikes (1 rank): "
  "$PY" "$ROOT/bench/neuron/compare_spikes.py" "$TMP/neuron-1-1.spk" "$TMP/plain-1-1.spk"
} | tee "$OUT"
[[ $same == yes ]]
