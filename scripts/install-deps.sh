#!/usr/bin/env bash
# Installs the Debian 12 packages Ranvier needs. Idempotent and non-interactive; run as root.
#   scripts/install-deps.sh          what the build and the test suite need
#   scripts/install-deps.sh --dev    also the benchmark and fuzzing tools (hyperfine,
#                                    jq, valgrind, clang with libFuzzer)
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config
  antlr4 libantlr4-runtime-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libgtest-dev
  llvm-16-dev libtomlplusplus-dev mpich libmpich-dev
)
# NEURON 8.2.2 (translator, Python module) and BlueBrain NMODL: the reference for
# golden data, and the .mod corpus the parser tests run over.
reference_packages=(neuron neuron-dev python3-neuron nmodl python3-nmodl)
# Heat maps of sweeps (scripts/sweep_heatmap.py).
plot_packages=(python3-matplotlib)

dev_packages=(hyperfine jq valgrind clang libclang-rt-14-dev)

packages=("${build_packages[@]}" "${reference_packages[@]}" "${plot_packages[@]}")
if [ "${1:-}" = "--dev" ]; then
  packages+=("${dev_packages[@]}")
elif [ -n "${1:-}" ]; then
  echo "install-deps: unknown option '$1' (only --dev)" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
