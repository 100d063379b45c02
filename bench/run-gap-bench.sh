#!/usr/bin/env bash
# Gap-junction benchmark: the "gap ring" of examples/gap-junction/ring.toml (N hh
# single-compartment cells in a ring, each joined to both neighbours by a pair of Gaps,
# mechanisms/gap.mod, whose POINTER vgap reads the neighbour's v; an IClamp on cell 0; dt
# 0.025 ms, tstop $TSTOP ms) in Ranvier and in NEURON 8.2.2, in one script run.
#
# The model is generated into a temp dir by scripts/make_gap_ring.py from N, G, AMP and TSTOP
# (with the defaults it is examples/gap-junction/ring.toml, which the report checks), and
# NEURON builds the same with bench/neuron/gap_ring.py (h.setpointer for each Gap; a
# threshold-0 NetCon at each soma(0.5)). Both record the spikes of every cell, nothing else.
#
# Times, each run $REPEAT times (NEURON and Ranvier alternating, one process at a time):
#   NEURON  sim      h.finitialize + a Python loop of tstop/dt h.fadvance() (perf_counter);
#           write    Vector.to_python + writing the spike file;
#           process  /usr/bin/python3 start to exit (import neuron, loading the gap.mod library
#                    built once, untimed, in the warm-up; set-up, sim, write).
#   Ranvier sim      the "simulated in X s" of its summary line (initialise + step loop; not
#                    model load or mechanism cache load), with one thread and with $THREADS (2):
#                    with 2, the cells are split over the threads in gid order and the Gaps at
#                    the boundaries read a copy of the other thread's v made each step;
#           process  ranvier start to exit with a warm mechanism cache (a private cache dir,
#                    warmed by an untimed short run; every timed run must report 0 compiled).
# One untimed short NEURON run first, too (page cache, Python imports). NEURON runs in an
# empty directory. Summary statistic: the median of the runs (the minimum beside it).
# Checks that both produce the same spikes (per cell: the same count, times within 0.5e-3 ms,
# as Ranvier writes 3 decimals), and that Ranvier's spike files with 1 and 2 threads are
# byte-identical; exits 1 if not.
#
# Writes bench/results/gap-bench.txt and prints it. About 3 s on a 2.1 GHz Xeon.
#
#   bench/run-gap-bench.sh
#   REPEAT=5 TSTOP=2000 bench/run-gap-bench.sh
#   N=200 G=0.02 AMP=0.3 bench/run-gap-bench.sh     # another ring (not the committed example)
#   N=1000 OUT=bench/results/gap-bench-1000.txt bench/run-gap-bench.sh
#   MPIEXEC= bench/run-gap-bench.sh                  # without the 2-rank configuration
#   RANVIER=/path/to/ranvier bench/run-gap-bench.sh   # default build-rt/tools/ranvier/ranvier
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANVIER=${RANVIER:-$ROOT/build-rt/tools/ranvier/ranvier}
PY=${PY:-/usr/bin/python3}   # Debian's NEURON imports only here (see the NEURON notes)
REPEAT=${REPEAT:-3}
TSTOP=${TSTOP:-500}          # ms
N=${N:-100}                  # cells
G=${G:-0.01}                 # uS, each Gap
AMP=${AMP:-0.3}              # nA, IClamp on cell 0 from 5 ms
THREADS=${THREADS:-2}        # Ranvier's second configuration
# The third: 2 MPI ranks of one thread each, when MPICH's mpiexec is there (MPIEXEC= skips it)
MPIEXEC=${MPIEXEC-$(command -v mpiexec.mpich || true)}
EXAMPLE=$ROOT/examples/gap-junction/ring.toml
GEN=$ROOT/scripts/make_gap_ring.py
NRN_SCRIPT=$ROOT/bench/neuron/gap_ring.py
OUT=${OUT:-$ROOT/bench/results/gap-bench.txt}
export PYTHONDONTWRITEBYTECODE=1

if [[ ! -x $RANVIER ]]; then
  echo "run-gap-bench: $RANVIER is missing; build it first (cmake --build build-rt --target ranvier)" >&2
  exit 2
fi
if ! (cd / && "$PY" -c 'import neuron') 2>/dev/null; then
  echo "run-gap-bench: $PY cannot import neuron (needs Debian's python3-neuron)" >&2
  exit 2
fi
(( REPEAT >= 1 )) || { echo "run-gap-bench: REPEAT must be >= 1" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CACHE=$TMP/cache
MECH=$TMP/nrnmech            # gap.mod built by nrnivmodl (the warm-up run builds it)
EMPTY=$TMP/empty             # NEURON's working directory
mkdir -p "$EMPTY"

MODEL=$TMP/ring.toml
"$PY" "$GEN" -n "$N" -g "$G" --amp "$AMP" --tstop "$TSTOP" -o "$MODEL"
# The same ring as the committed example? (comments and tstop aside)
strip() { grep -v -e '^#' -e '^tstop = ' "$1" | sed -E 's/[[:space:]]+#.*$//'; }
if [[ -f $EXAMPLE ]] && cmp -s <(strip "$MODEL") <(strip "$EXAMPLE"); then SAME_EXAMPLE=yes; else SAME_EXAMPLE=no; fi
NRN_ARGS=(-n "$N" -g "$G" --amp "$AMP" --mech-dir "$MECH")

RAW=$TMP/raw.tsv   # tool  quantity  repeat  seconds
: > "$RAW"
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

run_neuron() {  # run_neuron REP DIR
  local rep=$1 dir=$2
  local log=$TMP/neuron-$rep.log t0 t1 line
  t0=$(now)
  (cd "$EMPTY" && "$PY" "$NRN_SCRIPT" "${NRN_ARGS[@]}" --tstop "$TSTOP" -o "$dir") > "$log" 2>&1
  t1=$(now)
  line=$(grep '^neuron: sim' "$log") || { cat "$log" >&2; exit 1; }
  printf 'neuron\tsim\t%s\t%s\n' "$rep" "$(sed -E 's/^neuron: sim ([0-9.]+) s.*/\1/' <<<"$line")" >> "$RAW"
  printf 'neuron\twrite\t%s\t%s\n' "$rep" "$(sed -E 's/.*; write ([0-9.]+) s.*/\1/' <<<"$line")" >> "$RAW"
  printf 'neuron\tprocess\t%s\t%s\n' "$rep" "$(secs "$t0" "$t1")" >> "$RAW"
  echo "  neuron  #$rep: $line; process $(secs "$t0" "$t1") s" >&2
}

run_ranvier() {  # run_ranvier REP DIR THREADS KEY [LAUNCHER...]
  local rep=$1 dir=$2 threads=$3 key=$4
  shift 4
  local log=$TMP/$key-$rep.log t0 t1 line compiled
  t0=$(now)
  "$@" "$RANVIER" run "$MODEL" --tstop "$TSTOP" --threads "$threads" --cache-dir "$CACHE" -o "$dir" > "$log" 2>&1
  t1=$(now)
  line=$(grep '^ranvier: .* simulated in' "$log") || { cat "$log" >&2; exit 1; }
  compiled=$(sed -E 's/.* with ([0-9]+) compiled.*/\1/' <<<"$line")
  if [[ $compiled != 0 ]]; then
    echo "run-gap-bench: the cache was not warm ($compiled compiled): $line" >&2; exit 1
  fi
  printf '%s\tsim\t%s\t%s\n' "$key" "$rep" "$(sed -E 's/.* simulated in ([0-9.]+) s.*/\1/' <<<"$line")" >> "$RAW"
  printf '%s\tinprocess\t%s\t%s\n' "$key" "$rep" "$(sed -E 's/.*; total ([0-9.]+) s .*/\1/' <<<"$line")" >> "$RAW"
  printf '%s\tprocess\t%s\t%s\n' "$key" "$rep" "$(secs "$t0" "$t1")" >> "$RAW"
  echo "  $key #$rep: $(sed -E 's/^(ranvier: .* simulated in [0-9.]+ s).*/\1/' <<<"$line") ($* $threads thread(s)); process $(secs "$t0" "$t1") s" >&2
}

LOAD_START=$(load_average)
START=$(now)

echo "run-gap-bench: warming up (Ranvier cache, NEURON's gap.mod build and imports)" >&2
"$RANVIER" run "$MODEL" --tstop 10 --cache-dir "$CACHE" -o "$TMP/warm" > "$TMP/warm-ranvier.log" 2>&1 \
  || { cat "$TMP/warm-ranvier.log" >&2; exit 1; }
(cd "$EMPTY" && "$PY" "$NRN_SCRIPT" "${NRN_ARGS[@]}" --tstop 10 -o "$TMP/warm") > "$TMP/warm-neuron.log" 2>&1 \
  || { cat "$TMP/warm-neuron.log" >&2; exit 1; }

echo "run-gap-bench: $REPEAT x (NEURON, Ranvier 1 thread, Ranvier $THREADS threads)" >&2
for (( rep = 1; rep <= REPEAT; rep++ )); do
  run_neuron "$rep" "$TMP/neuron-$rep"
  run_ranvier "$rep" "$TMP/ranvier-$rep" 1 ranvier
  run_ranvier "$rep" "$TMP/ranvierN-$rep" "$THREADS" ranvierN
  if [[ -n $MPIEXEC ]]; then run_ranvier "$rep" "$TMP/ranvierM-$rep" 1 ranvierM "$MPIEXEC" -n 2; fi
done
LOAD_END=$(load_average)
ELAPSED=$(secs "$START" "$(now)")

# Determinism across repeats: spike files must be byte-identical run to run.
same_runs=yes
for (( rep = 2; rep <= REPEAT; rep++ )); do
  for tool in neuron ranvier ranvierN; do
    cmp -s "$TMP/$tool-1/gap-ring-spikes.txt" "$TMP/$tool-$rep/gap-ring-spikes.txt" || same_runs=no
  done
done
# Threads change nothing: Ranvier's spike files with 1 and $THREADS threads are the same bytes.
same_threads=yes
for (( rep = 1; rep <= REPEAT; rep++ )); do
  cmp -s "$TMP/ranvier-$rep/gap-ring-spikes.txt" "$TMP/ranvierN-$rep/gap-ring-spikes.txt" || same_threads=no
  if [[ -n $MPIEXEC ]]; then cmp -s "$TMP/ranvier-$rep/gap-ring-spikes.txt" "$TMP/ranvierM-$rep/gap-ring-spikes.txt" || same_threads=no; fi
done
# What Ranvier says besides its summary (e.g. about the POINTER cells on thread 0), once.
RANVIER_NOTES=$(cat "$TMP/ranvier-1.log" "$TMP/ranvierN-1.log" | grep -v -e '^ranvier: .* simulated in' | sed -E "s|$TMP/||g" | sort -u || true)
RANVIER_THREADS_LINE=$(grep '^ranvier: .* simulated in' "$TMP/ranvierN-1.log" | sed -E 's/.*connection\(s\), //; s/;.*//')
RANVIER_MPI_LINE=$([[ -n $MPIEXEC ]] && grep '^ranvier: .* simulated in' "$TMP/ranvierM-1.log" | sed -E 's/.*(on rank 0: [^;]*);.*/\1/' || true)

COMMIT=$(commit_id compiler runtime tools mechanisms)

mkdir -p "$(dirname "$OUT")"
rc=0
export RAW TMP REPEAT TSTOP N G AMP THREADS LOAD_START LOAD_END ELAPSED same_runs same_threads SAME_EXAMPLE RANVIER_NOTES RANVIER_THREADS_LINE RANVIER_MPI_LINE MPIEXEC
{
  echo "# Ranvier vs NEURON: gap-junction ring (examples/gap-junction/ring.toml) — $(date -u +%FT%TZ)"
  echo
  report_setup "$LOAD_START" "$LOAD_END" "; gap.mod built by nrnivmodl" "$EMPTY" "$COMMIT"
  echo "- Model: $N cells in a ring, each a soma (L = diam = 20 um, nseg 1, cm 1, hh defaults, usetable on)" \
       "with two Gaps (mechanisms/gap.mod, g $G uS) at soma(0.5), their POINTER vgap at the v of the next" \
       "and of the previous cell ($(( 2 * N )) Gaps, $(( 2 * N )) POINTERs); IClamp on cell 0, $AMP nA from 5 ms;" \
       "threshold-0 spike detection at every soma(0.5); celsius 6.3, v_init -65, fixed dt 0.025 ms," \
       "tstop $TSTOP ms ($(( TSTOP * 40 )) steps); NEURON one thread, Ranvier one and $THREADS"
  echo "- Ranvier's model: scripts/make_gap_ring.py -n $N -g $G --amp $AMP --tstop $TSTOP; the same ring as" \
       "examples/gap-junction/ring.toml (comments and tstop aside): $SAME_EXAMPLE"
  echo "- $REPEAT runs of each; NEURON, Ranvier and Ranvier with $THREADS threads take turns, one process at a time; statistic: median (min in brackets)."
  echo "  Script run time ${ELAPSED} s."
  "$PY" - <<'EOF'
import os, statistics

raw = {}
for line in open(os.environ["RAW"]):
    tool, what, rep, s = line.split("\t")
    raw.setdefault((tool, what), []).append(float(s))
med = {k: statistics.median(v) for k, v in raw.items()}
low = {k: min(v) for k, v in raw.items()}

def cell(k):
    return "%.3f (%.3f)" % (med[k], low[k]) if k in med else "—"

print("""
## Seconds

| | NEURON | Ranvier | Ranvier, %s threads | Ranvier, 2 MPI ranks |
|---|---:|---:|---:|---:|""" % os.environ["THREADS"])
rows = [
    ("simulation (NEURON: finitialize + fadvance loop; Ranvier: its summary)", "sim", "sim"),
    ("NEURON: writing the spikes (to_python + file)", "write", None),
    ("Ranvier: in-process total (load model, cache load, sim, write)", None, "inprocess"),
    ("whole process, start to exit", "process", "process"),
]
for label, nk, rk in rows:
    print("| %s | %s | %s | %s | %s |" % (label, cell(("neuron", nk)), cell(("ranvier", rk)), cell(("ranvierN", rk)), cell(("ranvierM", rk))))

print("""
## NEURON / Ranvier (speed-up; medians)
""")
print("- simulation: NEURON sim / Ranvier sim = %.2f" % (med[("neuron", "sim")] / med[("ranvier", "sim")]))
print("- end to end: NEURON process / Ranvier process = %.2f" %
      (med[("neuron", "process")] / med[("ranvier", "process")]))
print("- simulation, Ranvier with %s threads: NEURON sim / Ranvier sim = %.2f; Ranvier 1 thread / %s threads = %.2f" % (
    os.environ["THREADS"], med[("neuron", "sim")] / med[("ranvierN", "sim")], os.environ["THREADS"],
    med[("ranvier", "sim")] / med[("ranvierN", "sim")]))
print("  (Ranvier's summary: %s)" % os.environ["RANVIER_THREADS_LINE"])
if ("ranvierM", "sim") in med:
    print("- simulation, Ranvier on 2 MPI ranks (rank 0's time; %s): NEURON sim / Ranvier sim = %.2f; Ranvier 1 process / 2 ranks = %.2f" % (
        os.environ["MPIEXEC"], med[("neuron", "sim")] / med[("ranvierM", "sim")], med[("ranvier", "sim")] / med[("ranvierM", "sim")]))
    print("  (Ranvier's summary: %s)" % os.environ["RANVIER_MPI_LINE"])
steps = int(os.environ["TSTOP"]) * 40
print("\nPer step (median sim / %d steps): NEURON %.1f us, Ranvier %.1f us, Ranvier with %s threads %.1f us." % (
    steps, med[("neuron", "sim")] / steps * 1e6, med[("ranvier", "sim")] / steps * 1e6, os.environ["THREADS"],
    med[("ranvierN", "sim")] / steps * 1e6))

# --- same work? -----------------------------------------------------------------
tmp, rep, n = os.environ["TMP"], os.environ["REPEAT"], int(os.environ["N"])
def spikes(path):
    out = {}
    for line in open(path):
        t, gid = line.split()
        out.setdefault(int(gid), []).append(float(t))
    return out
ns = spikes(os.path.join(tmp, "neuron-%s" % rep, "gap-ring-spikes.txt"))
rs = spikes(os.path.join(tmp, "ranvier-%s" % rep, "gap-ring-spikes.txt"))
total_n, total_r = sum(map(len, ns.values())), sum(map(len, rs.values()))
bad = [g for g in sorted(set(ns) | set(rs)) if len(ns.get(g, [])) != len(rs.get(g, []))]
worst, at = 0.0, None
for g in ns:
    for a, b in zip(ns[g], rs.get(g, [])):
        if abs(a - b) > worst:
            worst, at = abs(a - b), (g, b)
ok = not bad and total_n > 0 and worst <= 0.5e-3   # Ranvier prints 3 decimals; a step is 0.025 ms
first = min((ts[0], g) for g, ts in rs.items()) if rs else None
last_first = max((ts[0], g) for g, ts in rs.items()) if rs else None
print("\n## Same work?\n")
print("- spikes: NEURON %d, Ranvier %d; cells spiking: NEURON %d, Ranvier %d of %d; cells whose counts differ: %s" % (
    total_n, total_r, len(ns), len(rs), n, ", ".join(map(str, bad[:10])) + (" ..." if len(bad) > 10 else "") if bad else "none"))
print("- max |t_NEURON - t_Ranvier| over matching spikes of each cell = %.3g ms%s — %s" % (
    worst, " (cell %d, t = %g ms)" % at if at else "", "same" if ok else "DIFFERENT"))
if first and last_first:
    print("- spread (Ranvier): first spike cell %d at %g ms; the last cell to fire its first spike, cell %d, at %g ms;"
          " spikes per cell %d to %d" % (first[1], first[0], last_first[1], last_first[0],
                                         min(map(len, rs.values())), max(map(len, rs.values()))))
print("- spike files identical across the %s runs of each simulator: %s" % (rep, os.environ["same_runs"]))
print("- Ranvier's spike files with 1 and %s threads%s identical: %s" % (
    os.environ["THREADS"], " and on 2 MPI ranks" if os.environ["MPIEXEC"] else "", os.environ["same_threads"]))
with open(os.path.join(tmp, "spikes-ok"), "w") as f:
    f.write("yes" if ok and os.environ["same_threads"] == "yes" else "no")
print("- Ranvier writes spike times with 3 decimals; NEURON's NetCon times are step ends plus 1e-10 ms"
      " with t accumulated (t_end != tstop by ~1e-10 ms), hence differences of ~1e-10 ms.")
notes = os.environ.get("RANVIER_NOTES", "").strip()
if notes:
    print("- Ranvier also printed (once per run):")
    for line in notes.splitlines():
        print("  > " + line)
print("""
Notes: NEURON's sim is h.finitialize(-65) plus a Python loop of h.fadvance() (one per step);
building gap.mod (once, in the warm-up), set-up and output are outside it, and NEURON's write
is timed separately. Ranvier's sim covers initialise + the step loop, including passing the
spikes to its spike file writer as it goes (the file is finished after it), not model load
or the mechanism cache load; it is printed in steps of 0.001 s (about 2% of the 0.05 s a 500 ms run takes).
Whole-process times: python start (import neuron, nrn_load_dll of the gap.mod built in the
warm-up) to exit; ranvier start to exit with a warm mechanism cache (every timed run
reported 0 compiled). NEURON runs one thread: its POINTERs cannot cross threads safely (a
thread would read a v that another is changing); NEURON's way across threads and ranks,
ParallelContext source_var/target_var, is another model and not measured here. Ranvier's
threads meet once per step to hand over the voltages: with few cells per thread the
meeting costs about as much as the work it splits.""")
EOF
} > "$TMP/report.txt" || rc=$?
if [[ -f $TMP/report.txt ]]; then cp "$TMP/report.txt" "$OUT"; cat "$OUT"; fi
[[ $rc == 0 && $(cat "$TMP/spikes-ok" 2>/dev/null) == yes ]] || rc=1
echo "run-gap-bench: wrote ${OUT#"$ROOT"/}$([[ $rc == 0 ]] || echo ' (FAILED: see above)')" >&2
exit $rc
