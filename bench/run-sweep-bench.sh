#!/usr/bin/env bash
# Sweep benchmark: the 625-run sweep of examples/liu-sweep/sweep.toml (Liu et al. 1998
# neuron, CaS x ACurrent maximal conductances, 11 s per run at dt 0.1 ms, the second half
# measured) with `ranvier sweep`:
#   2 threads and 1 thread   the sweep engine: chunks of sets as populations of the cell,
#                            SIMD lanes across parameter sets;
#   one at a time            --chunk 1 --threads 1: every set built and simulated alone,
#                            as 625 ordinary single-cell runs would be (in one process, so
#                            compiling and process start-up are not counted against it).
# Speed is simulated seconds per wall second over all runs ("x real time"), from the
# summary's "in X s" (building and simulating every chunk; compiling excluded: the
# mechanism cache is warmed first). Medians of REPEAT (default 3; the one-at-a-time run
# once). Checks that all three give byte-identical CSVs (a set's result does not depend
# on the chunk it runs in). Writes bench/results/sweep-bench.txt. About 2 minutes.
#   bench/run-sweep-bench.sh
#   RANVIER=/path/to/ranvier REPEAT=1 bench/run-sweep-bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANVIER=${RANVIER:-$ROOT/build-rt/tools/ranvier/ranvier}
REPEAT=${REPEAT:-3}
SPEC=$ROOT/examples/liu-sweep/sweep.toml
OUT=$ROOT/bench/results/sweep-bench.txt
[[ -x $RANVIER ]] || { echo "run-sweep-bench: $RANVIER is missing; build it first" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CACHE=$TMP/cache
"$RANVIER" run "$ROOT/examples/liu/liu.toml" --tstop 1 -q --cache-dir "$CACHE" -o "$TMP"

seconds() { sed -nE 's/^ranvier: [0-9]+ runs of [0-9.]+ ms in ([0-9.]+) s.*/\1/p' "$1"; }
speed() { sed -nE 's/.*\(([0-9]+)x real time.*/\1/p' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for rep in $(seq 1 "$REPEAT"); do
  for threads in 2 1; do
    "$RANVIER" sweep "$SPEC" --threads "$threads" --cache-dir "$CACHE" --out "$TMP/sweep-$threads.csv" > "$TMP/log-$threads-$rep" 2>&1 || { cat "$TMP/log-$threads-$rep" >&2; exit 1; }
    echo "  $(cat "$TMP/log-$threads-$rep")" >&2
    seconds "$TMP/log-$threads-$rep" >> "$TMP/seconds-$threads"
  done
done
"$RANVIER" sweep "$SPEC" --threads 1 --chunk 1 --cache-dir "$CACHE" --out "$TMP/sweep-alone.csv" > "$TMP/log-alone" 2>&1 || { cat "$TMP/log-alone" >&2; exit 1; }
echo "  $(cat "$TMP/log-alone")" >&2
seconds "$TMP/log-alone" > "$TMP/seconds-alone"

same=yes
cmp -s "$TMP/sweep-1.csv" "$TMP/sweep-2.csv" || same=no
cmp -s "$TMP/sweep-1.csv" "$TMP/sweep-alone.csv" || same=no
simulated=6875  # s: 625 runs x 11 s
s2=$(median < "$TMP/seconds-2"); s1=$(median < "$TMP/seconds-1"); sa=$(cat "$TMP/seconds-alone")
{
  echo "Sweep benchmark: examples/liu-sweep/sweep.toml, 625 runs x 11 s (dt 0.1 ms), $(date -u +%F)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "medians of $REPEAT (one-at-a-time: 1 run)"
  printf '%-28s %10s %14s\n' "" "wall (s)" "x real time"
  printf '%-28s %10.3f %14.0f\n' "sweep, 2 threads" "$s2" "$(echo "$simulated / $s2" | bc -l)"
  printf '%-28s %10.3f %14.0f\n' "sweep, 1 thread" "$s1" "$(echo "$simulated / $s1" | bc -l)"
  printf '%-28s %10.3f %14.0f\n' "one at a time, 1 thread" "$sa" "$(echo "$simulated / $sa" | bc -l)"
  printf 'sweep 1 thread vs one at a time: %.2fx; 2 threads vs 1: %.2fx; target 10000x real time with 2 threads\n' \
    "$(echo "$sa / $s1" | bc -l)" "$(echo "$s1 / $s2" | bc -l)"
  echo "CSV identical for 2 threads, 1 thread and one at a time: $same"
} | tee "$OUT"
[[ $same == yes ]]
