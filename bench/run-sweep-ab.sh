#!/usr/bin/env bash
# A/B benchmark of two ranvier builds on the tabulated Liu sweep (examples/liu-sweep/
# sweep-tab.toml, 625 runs x 11 s, dt 0.1 ms) with exact and fast kernels, 2 threads and
# 1, the builds taking turns (a busy moment of the shared machine hits both alike).
# For changes that run-sweep-bench.sh's BASELINE row (the exact configuration only)
# cannot show. Checks that both builds write byte-identical CSVs. Medians of REPEAT.
#   OLD=/path/to/old/ranvier NEW=build-rt/tools/ranvier/ranvier bench/run-sweep-ab.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=${OLD:?OLD=path of the baseline ranvier}
NEW=${NEW:-$ROOT/build/tools/ranvier/ranvier}
REPEAT=${REPEAT:-3}
OUT=${OUT:-$ROOT/bench/results/sweep-ab.txt}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SPEC=$ROOT/examples/liu-sweep/sweep-tab.toml
for b in OLD NEW; do  # warm each build's own cache
  for k in exact fast; do "${!b}" sweep "$SPEC" --kernels "$k" --threads 2 -q --cache-dir "$TMP/cache-$b" --out "$TMP/warm.csv"; done
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for rep in $(seq 1 "$REPEAT"); do
  for k in exact fast; do
    for t in 2 1; do
      for b in OLD NEW; do
        "${!b}" sweep "$SPEC" --kernels "$k" --threads "$t" --cache-dir "$TMP/cache-$b" --out "$TMP/$b-$k-$t.csv" > "$TMP/log"
        sed -nE 's/^ranvier: [0-9]+ runs of [0-9.]+ ms in ([0-9.]+) s.*/\1/p' "$TMP/log" >> "$TMP/seconds-$b-$k-$t"
      done
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
same=yes
{
  echo "Sweep A/B: examples/liu-sweep/sweep-tab.toml (625 runs x 11 s), $(date -u +%F), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "OLD $OLD"
  echo "NEW $NEW"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $load_start at the start, $load_end at the end"
  echo "medians of $REPEAT; x real time = 6875 simulated s / wall s"
  printf '%-10s %-8s %18s %18s %8s %s\n' kernels threads "OLD s (x)" "NEW s (x)" "NEW/OLD" "CSV"
  for k in exact fast; do
    for t in 2 1; do
      o=$(median < "$TMP/seconds-OLD-$k-$t"); n=$(median < "$TMP/seconds-NEW-$k-$t")
      csv=$(cmp -s "$TMP/OLD-$k-$t.csv" "$TMP/NEW-$k-$t.csv" && echo identical || { same=no; echo DIFFERENT; })
      printf '%-10s %-8s %9.3f (%6.0f) %9.3f (%6.0f) %7.2fx %s\n' "tab-$k" "$t" "$o" "$(echo "6875 / $o" | bc -l)" "$n" "$(echo "6875 / $n" | bc -l)" \
        "$(echo "$o / $n" | bc -l)" "$csv"
    done
  done
} | tee "$OUT"
[[ $same == yes ]]
