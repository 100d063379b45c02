#!/usr/bin/env bash
# Sets up (Debian 12, as root), builds, and runs the flagship example: check every
# mechanism in our library with mechc, then compile the ones the JIT can take to SIMD
# machine code (twice: the second time from the on-disk cache).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target mechc
build/tools/mechc/mechc --check --verbose mechanisms/*.mod
# NetStim needs random numbers, which the middle end does not lower yet.
compiled=$(ls mechanisms/*.mod | grep -v netstim.mod)
cache=$(mktemp -d)
build/tools/mechc/mechc --jit --cache-dir "$cache" $compiled
build/tools/mechc/mechc --jit --cache-dir "$cache" $compiled
rm -rf "$cache"
