#!/usr/bin/env bash
# JPEG XL's speed on the images ShardBench codes, one core: the first N Fashion-MNIST test
# images tiled into one 28 x 28N strip (the baseline's layout), cjxl -d 0 -e 9 and djxl with
# one thread under taskset, median of three runs each, the decoded strip compared.
#   job/bench/jxl-speed.sh [images]
set -euo pipefail
n=${1:-2000}
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$fashion" "$n" "$out/strip.pgm" <<'PY'
import gzip, sys
path, n, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
raw = gzip.open(path).read()[16:16 + n * 784]
rows = bytearray()
for r in range(28):
    for i in range(n):
        rows += raw[i * 784 + r * 28:i * 784 + r * 28 + 28]
with open(dest, 'wb') as o:
    o.write(b'P5\n%d 28\n255\n' % (n * 28))
    o.write(rows)
PY
median() { sort -n | sed -n 2p; }
enc=$(for r in 1 2 3; do
  s=$(date +%s.%N); taskset -c 1 cjxl -d 0 -e 9 --num_threads=0 "$out/strip.pgm" "$out/s.jxl" \
    >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; done | median)
dec=$(for r in 1 2 3; do
  s=$(date +%s.%N); taskset -c 1 djxl --num_threads=0 "$out/s.jxl" "$out/back.pgm" >/dev/null 2>&1
  e=$(date +%s.%N); echo "$e - $s" | bc; done | median)
cmp "$out/strip.pgm" "$out/back.pgm"
bytes=$(stat -c %s "$out/s.jxl")
printf 'JPEG XL -e 9, %d images in one strip, one core: encode %.2f s (%.0f images/s),' \
  "$n" "$enc" "$(echo "$n / $enc" | bc -l)"
printf ' decode %.3f s (%.0f images/s), %d bytes, %.4f bits/dim\n' "$dec" \
  "$(echo "$n / $dec" | bc -l)" "$bytes" "$(echo "$bytes * 8 / ($n * 784)" | bc -l)"
