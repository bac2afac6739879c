#!/usr/bin/env bash
# Whole shards, encode and decode, one core, this tree's codec against an older build's, side
# by side in one run (ShardBench of each, 16 and 64 lanes, every bundled model; every shard is
# decoded and compared, and the bits/dim column shows whether the bytes changed). This tree
# runs twice: with the vector kernels (--add-modules jdk.incubator.vector) and without them
# (-Dbbans.vector=false, the scalar loops); KERNELS_ONLY=1 skips the older build. JAVA selects
# the JVM (e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java); MODELS the bundled models
# (default "fashion-mnist mnist mnist-binary"; the older ones: "fashion-mnist-v1
# fashion-mnist-v2 mnist-v1 mnist-v2 mnist-v3 mnist-binary-v1").
#   job/bench/shards-side-by-side.sh OLD_CODEC_JAR [images]
# e.g. git worktree add /tmp/old 881c3ff && (cd /tmp/old && mvn -q -o -pl codec package -DskipTests)
#      job/bench/shards-side-by-side.sh /tmp/old/codec/target/bbans-codec-0.1.0-SNAPSHOT.jar
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
old=$1
count=${2:-2000}
java=${JAVA:-java}
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
digits=$here/data/mnist
vector=--add-modules=jdk.incubator.vector
run() {
  local cp=$1
  shift
  taskset -c 1 "$java" -Xmx4g "$@" -cp "$cp" io.bbans.codec.bench.ShardBench "${args[@]}" 2>&1 \
    | grep -v '^SLF4J\|^WARNING: Using incubator'
}
"$java" -version 2>&1 | sed -n 1p
for model in ${MODELS:-fashion-mnist mnist mnist-binary}; do
  case "$model" in fashion*) data=$fashion ;; *) data=$digits ;; esac
  set -- "$model" "$data"
  args=("$1" "$2" "$count" 16,64)
  echo "== $1: ShardBench, $count images"
  echo "-- this tree, vector kernels"; run "$here/codec/target/classes" "$vector"
  echo "-- this tree, scalar loops"; run "$here/codec/target/classes" "$vector" -Dbbans.vector=false
  if [ -z "${KERNELS_ONLY:-}" ]; then
    echo "-- older build"; run "$old"
  fi
done
