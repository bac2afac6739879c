#!/usr/bin/env bash
# Entry point of bbans-spark. Today it runs the codec benchmark; the Spark job's subcommands
# (compress, decompress, stats, train, eval) arrive with the job module (issues 3 and 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat >&2 <<USAGE
usage: ./submit.sh bench [lanes] [reps] [codec name filter]
  bench   push/pop throughput of the codec core, one thread (see BENCHMARKS.md)
USAGE
}

classes="$here/codec/target/classes"
build_if_missing() {
  if [ ! -f "$classes/io/bbans/codec/bench/CodecBench.class" ]; then
    echo "building the codec module first..." >&2
    (cd "$here" && mvn -B -q -pl codec -am -DskipTests package)
  fi
}

case "${1:-}" in
  bench)
    shift
    build_if_missing
    exec java -cp "$classes" io.bbans.codec.bench.CodecBench "$@"
    ;;
  -h|--help|help|"")
    usage
    [ -n "${1:-}" ]
    ;;
  *)
    echo "submit.sh: unknown command '$1'" >&2
    usage
    exit 2
    ;;
esac
