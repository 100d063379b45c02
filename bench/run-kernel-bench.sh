#!/usr/bin/env bash
# Kernel benchmark: builds a Release tree (build-bench/), then runs kernel_bench:
#   1. mechanisms/hh.mod -> callable kernels through the JIT, cold and from the cache;
#   2. ns per instance-step of hh's state and current kernels, JIT against a
#      hand-written C++ reference (g++ -O3 -march=native), 1e3, 1e5, 1e6 instances;
#   3. this machine's limits on one core: exp and division throughput, triad bandwidth.
# Writes the report (markdown tables, then machine-readable `data,...` lines) to stdout
# and to bench/results/kernel-bench.txt. About a minute; run it on a quiet machine.
#
#   bench/run-kernel-bench.sh
#   bench/run-kernel-bench.sh --instances 1000,1000000 --repeat 9   # kernel_bench options
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
OUT=$ROOT/bench/results/kernel-bench.txt

# --- build ------------------------------------------------------------------
if [[ ! -f $BUILD/build.ninja ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$BUILD" --target kernel_bench >&2

# --- run --------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
rc=0
{
  echo "<!-- $(date -u +%FT%TZ), $(uname -srm), $(nproc) CPUs," \
       "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
         git -C "$ROOT" diff --quiet HEAD -- compiler runtime 2>/dev/null || echo ' with uncommitted changes in compiler/ or runtime/') -->"
  "$BUILD/bench/kernel_bench" "$@"
} | tee "$OUT" || rc=$?  # pipefail: kernel_bench's status
echo "run-kernel-bench: wrote ${OUT#"$ROOT"/}" >&2
exit $rc
