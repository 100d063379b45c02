#!/usr/bin/env bash
# Distributed runs under MPICH's mpiexec (one machine): the spike files of the ring and
# of the 1000-cell network with 2 and 3 ranks, and 2 ranks x 2 threads, must be
# byte-identical to the single-process run's; a rank that fails while loading the model
# must end the job, with a message naming the rank, within seconds.
#   tests/mpi/mpi_runs.sh RANVIER MPIEXEC SOURCE_DIR
set -euo pipefail
RANVIER=$1 MPIEXEC=$2 SRC=$3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

check() {  # check MODEL TSTOP
  local model=$1 tstop=$2 name
  name=$(basename "$model" .toml)
  "$RANVIER" run "$model" --tstop "$tstop" -q -o "$TMP" --cache-dir "$TMP/cache" --threads 1 --spikes "$TMP/$name-single.txt"
  [[ -s $TMP/$name-single.txt ]] || fail "$name: no spikes in the single-process run"
  for run in "2 1" "3 1" "2 2"; do
    set -- $run
    timeout 300 "$MPIEXEC" -n "$1" "$RANVIER" run "$model" --tstop "$tstop" -q -o "$TMP" --cache-dir "$TMP/cache" --threads "$2" \
      --spikes "$TMP/$name-$1x$2.txt" || fail "$name: mpiexec -n $1 with $2 thread(s) failed"
    cmp "$TMP/$name-single.txt" "$TMP/$name-$1x$2.txt" || fail "$name: $1 rank(s) x $2 thread(s) differ from the single process"
    echo "ok: $name, $1 rank(s) x $2 thread(s): $(wc -l < "$TMP/$name-single.txt") spikes, identical"
  done
}
check "$SRC/examples/ring/ring.toml" 100
check "$SRC/examples/network/net.toml" 200

# A parameter error that only the rank owning ring[1] (rank 1 of 2) can see.
{ cat "$SRC/examples/ring/ring.toml"; printf '\n[[point]]\nname = "probe"\nmechanism = "IClamp"\nat = "ring[1].soma(0.5)"\nampp = 1\n'; } > "$TMP/bad.toml"
grep -q 'ampp' "$TMP/bad.toml" || fail "could not make the bad model"
start=$(date +%s)
set +e
timeout 60 "$MPIEXEC" -n 2 "$RANVIER" run "$TMP/bad.toml" -q -o "$TMP" --cache-dir "$TMP/cache" > "$TMP/bad.log" 2>&1
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
[[ $status -ne 0 ]] || fail "a failing rank did not fail the job"
[[ $status -ne 124 ]] || fail "a failing rank left the job hanging"
grep -q 'rank 1 of 2' "$TMP/bad.log" || { cat "$TMP/bad.log" >&2; fail "the message does not name the rank"; }
grep -q "no parameter 'ampp'" "$TMP/bad.log" || { cat "$TMP/bad.log" >&2; fail "the message does not say what is wrong"; }
(( elapsed < 30 )) || fail "the job took $elapsed s to end"
echo "ok: a rank failing at model load ends the job in $elapsed s: $(grep -m1 'rank 1 of 2' "$TMP/bad.log")"
