#!/bin/bash
# Build and run the hand-written Liu-sweep bound (liu_bound.cpp) in several configurations,
# pinned to core 1, 5 runs each; prints the median (and min) time and the accuracy against
# the engine's reference CSV.
#   bench/experiments/liu_bound/run.sh [ref.csv] [runs]
# Builds in $OUT (default /tmp/liu_bound_build), never in the repository.
set -euo pipefail
SRC="$(cd "$(dirname "$0")" && pwd)/liu_bound.cpp"
REF="${1:-/tmp/liu-tab-ref.csv}"
RUNS="${2:-5}"
OUT="${OUT:-/tmp/liu_bound_build}"
CPU="${CPU:-1}"
mkdir -p "$OUT"
CLANG="${CLANG:-clang++-14}"   # clang++-16 is not installed on this machine (only LLVM 16 libraries)
GCC="${GCC:-g++-12}"
FLAGS="-std=c++20 -O3 -march=native -mprefer-vector-width=512 -ffp-contract=fast -fopenmp-simd"

configs=(
  "clang-double-tab|$CLANG|-DREAL=double"
  "clang-float-tab|$CLANG|-DREAL=float"
  "clang-float-tab-pairs|$CLANG|-DREAL=float -DPAIRS=1"
  "clang-double-tab-numg|$CLANG|-DREAL=double -DNUMG=1"
  "gcc-double-tab|$GCC|-DREAL=double"
  "gcc-float-tab|$GCC|-DREAL=float"
  "clang-double-notab|$CLANG|-DREAL=double -DNOTAB=1"
  "clang-float-notab|$CLANG|-DREAL=float -DNOTAB=1"
)
# `ENGINE=1 run.sh ...`: the engine-feature variants instead (README, "Where the engine loses")
if [[ "${ENGINE:-0}" == 1 ]]; then
  E="-DREAL=double -DSPLIT=1 -DCOLS=1 -DBLENDS=1 -DNODES3=1 -DNUMG=1"
  configs=(
    "base|$CLANG|-DREAL=double"
    "split32|$CLANG|-DREAL=double -DSPLIT=1"
    "split216|$CLANG|-DREAL=double -DSPLIT=1 -DBLOCK=216"
    "split216-scratch|$CLANG|-DREAL=double -DSPLIT=1 -DSCRATCH=1 -DBLOCK=216"
    "cols|$CLANG|-DREAL=double -DCOLS=1"
    "blends|$CLANG|-DREAL=double -DBLENDS=1"
    "nodes3|$CLANG|-DREAL=double -DNODES3=1"
    "numg|$CLANG|-DREAL=double -DNUMG=1"
    "eng32|$CLANG|$E"
    "eng216|$CLANG|$E -DBLOCK=216"
    "engk216|$CLANG|$E -DBLOCK=216 -DKERNELS=1"
    "engk216-nodemis|$CLANG|$E -DBLOCK=216 -DKERNELS=1 -DNODEMIS=1"
    "engk216-cur|$CLANG|$E -DBLOCK=216 -DKERNELS=1 -DENGCUR=1 -DSCRATCH=1"
    "engk209al-all|$CLANG|$E -DBLOCK=209 -DALIGNB=1 -DKERNELS=1 -DNODEMIS=1 -DENGCUR=1 -DSCRATCH=1"
    "engk216-misalign|$CLANG|$E -DBLOCK=216 -DKERNELS=1 -DMISALIGN=1"
    "engk216-pad1|$CLANG|$E -DBLOCK=216 -DKERNELS=1 -DPADB=1"
    "engk209|$CLANG|$E -DBLOCK=209 -DKERNELS=1"
  )
fi

printf "%-24s %8s %8s %10s %12s  %s\n" config median_s min_s ns/c-step "xRT(2thr)" "accuracy vs $REF"
for c in "${configs[@]}"; do
  IFS='|' read -r name cxx defs <<< "$c"
  exe="$OUT/$name"
  # shellcheck disable=SC2086
  $cxx $FLAGS $defs -o "$exe" "$SRC"
  $cxx $FLAGS $defs -S -o "$exe.s" "$SRC"
  times=()
  acc=""
  for ((k = 0; k < RUNS; ++k)); do
    res=$(taskset -c "$CPU" "$exe" "$REF" "$exe.csv")
    times+=("$(echo "$res" | awk '/^time/ {print $2}')")
    acc=$(echo "$res" | sed -n 's/^vs ref: //p')
  done
  sorted=$(printf "%s\n" "${times[@]}" | sort -g)
  med=$(echo "$sorted" | sed -n "$(((RUNS + 1) / 2))p")
  min=$(echo "$sorted" | head -1)
  ns=$(awk -v t="$med" 'BEGIN { printf "%.2f", t / (625 * 110000) * 1e9 }')
  xrt=$(awk -v t="$med" 'BEGIN { printf "%.0f", 2 * 625 * 11 / t }')
  printf "%-24s %8.3f %8.3f %10s %12s  %s\n" "$name" "$med" "$min" "$ns" "$xrt" "$acc"
  # the vector loop of run_steps_nomeasure: instructions, gathers, divisions
  python3 - "$exe.s" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().split('\n')
# the function body
start = next((i for i, l in enumerate(lines) if re.match(r'^_Z19run_steps_nomeasure\S*:', l)), None)
if start is None: sys.exit(0)
end = next(i for i in range(start, len(lines)) if '.cfi_endproc' in lines[i])
body = lines[start:end]
best = None
for i, l in enumerate(body):
    m = re.match(r'^(\.LBB\S+):', l)
    if not m: continue
    lab = m.group(1)
    for j in range(i + 1, len(body)):
        if re.search(r'\bj\w+\s+' + re.escape(lab) + r'\s*$', body[j]):
            ins = [x for x in body[i + 1:j + 1] if x.startswith('\t') and not x.startswith('\t.') and not x.strip().startswith('#')]
            if best is None or len(ins) > len(best): best = ins
            break
if best:
    n = len(best)
    g = sum('gather' in x for x in best)
    d = sum(re.search(r'\tvdiv', x) is not None for x in best)
    z = sum('zmm' in x for x in best)
    sp = sum('Spill' in x or 'Reload' in x for x in best)
    print(f"    hot loop: {n} instructions per vector iteration, {z} with zmm, {g} gathers, {d} divisions, {sp} spills/reloads")
EOF
done
