#!/usr/bin/env bash
# The plain-Java integer pass against the ND4J pass it replaced (issue 17), side by side in one
# run, one core: ModelBench (network alone, batch 1/16/64) and ShardBench (a whole shard,
# encode and decode, 16 and 64 lanes) for each bundled model, with the codec of this tree and
# with the codec of an older build that still had the ND4J pass (its jar and ND4J's jars).
#   job/bench/pure-java.sh OLD_CODEC_JAR [images]
# e.g. git worktree add /tmp/old 41f290d && (cd /tmp/old && mvn -q -pl codec package -DskipTests)
#      job/bench/pure-java.sh /tmp/old/codec/target/bbans-codec-0.1.0-SNAPSHOT.jar
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
old=$1
count=${2:-2000}
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
digits=$here/data/mnist
new_cp="$here/codec/target/classes"
# ND4J and what it needs: target/train-lib, target/lib but this tree's codec, and
# commons-math3 and slf4j from Spark's jars.
old_cp="$old:$here/job/target/train-lib/*:$(ls "$here"/job/target/lib/*.jar | grep -v bbans-codec | paste -sd:):$(ls "$here"/job/target/spark-lib/commons-math3-*.jar):$(ls "$here"/job/target/spark-lib/slf4j-api-*.jar)"
cache="${JAVACPP_CACHE:-$HOME/.javacpp/cache}"
run() {
  OMP_NUM_THREADS=1 taskset -c 1 java -Xmx4g -Dorg.bytedeco.javacpp.cachedir="$cache" -cp "$1" \
    "io.bbans.codec.bench.$2" "${@:3}" 2>&1 | grep -v '^SLF4J\|^\[main\]\|WARN\|INFO'
}
for m in "fashion-mnist $fashion" "mnist $digits" "mnist-binary $digits"; do
  set -- $m
  echo "== $1: ModelBench, network alone, images/s"
  echo "-- plain Java (this tree)"; run "$new_cp" ModelBench "$1" "$2" 2048 | grep -v "^AUTO"
  echo "-- ND4J pass (old build)"; run "$old_cp" ModelBench "$1" "$2" 2048 | grep "^ND4J\|^pass"
  echo "== $1: ShardBench, $count images"
  echo "-- plain Java (this tree)"; run "$new_cp" ShardBench "$1" "$2" "$count" 16,64
  echo "-- old default (ND4J from 16 images)"; run "$old_cp" ShardBench "$1" "$2" "$count" 16,64
done
