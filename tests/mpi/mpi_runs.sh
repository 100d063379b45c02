#!/usr/bin/env bash
# Distributed runs under MPICH's mpiexec (one machine): the spike files of the ring, of
# the gap-junction ring and of the 1000-cell network with 2 and 3 ranks, and 2 ranks x
# 2 threads, must be byte-identical to the single-process run's (also with a cell split
# over a rank's threads), and sweeps (of one cell, and of a network) on 2 and 3 ranks
# write the single process's CSV; a rank that fails while loading the model must end
# the job, with a message naming the rank, within seconds.
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

# A split cell inside a distributed run: the rank that owns the big cell cuts it over
# its 2 threads; the spikes are the single-process, single-thread run's.
"$RANVIER" run "$SRC/examples/big-cell/cell.toml" --tstop 150 -q -o "$TMP/big1" --cache-dir "$TMP/cache" --threads 1
timeout 300 "$MPIEXEC" -n 2 "$RANVIER" run "$SRC/examples/big-cell/cell.toml" --tstop 150 -o "$TMP/big2" --cache-dir "$TMP/cache" --threads 2 > "$TMP/big2.log" \
  || fail "big cell on 2 ranks x 2 threads failed"
grep -q "split into" "$TMP/big2.log" || { cat "$TMP/big2.log" >&2; fail "the big cell was not split"; }
[[ -s $TMP/big1/big-cell-spikes.txt ]] || fail "big cell: no spikes"
cmp "$TMP/big1/big-cell-spikes.txt" "$TMP/big2/big-cell-spikes.txt" || fail "big cell: split on 2 ranks x 2 threads differs from one thread"
echo "ok: big cell split on rank 0 of 2 (2 threads): $(wc -l < "$TMP/big1/big-cell-spikes.txt") spikes, identical"

# A sweep on 2 and 3 ranks writes the single process's CSV, byte for byte; cut in the
# middle of a row and resumed on 2 ranks, too. A misspelt parameter ends the job.
cat > "$TMP/sweep.toml" <<EOF
model = "$SRC/examples/liu/liu.toml"
tstop = 600
dt = 0.1
transient = 100
[measures]
threshold = 0
calcium = "cai"
at = "soma(0.5)"
[[parameter]]
name = "CaS.gbar"
unit = "uS/mm2"
linspace = [0, 100, 3]
[[parameter]]
name = "ACurrent.gbar"
unit = "uS/mm2"
linspace = [100, 300, 4]
EOF
"$RANVIER" sweep "$TMP/sweep.toml" --out "$TMP/sweep-single.csv" --threads 1 --chunk 2 -q --cache-dir "$TMP/cache"
for run in "2 5" "3 2" "3 0"; do  # ranks, sets per chunk (0: the default); uneven last rounds
  set -- $run
  chunk=()
  [[ $2 -gt 0 ]] && chunk=(--chunk "$2")
  timeout 120 "$MPIEXEC" -n "$1" "$RANVIER" sweep "$TMP/sweep.toml" --out "$TMP/sweep-$1-$2.csv" --threads 1 "${chunk[@]}" -q --cache-dir "$TMP/cache" \
    || fail "sweep on $1 ranks failed"
  cmp "$TMP/sweep-single.csv" "$TMP/sweep-$1-$2.csv" || fail "sweep on $1 ranks, chunk $2, differs from the single process"
done
head -c 400 "$TMP/sweep-single.csv" > "$TMP/sweep-cut.csv"
timeout 120 "$MPIEXEC" -n 2 "$RANVIER" sweep "$TMP/sweep.toml" --out "$TMP/sweep-cut.csv" --threads 1 --chunk 2 -q --resume --cache-dir "$TMP/cache" \
  || fail "resumed sweep on 2 ranks failed"
cmp "$TMP/sweep-single.csv" "$TMP/sweep-cut.csv" || fail "a sweep resumed on 2 ranks differs"
echo "ok: sweep on 2 and 3 ranks and resumed on 2: $(($(wc -l < "$TMP/sweep-single.csv") - 1)) rows, identical"
# A sweep of a network (the half-centre oscillator: copies of two connected cells) on
# 2 ranks writes the single process's CSV too.
cat > "$TMP/hco-sweep.toml" <<EOF
model = "$SRC/examples/liu-hco/hco.toml"
tstop = 400
dt = 0.1
transient = 200
[[parameter]]
name = "inhibition.weight"
values = [0.01, 0.05, 0.2]
[[parameter]]
name = "HCurrent.gbar"
unit = "uS/mm2"
values = [5, 15]
EOF
"$RANVIER" sweep "$TMP/hco-sweep.toml" --out "$TMP/hco-single.csv" --threads 1 -q --cache-dir "$TMP/cache"
timeout 120 "$MPIEXEC" -n 2 "$RANVIER" sweep "$TMP/hco-sweep.toml" --out "$TMP/hco-2.csv" --threads 1 --chunk 2 -q --cache-dir "$TMP/cache" \
  || fail "network sweep on 2 ranks failed"
cmp "$TMP/hco-single.csv" "$TMP/hco-2.csv" || fail "a network sweep on 2 ranks differs from the single process"
echo "ok: a network sweep on 2 ranks: $(($(wc -l < "$TMP/hco-single.csv") - 1)) rows, identical"
sed 's/name = "CaS.gbar"/name = "CaS.gbarr"/' "$TMP/sweep.toml" > "$TMP/bad-sweep.toml"
set +e
timeout 60 "$MPIEXEC" -n 2 "$RANVIER" sweep "$TMP/bad-sweep.toml" --out "$TMP/bad.csv" -q --cache-dir "$TMP/cache" > "$TMP/bad-sweep.log" 2>&1
status=$?
set -e
[[ $status -ne 0 && $status -ne 124 ]] || fail "a bad sweep on 2 ranks: exit $status"
grep -q "gbarr" "$TMP/bad-sweep.log" || { cat "$TMP/bad-sweep.log" >&2; fail "the bad sweep's message does not name the parameter"; }
echo "ok: a bad sweep parameter ends the 2-rank job: $(grep -m1 gbarr "$TMP/bad-sweep.log")"

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
grep -q "rank 1 of 2" "$TMP/bad.log" || { cat "$TMP/bad.log" >&2; fail "the message does not name the rank"; }
grep -q "no parameter 'ampp'" "$TMP/bad.log" || { cat "$TMP/bad.log" >&2; fail "the message does not say what is wrong"; }
(( elapsed < 30 )) || fail "the job took $elapsed s to end"
echo "ok: a rank failing at model load ends the job in $elapsed s: $(grep -m1 'rank 1 of 2' "$TMP/bad.log")"

# A gap junction between ranks (a is gid 0, b gid 1: round robin puts them on two
# ranks; each Gap reads the other's v, which the ranks exchange every step); the
# gathered traces equal one process's, bit for bit.
sed 's/^traces = "gap.csv"/traces = "gap.csv"\ngather_traces = true/' "$SRC/examples/gap-junction/gap.toml" > "$TMP/gap.toml"
grep -q '^gather_traces = true$' "$TMP/gap.toml" || fail "could not make the gap model"
mkdir -p "$TMP/gap1" "$TMP/gap2"
"$RANVIER" run "$TMP/gap.toml" -q -o "$TMP/gap1" --cache-dir "$TMP/cache" --threads 1
timeout 60 "$MPIEXEC" -n 2 "$RANVIER" run "$TMP/gap.toml" -q -o "$TMP/gap2" --cache-dir "$TMP/cache" --threads 1 > "$TMP/gap.log" 2>&1 \
  || { cat "$TMP/gap.log" >&2; fail "the gap junction on 2 ranks failed"; }
cmp "$TMP/gap1/gap.csv" "$TMP/gap2/gap.csv" || fail "the gap junction on 2 ranks differs from one process"
echo "ok: a gap junction between 2 ranks: $(($(wc -l < "$TMP/gap1/gap.csv") - 1)) rows, identical"
# The 100-cell gap ring over ranks and threads: the spike files equal one process's.
check "$SRC/examples/gap-junction/ring.toml" 100

# Traces: each rank writes the columns of its cells; gather_traces = true joins them
# into the single-process file, byte for byte. Balanced distribution and the plain
# spike encoding give the same spikes.
# net.toml with five recordings on cells of different ranks, gathered.
sed 's/^spikes = "net-spikes.txt".*/spikes = "net-spikes.txt"\ntraces = "net-traces.csv"\ngather_traces = true/' \
  "$SRC/examples/network/net.toml" > "$TMP/traced.toml"
for at in "exc[0].soma(0.5)" "inh[7].dend(0.5)" "exc[5].soma(0.5)" "exc[2].dend(0.9)"; do
  printf '\n[[record]]\nvariable = "v"\nat = "%s"\n' "$at" >> "$TMP/traced.toml"
done
printf '\n[[record]]\nvariable = "hh.m"\nat = "exc[4].soma(0.5)"\nlabel = "m4"\n' >> "$TMP/traced.toml"
grep -q '^gather_traces = true$' "$TMP/traced.toml" || fail "could not make the traced model"
"$RANVIER" run "$TMP/traced.toml" --tstop 20 -q -o "$TMP/single" --cache-dir "$TMP/cache" --threads 1
timeout 120 "$MPIEXEC" -n 3 "$RANVIER" run "$TMP/traced.toml" --tstop 20 -q -o "$TMP/three" --cache-dir "$TMP/cache" --threads 1 || fail "traced run on 3 ranks failed"
cmp "$TMP/single/net-traces.csv" "$TMP/three/net-traces.csv" || fail "gathered traces differ from the single process's"
cmp "$TMP/single/net-spikes.txt" "$TMP/three/net-spikes.txt" || fail "spikes of the traced run differ"
ls "$TMP/three" | grep -q 'rank' && fail "rank files left behind: $(ls "$TMP/three")"
echo "ok: traces gathered from 3 ranks equal the single process's ($(wc -l < "$TMP/single/net-traces.csv") rows)"
sed -i '/^gather_traces = true$/d' "$TMP/traced.toml"
sed -i 's/^\[simulation\]$/[simulation]\ndistribution = "balanced"\nspike_compression = false/' "$TMP/traced.toml"
timeout 120 "$MPIEXEC" -n 2 "$RANVIER" run "$TMP/traced.toml" --tstop 20 -q -o "$TMP/two" --cache-dir "$TMP/cache" --threads 1 || fail "balanced run failed"
cmp "$TMP/single/net-spikes.txt" "$TMP/two/net-spikes.txt" || fail "balanced, plain-encoded spikes differ"
[[ -s $TMP/two/net-traces.rank0.csv && -s $TMP/two/net-traces.rank1.csv ]] || fail "per-rank trace files missing: $(ls "$TMP/two")"
echo "ok: balanced distribution with plain spike encoding: same spikes; traces per rank"

# A rank killed in the middle of a run (kill -9, as the out-of-memory killer does; and
# a crash) ends the job within seconds; the messages name the rank's pid and the signal.
killed() {  # killed SIGNAL EXPECTED-TEXT
  local log=$TMP/killed-$1.log pid="" start status
  timeout 120 "$MPIEXEC" -n 2 "$RANVIER" run "$SRC/examples/network/net.toml" --tstop 1000000 -o "$TMP/killed" --cache-dir "$TMP/cache" --threads 1 > "$log" 2>&1 &
  local job=$!
  for _ in $(seq 1 100); do
    for p in $(pgrep -f "net.toml --tstop 1000000" || true); do
      tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx 'PMI_RANK=1' && pid=$p
    done
    [[ -n $pid ]] && grep -q 'ranks (rank: pid)' "$log" && break
    sleep 0.1
  done
  [[ -n $pid ]] || fail "rank 1 never started"
  sleep 0.5
  start=$(date +%s)
  kill "-$1" "$pid"
  set +e
  wait "$job"
  status=$?
  set -e
  (( $(date +%s) - start < 15 )) || fail "the job took more than 15 s to end after rank 1 was killed"
  [[ $status != 0 && $status != 124 ]] || { cat "$log" >&2; fail "killing rank 1 with $1 gave status $status"; }
  # Rank 0's start line ties pid to rank 1. mpiexec's banner names a pid of the job,
  # but not always rank 1's: when it notices the rank it killed itself first, it names
  # that one (seen under load: rank 0's pid, exit code 9, for rank 1's SIGSEGV).
  grep -q "1: $pid" "$log" || { cat "$log" >&2; fail "the start line does not tie pid $pid to rank 1"; }
  local named
  named=$(grep -o 'PID [0-9]*' "$log" | head -1 | cut -d' ' -f2)
  [[ -n $named ]] && grep -q "ranks (rank: pid).* [0-9]*: $named\b" "$log" \
    || { cat "$log" >&2; fail "mpiexec's banner does not name a pid of the job"; }
  grep -q "$2" "$log" || { cat "$log" >&2; fail "no '$2' in the messages"; }
  echo "ok: rank 1 killed with SIG$1 ends the job (status $status): $(grep -m1 "$2" "$log")"
}
killed KILL 'signal 9'
killed SEGV '\[rank 1 of 2\] ranvier: stopped by signal SIGSEGV'
