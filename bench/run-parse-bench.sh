#!/usr/bin/env bash
# Parse benchmark: builds a Release tree (build-bench/), then
#   1. parse_bench: in-process parse + AST build (cold, warm median, warm p90);
#   2. whole process: `mechc --check FILE` vs NEURON's `nocmodl FILE` on the same
#      files, median of $RUNS runs each (hyperfine if installed, else a date loop).
# Writes a markdown report to stdout and to bench/results/parse-YYYY-MM-DD.md.
#
#   3. instructions executed (valgrind's callgrind), which machine load does not move.
# Needs hyperfine and jq for (2) (else a slower date loop), valgrind for (3).
#
#   bench/run-parse-bench.sh              # RUNS=50 PARSE_RUNS=200 by default
#   RUNS=100 PARSE_RUNS=500 bench/run-parse-bench.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
RUNS=${RUNS:-50}              # whole-process runs per tool and file (at least 30)
PARSE_RUNS=${PARSE_RUNS:-200} # warm in-process runs per file
DEMO_DIR=${DEMO_DIR:-/usr/share/nrn/demo/release}
TARGET_BYTES=5120             # "a realistic 5 KB mechanism"
OUT=$ROOT/bench/results/parse-$(date +%F).md

if (( RUNS < 30 )); then echo "run-parse-bench: RUNS must be >= 30" >&2; exit 2; fi

# --- build ------------------------------------------------------------------
if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$BUILD" --target parse_bench mechc >&2
PARSE_BENCH=$BUILD/bench/parse_bench
MECHC=$BUILD/tools/mechc/mechc
NOCMODL=$(command -v nocmodl || true)

# --- file selection ---------------------------------------------------------
largest() { ls -S "$1"/*.mod 2>/dev/null | head -n 1; }
candidates=("$ROOT/mechanisms/hh.mod" "$(largest "$ROOT/mechanisms")"
            "$(largest "$ROOT/tests/mod/constructs")")
for f in "$DEMO_DIR"/*.mod; do [[ -f $f ]] && candidates+=("$f"); done
# The real file closest to 5 KB among every .mod available.
closest=$(for f in "$ROOT"/mechanisms/*.mod "$ROOT"/tests/mod/constructs/*.mod "$DEMO_DIR"/*.mod; do
            [[ -f $f ]] || continue
            s=$(stat -c %s "$f"); d=$(( s > TARGET_BYTES ? s - TARGET_BYTES : TARGET_BYTES - s ))
            echo "$d $f"
          done | sort -n | head -n 1 | cut -d' ' -f2-)
candidates+=("$closest")
files=()
declare -A seen=()
for f in "${candidates[@]}"; do
  [[ -n $f && -z ${seen[$f]:-} ]] || continue
  seen[$f]=1; files+=("$f")
done

rel() { local p=$1; p=${p#"$ROOT"/}; echo "${p#/usr/share/nrn/}"; }

# Copies in a temp dir: nocmodl writes FILE.c next to its input, and both tools
# then read the very same bytes.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
copies=()
for i in "${!files[@]}"; do
  c=$TMP/$(printf '%02d' "$i")_$(basename "${files[$i]}")
  cp "${files[$i]}" "$c"; copies+=("$c")
done

median_ms() {  # median_ms CMD...  (fallback when hyperfine is missing)
  local i t0 t1
  for (( i = 0; i < RUNS; i++ )); do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    echo $(( t1 - t0 ))
  done | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m / 1e6 }'
}

report() {
  local status=0
  echo "# Ranvier parse benchmark — $(date +%F)"
  echo
  echo "- Host: $(uname -srm), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs"
  echo "- mechc: $("$MECHC" --version 2>&1 | head -n1), Release build ($(rel "$BUILD"))"
  echo "- nocmodl: ${NOCMODL:-not found} $([[ -n $NOCMODL ]] && "$NOCMODL" --version 2>&1 | head -n1)"
  echo "- Timer: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'date +%s%N loop'), $RUNS runs per tool and file; parse_bench $PARSE_RUNS warm runs"
  echo "- Closest real file to 5 KB: $(rel "$closest") ($(stat -c %s "$closest") bytes); hh.mod is $(stat -c %s "$ROOT/mechanisms/hh.mod") bytes"
  echo
  echo "## In-process parse + AST build (parse_bench)"
  echo
  # Run from the temp dir on the copies, then show the original names.
  local pb
  pb=$(cd "$TMP" && "$PARSE_BENCH" --runs "$PARSE_RUNS" "${copies[@]##*/}" 2>"$TMP/parse_bench.err") || status=1
  for i in "${!files[@]}"; do
    pb=${pb//"| ${copies[$i]##*/} |"/"| $(rel "${files[$i]}") |"}
  done
  echo "$pb" | sed -n '/^|/p'
  echo; echo "$pb" | sed -n '/^(KB/p'
  if [[ -s $TMP/parse_bench.err ]]; then
    echo; echo '```'; cat "$TMP/parse_bench.err"; echo '```'
  fi
  echo
  echo "## Whole process: \`mechc --check FILE\` vs \`nocmodl FILE\` (median of $RUNS)"
  echo
  echo "| file | bytes | mechc ms | nocmodl ms | nocmodl/mechc |"
  echo "|---|---:|---:|---:|---:|"
  for i in "${!files[@]}"; do
    local f=${copies[$i]} name bytes m n ratio mok=1 nok=1
    name=$(rel "${files[$i]}"); bytes=$(stat -c %s "$f")
    (cd "$TMP" && "$MECHC" --check "$f" >/dev/null 2>&1) || { mok=0; status=1; }
    if [[ -n $NOCMODL ]]; then
      (cd "$TMP" && "$NOCMODL" "$f" >/dev/null 2>&1) || { nok=0; status=1; }
    else nok=0; fi
    m="FAILED"; n=$([[ -n $NOCMODL ]] && echo FAILED || echo n/a)
    if command -v hyperfine >/dev/null; then
      local args=()
      (( mok )) && args+=(-n mechc "$MECHC --check $f")
      (( nok )) && args+=(-n nocmodl "$NOCMODL $f")
      if (( ${#args[@]} )); then
        (cd "$TMP" && hyperfine -N --style none --warmup 3 --runs "$RUNS" \
           --export-json "$TMP/h.json" "${args[@]}" >/dev/null 2>&1)
        (( mok )) && m=$(jq -r '.results[] | select(.command=="mechc") | .median' "$TMP/h.json" | awk '{ printf "%.3f", $1 * 1000 }')
        (( nok )) && n=$(jq -r '.results[] | select(.command=="nocmodl") | .median' "$TMP/h.json" | awk '{ printf "%.3f", $1 * 1000 }')
      fi
    else
      (( mok )) && m=$(cd "$TMP" && median_ms "$MECHC" --check "$f")
      (( nok )) && n=$(cd "$TMP" && median_ms "$NOCMODL" "$f")
    fi
    if (( mok && nok )); then ratio=$(awk -v a="$n" -v b="$m" 'BEGIN { printf "%.2f", a / b }'); else ratio="—"; fi
    echo "| $name | $bytes | $m | $n | $ratio |"
  done
  echo
  echo "Ratio > 1: mechc is faster than nocmodl. nocmodl also writes C; mechc --check parses, checks and solves (lowers) but generates no code."
  if command -v valgrind >/dev/null && [[ -n $NOCMODL ]]; then
    instructions() { (cd "$TMP" && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null) |
                       awk '/Collected/ { print $4 }'; }
    echo
    echo "## Instructions executed (callgrind: repeatable whatever the machine's load)"
    echo
    echo "| what | mechc | nocmodl | nocmodl/mechc |"
    echo "|---|---:|---:|---:|"
    for f in "$closest" "$ROOT/mechanisms/hh.mod"; do
      local c=$TMP/ic_$(basename "$f"); cp "$f" "$c"
      local m n; m=$(instructions "$MECHC" --check "$c"); n=$(instructions "$NOCMODL" "$c")
      echo "| $(rel "$f"), one process each | $m | $n | $(awk -v a="$n" -v b="$m" 'BEGIN { printf "%.2f", a / b }') |"
    done
    local lib=() total=0 f m
    for f in "$ROOT"/mechanisms/*.mod; do cp "$f" "$TMP/lib_$(basename "$f")"; lib+=("lib_$(basename "$f")"); done
    m=$(instructions "$MECHC" --check "${lib[@]}")
    for f in "${lib[@]}"; do total=$(( total + $(instructions "$NOCMODL" "$f") )); done
    echo "| the ${#lib[@]} files of mechanisms/: one mechc process vs one nocmodl run per file | $m | $total | $(awk -v a="$total" -v b="$m" 'BEGIN { printf "%.2f", a / b }') |"
  fi
  return $status
}

mkdir -p "$(dirname "$OUT")"
rc=0
report | tee "$OUT" || rc=$?
echo "run-parse-bench: wrote $(rel "$OUT")" >&2
exit $rc
