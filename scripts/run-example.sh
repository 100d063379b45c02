#!/usr/bin/env bash
# Sets up (Debian 12, as root), builds, and runs the flagship example: check every
# mechanism in our library with mechc, then compile them all to SIMD machine code with
# the JIT (twice: the second time from the on-disk cache).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target mechc
build/tools/mechc/mechc --check --verbose mechanisms/*.mod
cache=$(mktemp -d)
build/tools/mechc/mechc --jit --cache-dir "$cache" mechanisms/*.mod
build/tools/mechc/mechc --jit --cache-dir "$cache" mechanisms/*.mod
rm -rf "$cache"
