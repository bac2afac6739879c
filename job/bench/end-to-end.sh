#!/usr/bin/env bash
# End-to-end benchmark of the Spark job, run by hand (figures go to BENCHMARKS.md):
# compress, decompress --merge (checked byte for byte against the input) and stats, on the
# Fashion-MNIST test set (10,000 images) and on all 70,000 Fashion-MNIST images, with 1, 2 and
# 4 partitions, embedded local[*] master. Each line of compress/decompress output carries the
# split of the wall time (Spark start-up, model load and broadcast, input, coding, commit).
#   job/bench/end-to-end.sh [work dir]      (needs: apt-get install dataset-fashion-mnist)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/bbans-bench}
data=/usr/share/datasets/fashion-mnist
mkdir -p "$work"
python3 - "$data" "$work/fashion-70k.idx" <<'PY'
import gzip, struct, sys
data, out = sys.argv[1], sys.argv[2]
a = gzip.open(data + "/train-images-idx3-ubyte.gz").read()
b = gzip.open(data + "/t10k-images-idx3-ubyte.gz").read()
n = struct.unpack(">I", a[4:8])[0] + struct.unpack(">I", b[4:8])[0]
open(out, "wb").write(a[:4] + struct.pack(">I", n) + a[8:16] + a[16:] + b[16:])
PY
gzip -dc "$data/t10k-images-idx3-ubyte.gz" > "$work/fashion-10k.idx"
echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
for set in 10k 70k; do
  for p in 1 2 4; do
    echo "== fashion-$set, $p partitions"
    "$here/submit.sh" compress --input "$work/fashion-$set.idx" --output "$work/a-$set-$p" \
      --partitions "$p" --overwrite 2>/dev/null
    "$here/submit.sh" decompress --input "$work/a-$set-$p" --output "$work/d-$set-$p" --merge \
      --overwrite 2>/dev/null
    cmp "$work/fashion-$set.idx" "$work/d-$set-$p/images.idx" && echo "  decompressed: identical"
  done
  "$here/submit.sh" stats --input "$work/a-$set-2" 2>/dev/null | sed -n '$p'
done
echo "== fashion-10k, 2 partitions, --no-verify"
"$here/submit.sh" compress --input "$work/fashion-10k.idx" --output "$work/nv" --partitions 2 \
  --overwrite --no-verify 2>/dev/null
