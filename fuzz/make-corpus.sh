#!/usr/bin/env bash
# Builds the seed corpus for the fuzzers: every .mod file of mechanisms/ and
# tests/mod/ (recursively), copied flat into a work directory (default
# fuzz/corpus-work/, git-ignored). The fuzzer adds its own finds there.
#
#   fuzz/make-corpus.sh [WORKDIR]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-$root/fuzz/corpus-work}
mkdir -p "$work"

count=0
while IFS= read -r -d '' mod; do
  rel=${mod#"$root"/}
  cp -- "$mod" "$work/seed-${rel//\//_}"
  count=$((count + 1))
done < <(find "$root/mechanisms" "$root/tests/mod" -type f -name '*.mod' -print0 2>/dev/null | sort -z)

echo "copied $count seed files into $work"
