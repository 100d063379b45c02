#!/usr/bin/env bash
# Runs mechc over every distinct .mod file under a directory and tallies the outcomes:
# how many lower to kernels (or, with --jit, compile through the JIT), and the first
# error of the others, grouped by message. For surveys of real-world files such as
# ModelDB's (docs/modeldb-survey.md); the files themselves are not part of the project.
#   scripts/mod-corpus-survey.sh DIR [--jit] [--mechc PATH]   > survey.tsv (and a summary on stderr)
# Each file is checked from its own directory (INCLUDE resolves as nocmodl's would);
# MODL_INCLUDE is honoured. Two files at a time; 60 s at most each.
set -euo pipefail
dir=${1:?usage: mod-corpus-survey.sh DIR [--jit] [--mechc PATH]}
shift
mode=--emit-kernels
mechc=$(cd "$(dirname "$0")/.." && pwd)/build/tools/mechc/mechc
while [[ $# -gt 0 ]]; do
  case $1 in
    --jit) mode="--jit --no-cache"; shift ;;
    --mechc) mechc=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x $mechc ]] || { echo "no mechc at $mechc (build first, or give --mechc)" >&2; exit 2; }
export mechc mode
one() {
  local f=$1 out rc
  out=$(cd "$(dirname "$f")" && timeout 60 $mechc $mode --color never "$(basename "$f")" 2>&1 >/dev/null) && rc=0 || rc=$?
  printf '%s\t%s\t%s\n' "$rc" "$f" "$(grep -m1 'error:' <<<"$out" | sed 's/^[^:]*:[0-9]*:[0-9]*: error: //' | cut -c1-160)"
}
export -f one
results=$(mktemp)
trap 'rm -f "$results"' EXIT
find "$dir" -name '*.mod' -type f -print0 | xargs -0 sha1sum | sort | awk '!seen[$1]++ { $1 = ""; sub(/^ /, ""); print }' |
  tr '\n' '\0' | xargs -0 -P 2 -I{} bash -c 'one "$@"' _ {} > "$results"
cat "$results"
{
  echo "files: $(wc -l < "$results")"
  cut -f1 "$results" | sort | uniq -c | awk '{ printf "  exit %s: %s\n", $2, $1 }'
  echo "first errors (names and numbers folded):"
  awk -F'\t' '$1 != 0 { print $3 }' "$results" | sed -E "s/'[^']*'/'X'/g; s/[0-9]+/N/g" | sort | uniq -c | sort -rn | head -30
} >&2
