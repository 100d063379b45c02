#!/usr/bin/env bash
# Regenerates tests/golden/nocmodl-threadsafe/: what NEURON 8.2.2's translator nocmodl
# (Debian package neuron-dev) reports about thread safety for every .mod file Debian's
# NEURON/NMODL packages ship, every file in mechanisms/ and tests/mod/constructs/, and
# the probe files in tests/golden/nocmodl-threadsafe/probes-src/. See the README there.
#
#   scripts/gen-nocmodl-threadsafe.sh
#
# For each input it writes <origin>/<name>.txt (origin: debian, mechanisms, constructs,
# probes):
#   exit: N                   nocmodl's exit status (124: killed by `timeout 20`)
#   <notice lines>            thread-safety lines, in the order nocmodl printed them
# and one row per input in mkthreadsafe.tsv: the verdict of NEURON's mkthreadsafe.
# nocmodl and mkthreadsafe only ever run on copies in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
golden=tests/golden/nocmodl-threadsafe
packages=(neuron neuron-dev python3-neuron nmodl python3-nmodl)
mkthreadsafe=/usr/lib/nrn/mkthreadsafe

for tool in nocmodl timeout dpkg; do
  command -v "$tool" > /dev/null || { echo "gen-nocmodl-threadsafe: $tool not found" >&2; exit 2; }
done
[ -r "$mkthreadsafe" ] || { echo "gen-nocmodl-threadsafe: $mkthreadsafe not found" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nocmodl-threadsafe.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/out
mkdir -p "$stage"

# The lines kept from nocmodl's output. Every thread-safety message of nocmodl 8.2.2
# starts with "Notice: " and contains "thread safe"; "Thread Safe" alone is the final
# verdict; the CVODE notice is kept because it comes from the same SOLVE analysis.
notice_re='^(Thread Safe$|Notice: .*thread safe|Notice: This mechanism cannot be used with CVODE$)'

# The inputs, as "origin<TAB>path" lines.
list_inputs() {
  dpkg -L "${packages[@]}" | grep '\.mod$' | LC_ALL=C sort -u | sed 's/^/debian\t/'
  find mechanisms -maxdepth 1 -name '*.mod' -type f | LC_ALL=C sort | sed 's/^/mechanisms\t/'
  # tests/mod/bad is deliberately not part of the corpus.
  find tests/mod/constructs -name '*.mod' -type f | LC_ALL=C sort | sed 's/^/constructs\t/'
  find "$golden/probes-src" -maxdepth 1 -name '*.mod' -type f | LC_ALL=C sort | sed 's/^/probes\t/'
}

# Copies FILE into DIR, and with it every file it INCLUDEs (recursively), keeping the
# paths relative to FILE's directory.
copy_with_includes() {
  local file=$1 dir=$2 srcdir inc
  srcdir=$(dirname "$file")
  cp "$file" "$dir/"
  local pending=("$file") seen=" "
  while [ "${#pending[@]}" -gt 0 ]; do
    local current=${pending[0]}
    pending=("${pending[@]:1}")
    while IFS= read -r inc; do
      case $inc in
        /* | *..*) echo "gen-nocmodl-threadsafe: $file: INCLUDE \"$inc\" is not a plain relative path" >&2; exit 1 ;;
      esac
      case $seen in *" $inc "*) continue ;; esac
      seen="$seen$inc "
      [ -f "$srcdir/$inc" ] || continue # nocmodl reports the missing file itself
      mkdir -p "$dir/$(dirname "$inc")"
      cp "$srcdir/$inc" "$dir/$inc"
      pending+=("$srcdir/$inc")
    done < <(sed -n 's/^[[:space:]]*INCLUDE[[:space:]]*"\([^"]*\)".*/\1/p' "$current")
  done
}

# The branch mkthreadsafe takes, decided the way the script decides it, from nocmodl's
# combined stdout+stderr (file $1). Mirrors /usr/lib/nrn/mkthreadsafe of NEURON 8.2.2.
mkthreadsafe_derived() {
  local t=$1.mk word unsafe=""
  sed '/^Translating/d' "$1" > "$t"
  for word in EXTERNAL discontinuity LINEAR DISCRETE PARTIAL ERROR; do
    grep -q "$word"' is not thread safe' "$t" && unsafe=no
  done
  grep -q 'Complain to hines' "$t" && unsafe=no
  if [ "$(wc -l < "$t")" -eq 0 ] || grep -q '^Thread Safe$' "$t"; then
    echo thread-safe
  elif [ "$unsafe" = no ]; then
    echo not-thread-safe
  elif grep -q 'POINTER is not thread safe' "$t"; then
    echo examine-pointer
  elif grep -q 'Assignment to the GLOBAL' "$t"; then
    echo offer-threadsafe-global
  elif grep -q 'VERBATIM' "$t"; then
    echo offer-threadsafe-verbatim
  else
    echo unrecognised
  fi
}

# The branch the real mkthreadsafe took, run with `bash -x` on a copy in directory $1,
# every question answered "n" (nothing is modified then).
mkthreadsafe_observed() {
  local dir=$1 name=$2 status=0
  printf 'n\nn\nn\n' > "$dir/answers"
  (cd "$dir" && timeout 40 bash -x "$mkthreadsafe" "$name.mod" < answers > screen 2> trace) || status=$?
  if [ "$status" -ne 0 ]; then echo "failed-$status"
  elif grep -q "^$name.mod is Thread Safe$" "$dir/screen"; then echo thread-safe
  elif grep -q 'GLOBAL variables that are written to' "$dir/screen"; then echo offer-threadsafe-global
  elif grep -q 'in fact thread safe so$' "$dir/screen"; then echo offer-threadsafe-verbatim
  elif grep -q 'should be examined' "$dir/screen"; then echo examine-pointer
  elif grep -q '^+ thread_safe=no$' "$dir/trace"; then echo not-thread-safe
  else echo unrecognised
  fi
  if ! cmp -s "$dir/$name.mod" "$dir/original.mod"; then
    echo "gen-nocmodl-threadsafe: mkthreadsafe modified its copy of $name.mod" >&2
    exit 1
  fi
}

printf 'origin\tname\texit\tnocmodl\tmkthreadsafe\n' > "$stage/mkthreadsafe.tsv"
declare -A count seen_name
n=0
while IFS=$'\t' read -r origin path; do
  name=$(basename "$path" .mod)
  if [ -n "${seen_name[$origin/$name]:-}" ]; then
    echo "gen-nocmodl-threadsafe: two $origin inputs named $name.mod: ${seen_name[$origin/$name]} and $path" >&2
    exit 1
  fi
  seen_name[$origin/$name]=$path
  n=$((n + 1))
  work=$tmp/work/$n
  mkdir -p "$work/nocmodl" "$work/mkthreadsafe" "$stage/$origin"
  copy_with_includes "$path" "$work/nocmodl"
  copy_with_includes "$path" "$work/mkthreadsafe"
  cp "$path" "$work/mkthreadsafe/original.mod"

  status=0
  (cd "$work/nocmodl" && timeout 20 nocmodl "$name.mod" < /dev/null > raw 2>&1) || status=$?
  raw=$work/nocmodl/raw
  # "Use of state_discontinuity ... NET_RECEIVE block" is printed without a newline:
  # put whatever follows it on a line of its own. Then drop directory names.
  {
    echo "exit: $status"
    sed -e 's/\(except in a NET_RECEIVE block\)\(.\)/\1\n\2/' \
        -e "s|$work/nocmodl/||g; s|$tmp/||g; s|$root/||g" "$raw" |
      grep -E "$notice_re" || true
  } > "$stage/$origin/$name.txt"

  # nocmodl's own verdict; cross-checked against the generated C.
  if [ "$status" -ne 0 ]; then
    verdict=$([ "$status" -eq 124 ] && echo timeout || echo error)
  elif grep -qx 'Thread Safe' "$stage/$origin/$name.txt"; then
    verdict=thread-safe
  else
    verdict=not-thread-safe
  fi
  if [ "$status" -eq 0 ]; then
    c=$work/nocmodl/$name.c
    if grep -q '^/\* VECTORIZED \*/$' "$c"; then vectorized=thread-safe; else vectorized=not-thread-safe; fi
    if [ "$vectorized" != "$verdict" ]; then
      echo "gen-nocmodl-threadsafe: $path: notices say $verdict, $name.c says $vectorized" >&2
      exit 1
    fi
  fi

  derived=$(mkthreadsafe_derived "$raw")
  observed=$(mkthreadsafe_observed "$work/mkthreadsafe" "$name")
  if [ "$derived" != "$observed" ]; then
    echo "gen-nocmodl-threadsafe: $path: mkthreadsafe took '$observed', expected '$derived'" >&2
    exit 1
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$origin" "$name" "$status" "$verdict" "$observed" >> "$stage/mkthreadsafe.tsv"
  count[$origin]=$((${count[$origin]:-0} + 1))
done < <(list_inputs)

# Replace the generated part of the golden directory (README.md and probes-src stay).
for origin in debian mechanisms constructs probes; do
  rm -rf "${golden:?}/$origin"
  if [ -d "$stage/$origin" ]; then cp -r "$stage/$origin" "$golden/$origin"; fi
done
cp "$stage/mkthreadsafe.tsv" "$golden/mkthreadsafe.tsv"

for origin in debian mechanisms constructs probes; do
  printf 'gen-nocmodl-threadsafe: %-10s %3d files\n' "$origin" "${count[$origin]:-0}"
done
