#!/usr/bin/env bash
# Regenerates tests/golden/kernels/*.txt: what `mechc --emit-kernels` prints for
# representative mechanisms. Run from anywhere after building; review the diff.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mechc=${MECHC:-$root/build/tools/mechc/mechc}
cd "$root"
mkdir -p tests/golden/kernels
for source in mechanisms/hh.mod mechanisms/expsyn.mod tests/mod/kernels/capool_di.mod \
              tests/mod/kernels/na_kinetic.mod tests/mod/kernels/pulse_gen.mod tests/mod/kernels/cabuf_kin.mod; do
  name=$(basename "$source" .mod)
  "$mechc" --emit-kernels "$source" > "tests/golden/kernels/$name.txt"
done
echo "wrote $(ls tests/golden/kernels | wc -l) files to tests/golden/kernels"
