#!/usr/bin/env bash
# Baselines on the colour set that ColourPhotos.java writes (issue 16), bits per subpixel, every
# byte of each file counted, each lossless file decoded and compared:
#   whole photos: PNG (as written), JPEG XL (cjxl -d 0 -e 9) and WebP lossless (cwebp -lossless
#     -z 9) on each image;
#   test blocks:  PNG (as written), and all of them side by side in one strip (ColourStrip.java)
#     as JPEG XL and WebP.
#   apt-get install -y libjxl-tools webp
#   java job/bench/ColourPhotos.java OUT 2 && job/bench/colour-baselines.sh OUT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
set_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.4f", 8 * b / s }'; }
size() { stat -c %s "$1"; }

png=0 jxl=0 webp=0 subpixels=0 n=0
for f in "$set_dir"/whole/*/*.png; do
  read -r w h < <(file "$f" | sed -E 's/.* ([0-9]+) x ([0-9]+).*/\1 \2/')
  subpixels=$((subpixels + 3 * w * h))
  png=$((png + $(size "$f")))
  cjxl -d 0 -e 9 "$f" "$work/a.jxl" >/dev/null 2>&1
  djxl "$work/a.jxl" "$work/a.ppm" >/dev/null 2>&1
  cwebp -quiet -lossless -z 9 "$f" -o "$work/a.webp"
  dwebp -quiet "$work/a.webp" -ppm -o "$work/b.ppm"
  cmp "$work/a.ppm" "$work/b.ppm" # both decoders agree with each other (and so with the PNG)
  jxl=$((jxl + $(size "$work/a.jxl")))
  webp=$((webp + $(size "$work/a.webp")))
  n=$((n + 1))
done
echo "whole photos: $n images, $subpixels subpixels"
echo "  PNG $(bps $png $subpixels)  JPEG XL -e 9 each $(bps $jxl $subpixels)  WebP each $(bps $webp $subpixels)"

count=$(java "$here/ColourStrip.java" "$set_dir/blocks/test" "$work/strip.ppm")
subpixels=$((count * 32 * 32 * 3))
png=$(find "$set_dir/blocks/test" -name '*.png' -printf '%s\n' | awk '{ s += $1 } END { print s }')
cjxl -d 0 -e 9 "$work/strip.ppm" "$work/strip.jxl" >/dev/null 2>&1
djxl "$work/strip.jxl" "$work/back.ppm" >/dev/null 2>&1
cmp "$work/strip.ppm" "$work/back.ppm"
cwebp -quiet -lossless -z 9 "$work/strip.ppm" -o "$work/strip.webp" 2>/dev/null \
  && webp_strip=$(bps "$(size "$work/strip.webp")" $subpixels) || webp_strip="refused (too wide)"
echo "test blocks: $count blocks of 32x32, $subpixels subpixels"
echo "  PNG each $(bps $png $subpixels)  JPEG XL -e 9 strip $(bps "$(size "$work/strip.jxl")" $subpixels)  WebP strip $webp_strip"
