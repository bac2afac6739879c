#!/usr/bin/env bash
# Issue 16: a colour model against JPEG XL, WebP and PNG on the same images, in one run, bits
# per subpixel with every byte counted (the archive's every file: shards, names, manifest):
#   test blocks (ColourPhotos' held-out photographs, 32x32): ours through compress; PNG each;
#     JPEG XL -e 9 on all of them in one strip (ColourStrip.java) and on every 10th block
#     alone; WebP lossless -z 9 on every 10th alone (its strip is too wide for WebP);
#   whole test photographs (mixed sizes, <= 480 a side): ours; PNG, JPEG XL -e 9 and WebP
#     each (photos of different heights make no strip);
#   one core, no Spark: ShardBench on 2,000 test blocks (encode and decode images/s), and
#     compress / decompress of the whole photos on an embedded local[1] master (megapixels/s
#     of the coding step as the report gives it).
#   apt-get install -y libjxl-tools webp
#   java job/bench/ColourPhotos.java SET 2 && job/bench/colour-side-by-side.sh SET MODEL
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
set_dir=$1
model=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.4f", 8 * b / s }'; }
size() { stat -c %s "$1"; }
folder_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }'; }
subpixels_of() { # PNG files under $1: 3 x width x height, summed
  find "$1" -name '*.png' -print0 | xargs -0 file | sed -E 's/.* ([0-9]+) x ([0-9]+).*/\1 \2/' \
    | awk '{ s += 3 * $1 * $2 } END { print s }'
}
ours() { # $1: input folder; prints the archive's bits/subpixel and the code step's rates
  local in=$1 name=$2
  "$root/submit.sh" --master 'local[1]' compress --input "$in" --model "$model" --partitions 1 \
    --output "$work/$name" > "$work/$name.log" 2>&1
  "$root/submit.sh" --master 'local[1]' decompress --input "$work/$name" --format png \
    --output "$work/$name-back" > "$work/$name-back.log" 2>&1
  local sp
  sp=$(subpixels_of "$in")
  echo "  ours $(bps "$(folder_bytes "$work/$name")" "$sp") (every file of the archive)"
  # one task on one core: its code step encodes, its verify step decodes
  sed -n -E 's/.*code ([0-9.]+), verify ([0-9.]+),.*/\1 \2/p' "$work/$name.log" \
    | awk -v px=$((sp / 3)) '{ printf "    one core: encode %.3f MP/s, decode %.3f MP/s\n", px / $1 / 1e6, px / $2 / 1e6 }'
}

echo "== test blocks"
blocks=$set_dir/blocks/test
sp=$(subpixels_of "$blocks")
echo "  $(find "$blocks" -name '*.png' | wc -l) blocks, $sp subpixels"
ours "$blocks" blocks
echo "  PNG each $(bps "$(find "$blocks" -name '*.png' -printf '%s\n' | awk '{ s += $1 } END { print s }')" "$sp")"
count=$(java "$here/ColourStrip.java" "$blocks" "$work/strip.ppm")
cjxl -d 0 -e 9 "$work/strip.ppm" "$work/strip.jxl" >/dev/null 2>&1
echo "  JPEG XL -e 9 strip $(bps "$(size "$work/strip.jxl")" $((count * 3072)))"
jxl=0 webp=0 n=0
for f in $(find "$blocks" -name '*.png' | sort | awk 'NR % 10 == 1'); do
  cjxl -d 0 -e 9 "$f" "$work/a.jxl" >/dev/null 2>&1
  cwebp -quiet -lossless -z 9 "$f" -o "$work/a.webp"
  jxl=$((jxl + $(size "$work/a.jxl")))
  webp=$((webp + $(size "$work/a.webp")))
  n=$((n + 1))
done
echo "  every 10th block alone ($n): JPEG XL -e 9 $(bps $jxl $((n * 3072)))  WebP $(bps $webp $((n * 3072)))"

echo "== whole test photographs"
whole=$set_dir/whole/test
sp=$(subpixels_of "$whole")
echo "  $(ls "$whole"/*.png | wc -l) photographs, $sp subpixels"
ours "$whole" whole
png=0 jxl=0 webp=0
for f in "$whole"/*.png; do
  cjxl -d 0 -e 9 "$f" "$work/a.jxl" >/dev/null 2>&1
  cwebp -quiet -lossless -z 9 "$f" -o "$work/a.webp"
  png=$((png + $(size "$f")))
  jxl=$((jxl + $(size "$work/a.jxl")))
  webp=$((webp + $(size "$work/a.webp")))
done
echo "  PNG each $(bps $png $sp)  JPEG XL -e 9 each $(bps $jxl $sp)  WebP each $(bps $webp $sp)"

echo "== one core, no Spark: ShardBench on 2,000 test blocks"
java "$here/ColourBlocksIdx.java" "$blocks" "$work/blocks.idx" 2000 > /dev/null
OMP_NUM_THREADS=1 taskset -c 0 java --add-modules=jdk.incubator.vector \
  -cp "$root/codec/target/classes" io.bbans.codec.bench.ShardBench "$model" "$work/blocks.idx" \
  2000 16,64 rgb 2>&1 | grep -v "incubator"
