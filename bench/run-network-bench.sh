#!/usr/bin/env bash
# Network benchmark: examples/network/net.toml (1000 ball-and-stick hh cells, 100 000
# NetCons, dt 0.025 ms, 1000 ms) in Ranvier and in NEURON 8.2.2, with 1 and 2 threads
# each, in one script run.
#
# Times (each run $REPEAT times, one process at a time, tools alternating):
#   NEURON   run_s of bench/neuron/network_bench.py: pc.psolve(tstop) after
#            finitialize, with pc.nthread(N) (set-up and building the network excluded);
#   Ranvier  the "simulated in X s" of `ranvier run --threads N`: initialisation and all
#            steps, spikes streamed to a file (building and compiling excluded; the
#            mechanism cache is warmed first).
# Summary statistic: the median (minimum beside it). Reports the ratios NEURON/Ranvier
# per thread count and Ranvier 1 thread / 2 threads, and Ranvier's load balance and
# waiting time. Checks that Ranvier's spike files for 1 and 2 threads are identical and
# compares them with NEURON's (same gids and times for the first 200 ms; the whole run
# is reported). Exits 1 when Ranvier's 1- and 2-thread spikes differ.
#
# Writes bench/results/network-bench.txt and prints it. A few minutes.
#
#   bench/run-network-bench.sh
#   REPEAT=1 bench/run-network-bench.sh
#   RANVIER=/path/to/ranvier bench/run-network-bench.sh   # default build-rt/tools/ranvier/ranvier
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANVIER=${RANVIER:-$ROOT/build-rt/tools/ranvier/ranvier}
PY=${PY:-/usr/bin/python3}
REPEAT=${REPEAT:-3}
TSTOP=${TSTOP:-1000}
MODEL=$ROOT/examples/network/net.toml
NRN_SCRIPT=$ROOT/bench/neuron/network_bench.py
OUT=$ROOT/bench/results/network-bench.txt

[[ -x $RANVIER ]] || { echo "run-network-bench: $RANVIER is missing; build it first (cmake --build build-rt --target ranvier)" >&2; exit 2; }
"$PY" -c 'import neuron' 2>/dev/null || { echo "run-network-bench: $PY cannot import neuron (needs Debian's python3-neuron)" >&2; exit 2; }
(( REPEAT >= 1 )) || { echo "run-network-bench: REPEAT must be >= 1" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CACHE=$TMP/cache
RAW=$TMP/raw.tsv   # tool threads repeat seconds
: > "$RAW"

"$RANVIER" run "$MODEL" --tstop 1 -q --cache-dir "$CACHE" -o "$TMP" --spikes "$TMP/warm.txt"

for rep in $(seq 1 "$REPEAT"); do
  for threads in 1 2; do
    log=$TMP/neuron-$threads-$rep.log
    "$PY" "$NRN_SCRIPT" --nthread "$threads" --tstop "$TSTOP" --spikes "$TMP/neuron-$threads.spk" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
    line=$(grep '^neuron ' "$log") || { cat "$log" >&2; exit 1; }
    printf 'neuron\t%s\t%s\t%s\n' "$threads" "$rep" "$(sed -E 's/.*run_s=([0-9.]+).*/\1/' <<<"$line")" >> "$RAW"
    echo "  $line" >&2

    log=$TMP/ranvier-$threads-$rep.log
    "$RANVIER" run "$MODEL" --tstop "$TSTOP" --threads "$threads" --cache-dir "$CACHE" -o "$TMP" --spikes "$TMP/ranvier-$threads.spk" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
    line=$(grep '^ranvier: ' "$log")
    grep -q ' 0 compiled' <<<"$line" || { echo "run-network-bench: a timed run compiled mechanisms" >&2; exit 1; }
    printf 'ranvier\t%s\t%s\t%s\n' "$threads" "$rep" "$(sed -E 's/.*simulated in ([0-9.]+) s.*/\1/' <<<"$line")" >> "$RAW"
    if [[ $threads == 2 ]]; then
      sed -E 's/.*\(load balance ([0-9.]+), waiting ([0-9.]+) s per thread\).*/\1 \2/' <<<"$line" >> "$TMP/balance.txt"
    fi
    echo "  $line" >&2
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -1; }
stat() { awk -F'\t' -v t="$1" -v n="$2" '$1 == t && $2 == n { print $4 }' "$RAW" | "$3"; }

same=yes
cmp -s "$TMP/ranvier-1.spk" "$TMP/ranvier-2.spk" || same=no
# NEURON's spikes vs ours: gids and times (ours have 3 decimals).
compare=$("$PY" "$ROOT/bench/neuron/compare_spikes.py" "$TMP/neuron-1.spk" "$TMP/ranvier-1.spk")

{
  echo "# bench/run-network-bench.sh: examples/network/net.toml, $TSTOP ms, dt 0.025 ms ($(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'))"
  echo "# median (min) of $REPEAT run(s); seconds of simulation (building the network excluded)"
  printf '%-10s %18s %18s %12s\n' threads "NEURON 8.2.2" "Ranvier" "NEURON/Ranvier"
  for threads in 1 2; do
    n=$(stat neuron "$threads" median); nmin=$(stat neuron "$threads" minimum)
    r=$(stat ranvier "$threads" median); rmin=$(stat ranvier "$threads" minimum)
    printf '%-10s %10s (%5s) %10s (%5s) %12s\n' "$threads" "$n" "$nmin" "$r" "$rmin" "$(awk -v a="$n" -v b="$r" 'BEGIN { printf "%.2fx", a / b }')"
  done
  r1=$(stat ranvier 1 median); r2=$(stat ranvier 2 median)
  n1=$(stat neuron 1 median); n2=$(stat neuron 2 median)
  echo "Ranvier 2 threads vs 1: $(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.2fx", a / b }');  NEURON 2 threads vs 1: $(awk -v a="$n1" -v b="$n2" 'BEGIN { printf "%.2fx", a / b }')"
  echo "Ranvier 2 threads: load balance and waiting per thread (s), per run: $(tr '\n' ';' < "$TMP/balance.txt")"
  echo "Ranvier spikes, 1 vs 2 threads identical: $same"
  echo "NEURON vs Ranvier spikes (1 thread): $compare"
} | tee "$OUT"
[[ $same == yes ]]
