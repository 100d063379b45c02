# Shared by the benchmarks that run NEURON and Ranvier side by side (run-cable-bench.sh,
# run-gap-bench.sh): clocks, and the lines of a report that say on what it ran.
# Source it after setting ROOT, RANVIER and PY.

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# The short commit id, and whether the given directories have uncommitted changes.
commit_id() {
  local dirs=("$@")
  printf '%s%s' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(git -C "$ROOT" diff --quiet HEAD -- "${dirs[@]}" 2>/dev/null || echo " with uncommitted changes in ${dirs[*]}")"
}

# "- Machine: ...", "- Ranvier: ..." and "- NEURON: ..." lines; $1 $2: the load average at
# start and end, $3: a note for the NEURON line, $4 (optional): a directory to run NEURON
# from (an empty one keeps it from loading a stray x86_64/).
report_setup() {
  local start=$1 end=$2 note=$3 dir=${4:-.} commit=$5
  local version package
  version=$(cd "$dir" && "$PY" -c 'from neuron import h; print(h.nrnversion())' 2>/dev/null | head -n1)
  package=$(dpkg-query -W -f='${Version}' neuron 2>/dev/null || echo '?')
  echo "- Machine: $(lscpu | grep 'Model name' | sed -E 's/^Model name: *//'), $(nproc) CPUs, $(uname -srm);" \
       "load average $start at start, $end at end"
  echo "- Ranvier: $("$RANVIER" --version 2>&1 | head -n1) ($(realpath --relative-to="$ROOT" "$RANVIER" 2>/dev/null || echo "$RANVIER")), commit $commit"
  echo "- NEURON: $version; Debian package neuron $package; $("$PY" --version 2>&1)$note"
}
