#!/usr/bin/env bash
# Whole shards, encode and decode, one core, this tree's codec against an older build's, side
# by side in one run (ShardBench of each, 16 and 64 lanes, every bundled model; every shard is
# decoded and compared, and the bits/dim column shows whether the bytes changed).
#   job/bench/shards-side-by-side.sh OLD_CODEC_JAR [images]
# e.g. git worktree add /tmp/old 881c3ff && (cd /tmp/old && mvn -q -o -pl codec package -DskipTests)
#      job/bench/shards-side-by-side.sh /tmp/old/codec/target/bbans-codec-0.1.0-SNAPSHOT.jar
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
old=$1
count=${2:-2000}
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
digits=$here/data/mnist
run() {
  taskset -c 1 java -Xmx4g -cp "$1" io.bbans.codec.bench.ShardBench "${@:2}" 2>&1 \
    | grep -v '^SLF4J'
}
for m in "fashion-mnist $fashion" "mnist $digits" "mnist-binary $digits"; do
  set -- $m
  echo "== $1: ShardBench, $count images"
  echo "-- this tree"; run "$here/codec/target/classes" "$1" "$2" "$count" 16,64
  echo "-- older build"; run "$old" "$1" "$2" "$count" 16,64
done
