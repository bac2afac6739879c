#!/usr/bin/env bash
# How long each common mistake takes to be reported (issue 20: errors before Spark starts).
# Runs ./submit.sh on the embedded master with each mistake and prints its wall time and line.
#   job/bench/errors.sh
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$here/submit.sh" compress --output archive --partitions 2 >/dev/null 2>&1
mkdir -p notpng && echo "not an image" > notpng/a.png
mkdir -p docs && echo mine > docs/notes.txt

run() {
  local what=$1; shift
  local t0 t1 line
  t0=$(date +%s.%N)
  line=$("$here/submit.sh" "$@" 2>&1 >/dev/null | grep -v '^[0-9:]* INFO' | tail -1)
  t1=$(date +%s.%N)
  printf '%-34s %5.2f s  %s\n' "$what" "$(echo "$t1 - $t0" | bc)" "${line:0:110}"
}

echo "mistake                            wall    the line"
run "missing input"          compress --input nothing.idx --output out
run "unknown model"          compress --output out --model no-such
run "output exists"          compress --output archive
run "--lanes out of range"   compress --output out --lanes 100000
run "a .png that is not a PNG" compress --input notpng --output out
run "output is the input"    compress --input archive --output archive --overwrite
run "a folder of the user's" compress --output docs --overwrite
run "decompress: no archive" decompress --input nothing --output out
run "stats: chart inside"    stats --input archive --chart archive/manifest.json
run "a good run, for scale"  compress --output out2 --partitions 2
