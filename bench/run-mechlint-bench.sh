#!/usr/bin/env bash
# mechlint --check over 1 000 mechanism files on one core, side by side with what
# NEURON's mkthreadsafe does per file (run nocmodl and read its notices).
#   bash bench/run-mechlint-bench.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
N=${N:-1000}
if [[ ! -f $BUILD/build.ninja ]]; then cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2; fi
cmake --build "$BUILD" --target mechlint >&2
MECHLINT=$BUILD/tools/mechlint/mechlint

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
sources=("$ROOT"/mechanisms/*.mod "$ROOT"/tests/mod/constructs/*.mod /usr/share/nrn/demo/release/*.mod)
for (( i = 0; i < N; i++ )); do cp "${sources[i % ${#sources[@]}]}" "$WORK/m$i.mod"; done
cp -r "$ROOT"/tests/mod/constructs/inc "$WORK/"
bytes=$(cat "$WORK"/*.mod | wc -c)

cd "$WORK"
echo "# mechlint --check over $N files ($bytes bytes), one core — $(date +%F)"
echo
hyperfine -N --warmup 1 --runs 10 --style none --export-json "$WORK/m.json" -i \
  "taskset -c 0 $MECHLINT --check --format json" >/dev/null
mechlint_s=$(jq '.results[0].mean' "$WORK/m.json")
echo "| command | mean s (one core) | per file ms |"
echo "|---|---:|---:|"
awk -v t="$mechlint_s" -v n="$N" 'BEGIN { printf "| mechlint --check --format json | %.3f | %.3f |\n", t, 1000 * t / n }'
if command -v nocmodl >/dev/null; then
  loop="for f in m*.mod; do nocmodl \$f > /dev/null 2>&1; done"
  hyperfine --runs 2 --style none --export-json "$WORK/n.json" -i "taskset -c 0 bash -c '$loop'" >/dev/null
  nocmodl_s=$(jq '.results[0].mean' "$WORK/n.json")
  awk -v t="$nocmodl_s" -v n="$N" 'BEGIN { printf "| nocmodl on each file (what mkthreadsafe runs) | %.3f | %.3f |\n", t, 1000 * t / n }'
  echo
  awk -v a="$nocmodl_s" -v b="$mechlint_s" 'BEGIN { printf "mechlint is %.1fx faster than running nocmodl per file.\n", a / b }'
fi
