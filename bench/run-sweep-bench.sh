#!/usr/bin/env bash
# Sweep benchmark: the 625-run sweep of examples/liu-sweep (Liu et al. 1998 neuron, CaS x
# ACurrent maximal conductances, 11 s per run at dt 0.1 ms, the second half measured)
# with `ranvier sweep`, in four configurations side by side:
#   exact           mechanisms/liu (cnexp, analytic rates), exact kernels (IEEE; NEURON's
#                   results to round-off): sweep.toml --kernels exact
#   fast            the same mechanisms, fast kernels (reciprocals, FMA, inline exp)
#   tab-exact       mechanisms/liu-tab (tabulated rates and exp(-dt/tau), NEURON's classic
#                   hh.mod way), exact kernels: sweep-tab.toml --kernels exact
#   tab-fast        tabulated mechanisms, fast kernels
# each run as
#   2 threads and 1 thread   the sweep engine: chunks of sets as populations of the cell,
#                            SIMD lanes across parameter sets;
#   one at a time            --chunk 1 --threads 1: every set built and simulated alone,
#                            as 625 ordinary single-cell runs would be (in one process, so
#                            compiling and process start-up are not counted against it).
# NEURON 8.2.2 runs the same sweep side by side (bench/neuron/liu_sweep.py; NEURON=0 leaves
# it out), with the same .mod files built by nrnivmodl:
#   neuron          mechanisms/liu, all 625 cells in one simulation, pc.nthread(2 or 1),
#                   pc.psolve: what the exact and fast configurations are compared with;
#   neuron-tab      mechanisms/liu-tab the same way: what tab-exact and tab-fast are
#                   compared with;
#   one at a time   one cell, every NEURON_EVERY-th set (default 25: 25 sets) run one
#                   after another; its speed is per simulated second, its seconds are
#                   scaled to 625 sets.
# NEURON's spike counts (NetCon, threshold 0, after the transient) are compared set by set
# with Ranvier's `spikes` column: exact against neuron, tab-exact against neuron-tab.
# Speed is simulated seconds per wall second over all runs ("x real time"), from the
# summary's "in X s" (building and simulating every chunk; compiling excluded: the
# mechanism cache is warmed first). Medians of REPEAT (default 3; one at a time: once).
# Checks that, within each configuration, 2 threads, 1 thread and one at a time give
# byte-identical CSVs, and measures what fast kernels and tables cost in accuracy against
# the exact configuration (scripts/compare_sweeps.py: class changes, relative change of
# burst period, spikes per burst, firing rate). Writes bench/results/sweep-bench.txt.
# About 15 minutes, 4 of them NEURON (ALONE=0: no one-at-a-time runs, about 6 minutes). The machine is
# shared: the load average at the start and at the end is recorded with the results.
# BASELINE=/path/to/an/older/ranvier adds a row "baseline": that build's default
# (exact) sweep under the same conditions, for a before/after comparison; its CSV must
# equal the exact configuration's.
#   bench/run-sweep-bench.sh
#   RANVIER=/path/to/ranvier REPEAT=5 ALONE=0 bench/run-sweep-bench.sh
#   BASELINE=/tmp/old/build/tools/ranvier/ranvier bench/run-sweep-bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANVIER=${RANVIER:-$ROOT/build/tools/ranvier/ranvier}
REPEAT=${REPEAT:-3}
ALONE=${ALONE:-1}
OUT=$ROOT/bench/results/sweep-bench.txt
[[ -x $RANVIER ]] || { echo "run-sweep-bench: $RANVIER is missing; build it first" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CACHE=$TMP/cache
CONFIGS=(exact fast tab-exact tab-fast)
BASELINE=${BASELINE:-}
NEURON=${NEURON:-1}
NEURON_EVERY=${NEURON_EVERY:-25}
PY=${PY:-/usr/bin/python3}   # Debian's NEURON imports only here (see the NEURON notes)
if [[ $NEURON == 1 ]] && ! "$PY" -c 'import neuron' 2>/dev/null; then
  echo "run-sweep-bench: $PY cannot import neuron (needs Debian's python3-neuron); NEURON=0 runs without it" >&2; exit 2
fi
NRN_CONFIGS=()
[[ $NEURON == 1 ]] && NRN_CONFIGS=(neuron neuron-tab)
if [[ -n $BASELINE ]]; then
  [[ -x $BASELINE ]] || { echo "run-sweep-bench: $BASELINE is missing" >&2; exit 2; }
  CONFIGS=(baseline "${CONFIGS[@]}")
  "$BASELINE" run "$ROOT/examples/liu/liu.toml" --tstop 1 -q --cache-dir "$TMP/cache-baseline" -o "$TMP"
fi
spec() { case $1 in tab-*) echo "$ROOT/examples/liu-sweep/sweep-tab.toml" ;; *) echo "$ROOT/examples/liu-sweep/sweep.toml" ;; esac; }
kernels() { case $1 in *fast) echo fast ;; *) echo exact ;; esac; }
for model in liu liu-tab; do  # warm the cache: every mechanism of both sets, both kernels
  for k in exact fast; do
    "$RANVIER" run "$ROOT/examples/liu/$model.toml" --tstop 1 --kernels "$k" -q --cache-dir "$CACHE" -o "$TMP"
  done
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

seconds() { sed -nE 's/^ranvier: [0-9]+ runs of [0-9.]+ ms in ([0-9.]+) s.*/\1/p' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
neuron_mechanisms() { case $1 in neuron) echo liu ;; neuron-tab) echo liu-tab ;; esac; }
run_neuron() {  # config, threads, output tag [liu_sweep.py options]: NEURON's seconds
  local config=$1 threads=$2 tag=$3
  shift 3
  "$PY" "$ROOT/bench/neuron/liu_sweep.py" --sets "$TMP/exact-2.csv" --mechanisms "$(neuron_mechanisms "$config")" \
    --threads "$threads" --out "$TMP/$config-$tag.csv" "$@" > "$TMP/log" 2>&1 || { cat "$TMP/log" >&2; exit 1; }
  local line
  line=$(grep '^neuron: sim' "$TMP/log") || { cat "$TMP/log" >&2; exit 1; }
  echo "  $config $tag: $line" >&2
  sed -E 's/^neuron: sim ([0-9.]+) s.*/\1/' <<<"$line"
}
run() {  # config, threads, chunk ("" = default), output tag
  local extra=()
  [[ -n $3 ]] && extra=(--chunk "$3")
  if [[ $1 == baseline ]]; then
    "$BASELINE" sweep "$(spec "$1")" --threads "$2" "${extra[@]}" --cache-dir "$TMP/cache-baseline" \
      --out "$TMP/$1-$4.csv" > "$TMP/log" 2>&1 || { cat "$TMP/log" >&2; exit 1; }
  else
    "$RANVIER" sweep "$(spec "$1")" --kernels "$(kernels "$1")" --threads "$2" "${extra[@]}" --cache-dir "$CACHE" \
      --out "$TMP/$1-$4.csv" > "$TMP/log" 2>&1 || { cat "$TMP/log" >&2; exit 1; }
  fi
  echo "  $1 $4: $(cat "$TMP/log")" >&2
  seconds "$TMP/log"
}

for rep in $(seq 1 "$REPEAT"); do  # configurations take turns: a busy moment hits them alike
  for c in "${CONFIGS[@]}"; do
    run "$c" 2 "" 2 >> "$TMP/seconds-$c-2"
    run "$c" 1 "" 1 >> "$TMP/seconds-$c-1"
  done
  for c in "${NRN_CONFIGS[@]}"; do  # after the exact runs, whose CSV gives the sets
    run_neuron "$c" 2 2 >> "$TMP/seconds-$c-2"
    run_neuron "$c" 1 1 >> "$TMP/seconds-$c-1"
  done
done
if [[ $ALONE == 1 ]]; then
  for c in "${CONFIGS[@]}"; do run "$c" 1 1 alone > "$TMP/seconds-$c-alone"; done
  for c in "${NRN_CONFIGS[@]}"; do  # every NEURON_EVERY-th set, scaled to all 625
    s=$(run_neuron "$c" 1 alone --mode alone --every "$NEURON_EVERY")
    n=$(( (625 + NEURON_EVERY - 1) / NEURON_EVERY ))
    echo "$s * 625 / $n" | bc -l > "$TMP/seconds-$c-alone"
  done
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

same=yes
for c in "${CONFIGS[@]}"; do
  cmp -s "$TMP/$c-1.csv" "$TMP/$c-2.csv" || same=no
  if [[ $ALONE == 1 ]]; then cmp -s "$TMP/$c-1.csv" "$TMP/$c-alone.csv" || same=no; fi
done
simulated=6875  # s: 625 runs x 11 s
spikes_agree() {  # Ranvier config, NEURON csv tag: "K of N sets"
  python3 - "$TMP/$1-2.csv" "$TMP/$2.csv" <<'PY'
import csv, sys
ours = {r["run"]: r["spikes"] for r in csv.DictReader(open(sys.argv[1]))}
theirs = {r["run"]: r["spikes"] for r in csv.DictReader(open(sys.argv[2]))}
same = sum(1 for run, n in theirs.items() if ours.get(run) == n)
print("%d of %d sets" % (same, len(theirs)))
PY
}
speed() { [[ -n $1 ]] && echo "$simulated / $1" | bc -l || echo 0; }
{
  echo "Sweep benchmark: examples/liu-sweep (625 runs x 11 s, dt 0.1 ms), $(date -u +%F), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $load_start at the start, $load_end at the end (the machine is shared)"
  echo "medians of $REPEAT (one at a time: 1 run); x real time = simulated seconds of all runs per wall second"
  printf '%-10s %-13s %-7s %22s %22s %22s\n' "" "mechanisms" "kernels" "2 threads: s (x)" "1 thread: s (x)" "one at a time: s (x)"
  for c in "${CONFIGS[@]}" "${NRN_CONFIGS[@]}"; do
    s2=$(median < "$TMP/seconds-$c-2"); s1=$(median < "$TMP/seconds-$c-1")
    sa=$([[ -f $TMP/seconds-$c-alone ]] && cat "$TMP/seconds-$c-alone" || echo "")
    printf '%-10s %-13s %-7s %12.3f (%6.0f) %12.3f (%6.0f) ' "$c" "$([[ $c == *tab* ]] && echo liu-tab || echo liu)" \
      "$(case $c in baseline) echo "(old)" ;; neuron*) echo NEURON ;; *) kernels "$c" ;; esac)" \
      "$s2" "$(speed "$s2")" "$s1" "$(speed "$s1")"
    if [[ -n $sa ]]; then printf '%12.3f (%6.0f)\n' "$sa" "$(speed "$sa")"; else printf '%22s\n' "-"; fi
  done
  e2=$(median < "$TMP/seconds-exact-2")
  for c in fast tab-exact tab-fast; do
    printf '%s vs exact, 2 threads: %.2fx\n' "$c" "$(echo "$e2 / $(median < "$TMP/seconds-$c-2")" | bc -l)"
  done
  if [[ -n $BASELINE ]]; then
    b2=$(median < "$TMP/seconds-baseline-2"); b1=$(median < "$TMP/seconds-baseline-1")
    for c in exact fast tab-exact tab-fast; do
      printf '%s vs baseline: %.2fx (2 threads), %.2fx (1 thread)\n' "$c" "$(echo "$b2 / $(median < "$TMP/seconds-$c-2")" | bc -l)" \
        "$(echo "$b1 / $(median < "$TMP/seconds-$c-1")" | bc -l)"
    done
    echo "baseline CSV identical to exact: $(cmp -s "$TMP/baseline-1.csv" "$TMP/exact-1.csv" && echo yes || echo no)"
  fi
  if [[ $NEURON == 1 ]]; then
    echo "Ranvier vs NEURON 8.2.2 (the same .mod files; time ratio NEURON / Ranvier):"
    for c in exact fast tab-exact tab-fast; do
      n=$([[ $c == tab-* ]] && echo neuron-tab || echo neuron)
      printf '  %-9s vs %-10s  %6.2fx (2 threads)  %6.2fx (1 thread)' "$c" "$n" \
        "$(echo "$(median < "$TMP/seconds-$n-2") / $(median < "$TMP/seconds-$c-2")" | bc -l)" \
        "$(echo "$(median < "$TMP/seconds-$n-1") / $(median < "$TMP/seconds-$c-1")" | bc -l)"
      if [[ $ALONE == 1 ]]; then
        printf '  %6.2fx (one at a time)' "$(echo "$(cat "$TMP/seconds-$n-alone") / $(cat "$TMP/seconds-$c-alone")" | bc -l)"
      fi
      echo
    done
    echo "NEURON one at a time: every ${NEURON_EVERY}th set ($(( (625 + NEURON_EVERY - 1) / NEURON_EVERY )) sets), seconds scaled to 625"
    echo "Spike counts (after the transient) equal to NEURON's, set by set: $(spikes_agree exact neuron-2) (exact vs neuron), $(spikes_agree tab-exact neuron-tab-2) (tab-exact vs neuron-tab)"
  fi
  printf '2 threads vs 1: %s\n' "$(for c in "${CONFIGS[@]}" "${NRN_CONFIGS[@]}"; do printf '%s %.2fx  ' "$c" "$(echo "$(median < "$TMP/seconds-$c-1") / $(median < "$TMP/seconds-$c-2")" | bc -l)"; done)"
  echo "target: 10000x real time with 2 threads"
  echo "CSV identical within each configuration for 2 threads, 1 thread$([[ $ALONE == 1 ]] && echo " and one at a time" || true): $same"
  echo
  echo "Accuracy against the exact configuration (scripts/compare_sweeps.py; relative change |x - exact| / |exact| over the sets where both are defined):"
  python3 "$ROOT/scripts/compare_sweeps.py" "$TMP/exact-1.csv" "$TMP/fast-1.csv" "$TMP/tab-exact-1.csv" "$TMP/tab-fast-1.csv" \
    --labels fast,tab-exact,tab-fast --markdown
} | tee "$OUT"
[[ $same == yes ]]
