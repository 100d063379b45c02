#!/usr/bin/env bash
# Sets up (Debian 12, as root), builds, and runs the flagship example: a 1 cm
# Hodgkin–Huxley axon with 1000 segments driven at one end, simulated for one second
# with NEURON's numerics (examples/hh-cable/cable.toml). ranvier JIT-compiles hh and
# IClamp to SIMD code, simulates, writes the voltage traces and spike times, and
# prints a summary; the spike times at the far end are shown below it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target ranvier mechc
build/tools/mechc/mechc --check mechanisms/*.mod
out=$(mktemp -d)
build/tools/ranvier/ranvier run examples/hh-cable/cable.toml -o "$out"
echo "first spikes reaching the far end (ms):"
awk -F'\t' '$2 == "0.9995" { printf "  %s\n", $1 }' "$out/cable-spikes.txt" | head -5
echo "traces: $out/cable.csv"
