#!/usr/bin/env bash
# Multisplit benchmark: one large cell on 1 and 2 threads. examples/big-cell/cell.toml (a
# synthetic pyramidal-like cell of 1377 sections and 4399 nodes from cell.swc, 13 density
# mechanisms, 3 NetStims driving 8 synapses, an IClamp; dt 0.025 ms, 1000 ms: 40 000 fixed
# steps) in NEURON 8.2.2 and in Ranvier, in one script run.
#
# Four configurations, each run $REPEAT times (one process at a time, in the order NEURON 1,
# Ranvier 1, NEURON 2, Ranvier 2 within a repeat):
#   NEURON 1 thread    bench/neuron/big_cell.py: the cell built from the same model file,
#                      cvode.cache_efficient(1), pc.psolve;
#   NEURON 2 threads   the same with pc.nthread(2) and NEURON's single-cell thread split
#                      (parcom.hoc's Multisplit: LoadBalance cuts the cell into subtrees,
#                      pc.multisplit(sec(x), sid) on each cut, pc.multisplit());
#   Ranvier 1 thread   `ranvier run --threads 1` (the cell whole);
#   Ranvier 2 threads  `ranvier run --threads 2` (split_cells = "auto" cuts the cell into
#                      pieces; the run must report "split into").
# Times: NEURON: h.finitialize + pc.psolve(tstop) (perf_counter; set-up, the thread split
# and writing files excluded; the recorders of the model's [[record]]s are on); Ranvier:
# the "simulated in X s" of its summary line (initialise + step loop, streaming the same
# traces to disk; building, compiling and cache load excluded; the mechanism cache is
# warmed first and every timed run must report 0 compiled). One untimed short run of each
# tool first (cache, page cache, Python imports); NEURON's mechanisms are compiled once.
# Summary statistic: the median (minimum beside it). Ratios from medians: Ranvier 2 vs 1
# thread (target >= 1.7x), NEURON 2 vs 1 thread, NEURON/Ranvier at 1 and at 2 threads
# (target > 1 at both). Also NEURON's CPU time over its wall time (about 2 when both its
# threads work), its pieces and segments per thread, and Ranvier's pieces, load balance and
# waiting time.
# Checks (on the last repeat): the soma spikes of NEURON and Ranvier (count, max |dt|, and
# the first 10 spikes; Ranvier writes 3 decimals) at 1 and at 2 threads, every trace column
# NEURON vs Ranvier (max |dv|), Ranvier 1 vs 2 threads (max |dv| of every column, spike
# files identical) and NEURON 1 vs 2 threads. Exits 1 if Ranvier's 1- and 2-thread spikes
# differ, if NEURON and Ranvier disagree on the number of spikes or on a spike time by more
# than one step (0.025 ms), or if Ranvier's 2-thread run did not split the cell.
#
# Writes bench/results/split-bench.txt and prints it. About 2 minutes per repeat on 2 cores.
#
#   bench/run-split-bench.sh
#   REPEAT=1 bench/run-split-bench.sh
#   RANVIER=/path/to/ranvier bench/run-split-bench.sh   # default build-rt/tools/ranvier/ranvier
#   TSTOP=200 bench/run-split-bench.sh                  # a shorter run (default: the model's)
#   NRN_BUSYWAIT=1 bench/run-split-bench.sh             # NEURON's 2-thread runs with
#                                                       # pc.thread_busywait(1) (threads spin)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANVIER=${RANVIER:-$ROOT/build-rt/tools/ranvier/ranvier}
PY=${PY:-/usr/bin/python3}   # Debian's NEURON imports only here (see the NEURON notes)
REPEAT=${REPEAT:-3}
NRN_BUSYWAIT=${NRN_BUSYWAIT:-0}
MODEL=$ROOT/examples/big-cell/cell.toml
NRN_SCRIPT=$ROOT/bench/neuron/big_cell.py
OUT=$ROOT/bench/results/split-bench.txt
TSTOP=${TSTOP:-$(sed -nE 's/^tstop *= *([0-9.]+).*/\1/p' "$MODEL" | head -n1)}

[[ -x $RANVIER ]] || { echo "run-split-bench: $RANVIER is missing; build it first (cmake --build build-rt --target ranvier)" >&2; exit 2; }
"$PY" -c 'import neuron' 2>/dev/null || { echo "run-split-bench: $PY cannot import neuron (needs Debian's python3-neuron)" >&2; exit 2; }
(( REPEAT >= 1 )) || { echo "run-split-bench: REPEAT must be >= 1" >&2; exit 2; }
[[ -n $TSTOP ]] || { echo "run-split-bench: no tstop in $MODEL" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CACHE=$TMP/cache
RAW=$TMP/raw.tsv   # tool  threads  repeat  sim_s  cpu_s (NEURON) | -
: > "$RAW"
INFO=$TMP/info.tsv # tool  threads  repeat  what the run said about its threads
: > "$INFO"
now() { date +%s%N; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(now)

echo "run-split-bench: compiling NEURON's mechanisms; warming up (Ranvier cache, NEURON imports)" >&2
LIB=$("$PY" "$NRN_SCRIPT" --build-only "$TMP/nrnmech" 2> "$TMP/nrnmech.log" | tail -n1) \
  || { cat "$TMP/nrnmech.log" >&2; exit 1; }
[[ -f $LIB ]] || { echo "run-split-bench: no NEURON mechanism library ($LIB)" >&2; cat "$TMP/nrnmech.log" >&2; exit 1; }
"$RANVIER" run "$MODEL" --tstop 10 --threads 2 --cache-dir "$CACHE" -o "$TMP/warm" > "$TMP/warm-ranvier.log" 2>&1 \
  || { cat "$TMP/warm-ranvier.log" >&2; exit 1; }
"$PY" "$NRN_SCRIPT" --lib "$LIB" --tstop 10 -o "$TMP/warm" > "$TMP/warm-neuron.log" 2>&1 \
  || { cat "$TMP/warm-neuron.log" >&2; exit 1; }

run_neuron() {  # run_neuron THREADS REP
  local threads=$1 rep=$2 log=$TMP/neuron-$1-$2.log line busy=()
  [[ $threads -gt 1 && $NRN_BUSYWAIT == 1 ]] && busy=(--busywait)
  "$PY" "$NRN_SCRIPT" --lib "$LIB" --nthread "$threads" --tstop "$TSTOP" "${busy[@]}" -o "$TMP/neuron-$threads-$rep" > "$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
  line=$(grep '^neuron threads=' "$log") || { cat "$log" >&2; exit 1; }
  printf 'neuron\t%s\t%s\t%s\t%s\n' "$threads" "$rep" "$(sed -E 's/.* sim_s=([0-9.]+).*/\1/' <<<"$line")" \
    "$(sed -E 's/.* cpu_s=([0-9.]+).*/\1/' <<<"$line")" >> "$RAW"
  printf 'neuron\t%s\t%s\t%s\n' "$threads" "$rep" "$(sed -E 's/.* (pieces=.*)/\1/' <<<"$line")" >> "$INFO"
  echo "  $line" >&2
}

run_ranvier() {  # run_ranvier THREADS REP
  local threads=$1 rep=$2 log=$TMP/ranvier-$1-$2.log line split
  "$RANVIER" run "$MODEL" --tstop "$TSTOP" --threads "$threads" --cache-dir "$CACHE" -o "$TMP/ranvier-$threads-$rep" > "$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
  line=$(grep '^ranvier: .* simulated in' "$log") || { cat "$log" >&2; exit 1; }
  grep -q ' with 0 compiled' <<<"$line" || { echo "run-split-bench: a timed run compiled mechanisms: $line" >&2; exit 1; }
  printf 'ranvier\t%s\t%s\t%s\t-\n' "$threads" "$rep" "$(sed -E 's/.* simulated in ([0-9.]+) s.*/\1/' <<<"$line")" >> "$RAW"
  split=$(grep -E '^ranvier: cell .* split into' "$log" | sed -E 's/^ranvier: cell [^ ]+ //' || true)
  if [[ $threads -gt 1 ]]; then
    [[ -n $split ]] || { echo "run-split-bench: Ranvier did not split the cell with $threads threads:" >&2; cat "$log" >&2; exit 1; }
    printf 'ranvier\t%s\t%s\t%s; %s\n' "$threads" "$rep" "$split" \
      "$(sed -nE 's/.*\((load balance [0-9.]+, waiting [0-9.]+ s per thread)\).*/\1/p' <<<"$line")" >> "$INFO"
  fi
  echo "  $(sed -E 's/^(ranvier: .* simulated in [0-9.]+ s).*/\1/' <<<"$line")${split:+ [$split]}" >&2
}

for (( rep = 1; rep <= REPEAT; rep++ )); do
  echo "run-split-bench: repeat $rep of $REPEAT" >&2
  for threads in 1 2; do
    run_neuron "$threads" "$rep"
    run_ranvier "$threads" "$rep"
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(awk -v a="$START" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')

NRN_VERSION=$("$PY" -c 'from neuron import h; print(h.nrnversion())' 2>/dev/null | head -n1)
NRN_PKG=$(dpkg-query -W -f='${Version}' neuron 2>/dev/null || echo '?')
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
  git -C "$ROOT" diff --quiet HEAD -- compiler runtime tools 2>/dev/null || echo ' with uncommitted changes in compiler/, runtime/ or tools/')"

mkdir -p "$(dirname "$OUT")"
rc=0
export RAW INFO TMP REPEAT TSTOP LOAD_START LOAD_END ELAPSED NRN_BUSYWAIT
{
  echo "# Ranvier vs NEURON: one large cell on 1 and 2 threads (examples/big-cell/cell.toml) — $(date -u +%FT%TZ)"
  echo
  echo "- Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(uname -srm);" \
       "load average $LOAD_START at start, $LOAD_END at end"
  echo "- Ranvier: $("$RANVIER" --version 2>&1 | head -n1) ($(realpath --relative-to="$ROOT" "$RANVIER" 2>/dev/null || echo "$RANVIER")), commit $COMMIT"
  echo "- NEURON: $NRN_VERSION; Debian package neuron $NRN_PKG; $("$PY" --version 2>&1)"
  echo "- Model: $(grep -m1 -E '^neuron threads=1 ' "$TMP/neuron-1-1.log" | sed -E 's/.* sections=([0-9]+) nseg=([0-9]+).*/\1 sections, \2 segments/'), 13 density mechanisms," \
       "IClamp + 8 synapses from 3 NetStims, dt 0.025 ms, tstop $TSTOP ms ($(awk -v t="$TSTOP" 'BEGIN { printf "%d", t / 0.025 + 0.5 }') steps)"
  echo "- $REPEAT run(s) of each configuration, one process at a time (NEURON 1, Ranvier 1, NEURON 2, Ranvier 2 per repeat);" \
       "statistic: median (min in brackets). Script run time $ELAPSED s."
  "$PY" - <<'EOF'
import csv, os, statistics

tmp, rep = os.environ["TMP"], os.environ["REPEAT"]
raw = {}
cpu = {}
for line in open(os.environ["RAW"]):
    tool, threads, r, sim, c = line.rstrip("\n").split("\t")
    raw.setdefault((tool, int(threads)), []).append(float(sim))
    if c != "-":
        cpu.setdefault((tool, int(threads)), []).append(float(c) / float(sim))
med = {k: statistics.median(v) for k, v in raw.items()}
low = {k: min(v) for k, v in raw.items()}
info = {}
for line in open(os.environ["INFO"]):
    tool, threads, r, text = line.rstrip("\n").split("\t", 3)
    info.setdefault((tool, int(threads)), []).append(text)

print("""
## Seconds of simulation

| threads | NEURON 8.2.2 | Ranvier | NEURON/Ranvier |
|---|---:|---:|---:|""")
for n in (1, 2):
    print("| %d | %.3f (%.3f) | %.3f (%.3f) | %.2fx |" % (
        n, med[("neuron", n)], low[("neuron", n)], med[("ranvier", n)], low[("ranvier", n)],
        med[("neuron", n)] / med[("ranvier", n)]))
r_speed = med[("ranvier", 1)] / med[("ranvier", 2)]
n_speed = med[("neuron", 1)] / med[("neuron", 2)]
print()
print("- Ranvier 2 threads vs 1: %.2fx (target >= 1.7x: %s)" % (r_speed, "met" if r_speed >= 1.7 else "NOT met"))
print("- NEURON 2 threads vs 1: %.2fx" % n_speed)
for n in (1, 2):
    q = med[("neuron", n)] / med[("ranvier", n)]
    print("- NEURON/Ranvier at %d thread%s: %.2fx (target > 1: %s)" % (n, "s" if n > 1 else "", q, "met" if q > 1 else "NOT met"))
print("- NEURON CPU time / wall time during the simulation: 1 thread %s; 2 threads %s" % tuple(
    ", ".join("%.2f" % x for x in cpu[("neuron", n)]) for n in (1, 2)))
print("- NEURON 2 threads (%s), per run: %s" % (
    "pc.thread_busywait(1)" if os.environ["NRN_BUSYWAIT"] == "1" else "NEURON's default: no busy waiting",
    "; ".join(info.get(("neuron", 2), []))))
print("- Ranvier 2 threads, per run: %s" % "; ".join(info.get(("ranvier", 2), [])))

# --- the same results? -------------------------------------------------------------------
def spikes(path):
    return [float(line.split()[0]) for line in open(path) if line.strip()]

def traces(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(x) for x in r] for r in rows[1:]]

def trace_diff(a, b):
    ha, ra = traces(a)
    hb, rb = traces(b)
    if ha != hb or len(ra) != len(rb):
        return None, "columns or rows differ (%d vs %d rows)" % (len(ra), len(rb))
    worst = {}
    for x, y in zip(ra, rb):
        for j in range(1, len(ha)):
            d = abs(x[j] - y[j])
            if d > worst.get(ha[j], (-1, 0))[0]:
                worst[ha[j]] = (d, y[0])
    return worst, "; ".join("%s %.2g" % (k, v[0]) for k, v in worst.items())

def run_dir(tool, n):
    return os.path.join(tmp, "%s-%d-%s" % (tool, n, rep))

ok = True
print("\n## Same results? (repeat %s)\n" % rep)
for n in (1, 2):
    a = spikes(os.path.join(run_dir("neuron", n), "big-cell-spikes.txt"))
    b = spikes(os.path.join(run_dir("ranvier", n), "big-cell-spikes.txt"))
    d = max((abs(x - y) for x, y in zip(a, b)), default=0.0)
    d10 = max((abs(x - y) for x, y in zip(a[:10], b[:10])), default=0.0)
    good = len(a) == len(b) and d <= 0.025 + 1e-9
    ok = ok and good
    print("- soma spikes, %d thread%s: NEURON %d, Ranvier %d; max |t_NEURON - t_Ranvier| = %.3g ms (first 10: %.3g ms) — %s" % (
        n, "s" if n > 1 else "", len(a), len(b), d, d10, "agree" if good else "DISAGREE"))
    worst, text = trace_diff(os.path.join(run_dir("neuron", n), "big-cell.csv"), os.path.join(run_dir("ranvier", n), "big-cell.csv"))
    print("  traces NEURON vs Ranvier, max |difference| per column (mV, mM): %s" % text)
same = open(os.path.join(run_dir("ranvier", 1), "big-cell-spikes.txt")).read() == open(os.path.join(run_dir("ranvier", 2), "big-cell-spikes.txt")).read()
ok = ok and same
worst, text = trace_diff(os.path.join(run_dir("ranvier", 1), "big-cell.csv"), os.path.join(run_dir("ranvier", 2), "big-cell.csv"))
print("- Ranvier 1 vs 2 threads: spike files identical: %s; max |dv| per column: %s" % ("yes" if same else "NO", text))
worst, text = trace_diff(os.path.join(run_dir("neuron", 1), "big-cell.csv"), os.path.join(run_dir("neuron", 2), "big-cell.csv"))
nsame = spikes(os.path.join(run_dir("neuron", 1), "big-cell-spikes.txt")) == spikes(os.path.join(run_dir("neuron", 2), "big-cell-spikes.txt"))
print("- NEURON 1 vs 2 threads: spike times identical: %s; max |dv| per column: %s" % ("yes" if nsame else "no", text))
with open(os.path.join(tmp, "checks-ok"), "w") as f:
    f.write("yes" if ok else "no")
print("""
Notes: NEURON's time is h.finitialize + pc.psolve(tstop) with cvode.cache_efficient(1) and the
Vector.record/NetCon recorders of the model's [[record]]s; its 2-thread split is NEURON's own
(parcom.hoc ParallelComputeTool.multisplit: LoadBalance pieces, pc.multisplit). Ranvier's time is
the "simulated in" of its summary (initialise + steps, streaming the traces to disk); with 2
threads its split_cells = "auto" cuts the cell. Spike times: NEURON's t as accumulated (%.17g),
Ranvier's with 3 decimals.""")
EOF
} > "$TMP/report.txt" || rc=$?
if [[ -f $TMP/report.txt ]]; then cp "$TMP/report.txt" "$OUT"; cat "$OUT"; fi
[[ $rc == 0 && $(cat "$TMP/checks-ok" 2>/dev/null) == yes ]] || rc=1
echo "run-split-bench: wrote ${OUT#"$ROOT"/}$([[ $rc == 0 ]] || echo ' (FAILED: see above)')" >&2
exit $rc
