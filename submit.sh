#!/usr/bin/env bash
# Entry point of bbans-spark.
#   ./submit.sh train ...   fit and quantise a VAE (see ./submit.sh train --help)
#   ./submit.sh eval ...    negative ELBO of a model on a dataset
#   ./submit.sh bench ...   push/pop throughput of the codec core
# compress, decompress and stats arrive with the Spark job (issue 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat >&2 <<USAGE
usage: ./submit.sh COMMAND [options]
  train   fit a VAE to a dataset and write the quantised model file   (train --help)
  eval    negative ELBO in bits/dim of a model on a dataset           (eval --help)
  bench   push/pop throughput of the codec core: bench [lanes] [reps] [codec filter]
USAGE
}

job_jar() { ls "$here"/job/target/bbans-job-*.jar 2>/dev/null | head -n 1; }

build_if_missing() {
  if [ -z "$(job_jar)" ] || [ ! -d "$here/job/target/lib" ]; then
    echo "building bbans-spark first (mvn package, about a minute)..." >&2
    (cd "$here" && mvn -B -q -DskipTests package >&2)
  fi
}

run_java() {
  build_if_missing
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
  exec java ${JAVA_OPTS:--Xmx8g} \
    -Dorg.bytedeco.javacpp.cachedir="${JAVACPP_CACHE:-$HOME/.javacpp/cache}" \
    -cp "$(job_jar):$here/job/target/lib/*" "$@"
}

case "${1:-}" in
  train|eval)
    run_java io.bbans.job.Main "$@"
    ;;
  bench)
    shift
    run_java io.bbans.codec.bench.CodecBench "$@"
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
