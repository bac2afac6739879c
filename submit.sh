#!/usr/bin/env bash
# Entry point of bbans-spark.
#
#   ./submit.sh [SPARK OPTIONS] COMMAND [options]     (./submit.sh COMMAND --help for each)
#
# compress, decompress and stats are Spark jobs: with SPARK_HOME set they go through
# $SPARK_HOME/bin/spark-submit (any --master: standalone, YARN, Kubernetes, local); without it
# they run in this JVM on an embedded local[*] master. SPARK OPTIONS before the command are
# spark-submit's (--master URL, --conf k=v, --executor-memory 2g, ...); without SPARK_HOME only
# --master and --conf are understood. train, eval and bench run in plain Java.
# The jar is built first if it is missing (mvn package, about a minute).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat >&2 <<USAGE
usage: ./submit.sh [SPARK OPTIONS] COMMAND [options]
  compress     compress an image dataset into an archive folder      (compress --help)
  decompress   decode an archive folder back into images             (decompress --help)
  stats        per-shard and total rates of an archive, baselines    (stats --help)
  train        fit a VAE to a dataset and write the model file       (train --help)
  eval         negative ELBO in bits/dim of a model on a dataset     (eval --help)
  bench        push/pop throughput of the codec core: bench [lanes] [reps] [codec filter]
SPARK OPTIONS (before COMMAND): --master URL, --conf KEY=VALUE, and with SPARK_HOME set any
other spark-submit option. Job defaults: conf/bbans-defaults.conf.
USAGE
}

job_jar() { ls "$here"/job/target/bbans-job-*.jar 2>/dev/null | sed -n 1p; }

build_if_missing() {
  if [ -z "$(job_jar)" ] || [ ! -d "$here/job/target/lib" ] || [ ! -d "$here/job/target/spark-lib" ] \
      || [ ! -d "$here/job/target/train-lib" ]; then
    echo "building bbans-spark first (mvn package, about a minute)..." >&2
    (cd "$here" && mvn -B -q -Dstyle.color=never -DskipTests package >&2)
  fi
}

# The --add-opens list Spark needs on Java 17+, kept once, in pom.xml.
add_opens() { sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' "$here/pom.xml"; }

javacpp_cache="${JAVACPP_CACHE:-$HOME/.javacpp/cache}"

# The codec's vector kernels use the JDK's Vector API, an incubator module (without it the same
# bytes come from scalar loops, slower; -Dbbans.vector=false in JAVA_OPTS forces those).
vector_module=--add-modules=jdk.incubator.vector
# The JVM prints this line for that module before any code runs, and no option turns it off.
incubator_notice='WARNING: Using incubator modules: jdk.incubator.vector'

# exec java "$@" with the JVM's own stderr through a filter that drops the notice above; the job
# writes to the real stderr, handed to it as fd 3 (BBANS_STDERR_FD, io.bbans.job.Main), so that
# nothing it says passes the filter and arrives after it has exited. Signals reach java itself.
exec_java() {
  export BBANS_STDERR_FD=3
  exec java "$@" 3>&2 2> >(grep --line-buffered -v -x -F "$incubator_notice" >&2)
}

run_java() {
  build_if_missing
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
  # Reading a PNG folder goes through Hadoop's file systems, which log through Spark's setup.
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # train-lib: ND4J, which training alone uses (coding, below, runs without it).
  exec_java ${JAVA_OPTS:--Xmx8g} "$vector_module" --add-opens=java.base/java.io=ALL-UNNAMED \
    -Dorg.bytedeco.javacpp.cachedir="$javacpp_cache" "${log4j[@]}" \
    -cp "$(job_jar):$here/job/target/lib/*:$here/job/target/train-lib/*:$here/job/target/spark-lib/*" "$@"
}

# Spark options given before the command.
spark_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) spark_args+=("$1"); shift ;;
    --verbose|--supervise) spark_args+=("$1"); shift ;;
    -h|--help) usage; exit 0 ;;
    --version) break ;;
    --*) [ $# -ge 2 ] || { echo "submit.sh: $1 needs a value" >&2; exit 2; }
         spark_args+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done

# BBANS_DEBUG=1: stack traces and Spark's task-failure logging on the console.
if [ -n "${BBANS_DEBUG:-}" ] && [ "${BBANS_DEBUG}" != 0 ]; then
  log4j=("-Dlog4j2.configurationFile=file:$here/conf/log4j2-debug.properties" -Dbbans.debug=true)
else
  log4j=("-Dlog4j2.configurationFile=file:$here/conf/log4j2.properties")
fi

run_spark() {
  build_if_missing
  if [ -n "${SPARK_HOME:-}" ]; then
    local jars props=()
    jars=$(ls "$here"/job/target/lib/*.jar | paste -sd, -)
    if [ -z "${SPARK_CONF_DIR:-}" ] && [ ! -f "$SPARK_HOME/conf/spark-defaults.conf" ]; then
      props=(--properties-file "$here/conf/spark-defaults.conf")
    fi
    exec "$SPARK_HOME/bin/spark-submit" "${props[@]}" \
      --conf "spark.bbans.defaultsFile=$here/conf/bbans-defaults.conf" \
      --driver-java-options "${log4j[*]}" \
      --jars "$jars" "${spark_args[@]}" \
      --class io.bbans.job.Main "$(job_jar)" "$@"
  fi
  # Embedded mode: spark-submit's options become the system properties SparkConf reads.
  local props=() i=0
  while read -r key value; do
    case "$key" in spark.*) props+=("-D$key=$value") ;; esac
  done < <(grep -v '^[[:space:]]*#' "$here/conf/spark-defaults.conf")
  while [ $i -lt ${#spark_args[@]} ]; do
    local a="${spark_args[$i]}"
    case "$a" in
      --master) props+=("-Dspark.master=${spark_args[$((i + 1))]}"); i=$((i + 2)) ;;
      --master=*) props+=("-Dspark.master=${a#--master=}"); i=$((i + 1)) ;;
      --conf) props+=("-D${spark_args[$((i + 1))]}"); i=$((i + 2)) ;;
      --conf=*) props+=("-D${a#--conf=}"); i=$((i + 1)) ;;
      *) echo "submit.sh: $a needs SPARK_HOME (spark-submit); without it only --master and --conf" >&2
         exit 2 ;;
    esac
  done
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # No ND4J here (target/train-lib): coding is plain Java.
  # shellcheck disable=SC2046
  exec_java ${JAVA_OPTS:--Xmx8g} $(add_opens) "$vector_module" "${log4j[@]}" \
    -Dspark.bbans.defaultsFile="$here/conf/bbans-defaults.conf" "${props[@]}" \
    -cp "$(job_jar):$here/job/target/lib/*:$here/job/target/spark-lib/*" io.bbans.job.Main "$@"
}

case "${1:-}" in
  compress|decompress|stats)
    run_spark "$@"
    ;;
  train|eval)
    [ ${#spark_args[@]} -eq 0 ] || { echo "submit.sh: $1 does not run on Spark; drop ${spark_args[0]}" >&2; exit 2; }
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
  --version)
    run_java io.bbans.job.Main --version
    ;;
  *)
    echo "submit.sh: unknown command '$1'" >&2
    usage
    exit 2
    ;;
esac
