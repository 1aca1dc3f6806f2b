#!/usr/bin/env bash
# submit.sh: run a suRNN driver command on a Spark cluster through spark-submit, with what the
# stack needs (Java 17 module options, JavaCPP cache dir and memory limits, OpenMP threads per
# executor, memoryOverhead for ND4J's off-heap arrays, the driver jar and its dependencies).
#
#   submit.sh --master URL [options] -- <command> [args]      e.g.  -- train --config conf/listops.conf
#
# Options:
#   --master URL              spark://host:7077 | yarn | k8s://https://host:443 | local[N]   (required)
#   --deploy-mode MODE        client (default) | cluster
#   --executor-memory SIZE    executor heap (default 2g)
#   --executor-cores N        cores per executor = ND4J OpenMP threads per executor (default 1)
#   --num-executors N         executors (YARN, Kubernetes; standalone: use --conf spark.cores.max)
#   --driver-memory SIZE      driver heap (default 2g)
#   --memory-overhead SIZE    off-heap room per executor for ND4J (default: = executor memory)
#   --deps MODE               how executors get the dependency jars:
#                               jars        ship driver/<target>/lib/*.jar with --jars (default)
#                               none        the nodes already have them (local-cluster.sh's SPARK_HOME)
#                               local:DIR   they are at DIR on every node (a container image)
#   --s3                      s3a:// support on the executors too: the jars of driver/<target>/lib-s3
#                             (hadoop-aws and the AWS SDK bundle, about 280 MB) go the way --deps
#                             says. On by itself when an argument after -- contains s3a:// or names
#                             a --config file that does.
#   --class NAME              main class (default io.surnn.driver.cli.DriverMain;
#                             io.surnn.prep.PrepMain runs `surnn prep` the same way)
#   --conf KEY=VALUE          any Spark setting, repeatable; wins over the defaults above
#   --dry-run                 print the command instead of running it (secret --conf/--set values redacted)
#
# Every other spark-submit option passes through unchanged (--name, --queue, --files, --archives,
# --packages, --repositories, --exclude-packages, --properties-file, --keytab, --principal,
# --proxy-user, --driver-cores, --total-executor-cores, --py-files, --verbose, --supervise, ...):
# "--opt VALUE" or "--opt=VALUE"; --verbose, -v and --supervise take no value. The options above
# are the ones submit.sh owns (it sets defaults or derives Spark settings from them). The app name
# is the config's spark.app-name (default suRNN) unless --name is given.
#
# S3 keys never pass through this script: S3A takes AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the
# driver's environment (Spark copies them into its jobs' Hadoop configuration), an instance profile
# or a Hadoop credential provider. Other S3A settings go in as --conf spark.hadoop.fs.s3a.KEY=VALUE
# (e.g. fs.s3a.endpoint and fs.s3a.path.style.access=true for an S3-compatible store).
#
# spark-submit is $SPARK_HOME/bin/spark-submit when SPARK_HOME is a Spark distribution, else
# org.apache.spark.deploy.SparkSubmit run from the build's jars. Environment: SURNN_TARGET (build
# folder, default target), SURNN_JAVACPP_CACHE (default /tmp/surnn-javacpp), SURNN_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${SURNN_TARGET:-target}"
LIB="$ROOT/driver/$TARGET/lib"
LIB_S3="$ROOT/driver/$TARGET/lib-s3"
CACHE="${SURNN_JAVACPP_CACHE:-/tmp/surnn-javacpp}"
TIME_SOURCE="-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"

die() { echo "submit: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

java17_opens() {
  local o="-XX:+IgnoreUnrecognizedVMOptions"
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
           java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
           sun.security.action sun.util.calendar; do
    o="$o --add-opens=java.base/$p=ALL-UNNAMED"
  done
  echo "$o --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
}

to_mb() {  # 2g | 1500m | 1024 (MiB) → MiB
  local v="${1,,}"
  case "$v" in
    *g) echo $(( ${v%g} * 1024 )) ;;
    *m) echo "${v%m}" ;;
    *[0-9]) echo "$v" ;;
    *) die "size '$1': use a size like 1500m or 2g" ;;
  esac
}

MASTER=""; DEPLOY=client; EXEC_MEM=2g; EXEC_CORES=1; NUM_EXEC=""; DRIVER_MEM=2g; OVERHEAD=""
DEPS=jars; CLASS=io.surnn.driver.cli.DriverMain; DRY=0; USER_CONF=(); PASS=(); S3=0
while [ $# -gt 0 ]; do
  case "$1" in
    --master)          MASTER="${2:?--master needs a URL}"; shift 2 ;;
    --deploy-mode)     DEPLOY="${2:?}"; shift 2 ;;
    --executor-memory) EXEC_MEM="${2:?}"; shift 2 ;;
    --executor-cores)  EXEC_CORES="${2:?}"; shift 2 ;;
    --num-executors)   NUM_EXEC="${2:?}"; shift 2 ;;
    --driver-memory)   DRIVER_MEM="${2:?}"; shift 2 ;;
    --memory-overhead) OVERHEAD="${2:?}"; shift 2 ;;
    --deps)            DEPS="${2:?}"; shift 2 ;;
    --class)           CLASS="${2:?}"; shift 2 ;;
    --conf)            [[ "${2:-}" == *=* ]] || die "--conf needs KEY=VALUE, got '${2:-}'"; USER_CONF+=("$2"); shift 2 ;;
    --dry-run)         DRY=1; shift ;;
    --s3)              S3=1; shift ;;
    -h|--help)         usage; exit 0 ;;
    --)                shift; break ;;
    --verbose|-v|--supervise) PASS+=("$1"); shift ;;          # spark-submit's flags without a value
    --*=*)             PASS+=("$1"); shift ;;
    --*)               [ $# -ge 2 ] || die "$1 needs a value (spark-submit option)"; PASS+=("$1" "$2"); shift 2 ;;
    *) die "unexpected argument '$1' (the driver command goes after --; submit.sh --help)" ;;
  esac
done
[ -n "$MASTER" ] || die "--master is required (spark://host:7077, yarn, k8s://https://host:443, local[N])"
[ $# -gt 0 ] || die "no command after -- (e.g. -- train --config conf/listops.conf)"
case "$DEPLOY" in client|cluster) ;; *) die "--deploy-mode: client or cluster, got '$DEPLOY'" ;; esac
[[ "$EXEC_CORES" =~ ^[1-9][0-9]*$ ]] || die "--executor-cores: a positive integer, got '$EXEC_CORES'"

# s3a:// in the command's arguments, or in the file a --config names: the executors need S3A too.
prev=""
for a in "$@"; do
  case "$a" in *s3a://*) S3=1 ;; esac
  if [ "$prev" = --config ] && [ -r "$a" ] && grep -q 's3a://' "$a"; then S3=1; fi
  case "$a" in --config=*) f="${a#--config=}"; [ -r "$f" ] && grep -q 's3a://' "$f" && S3=1 ;; esac
  prev="$a"
done

APP_JAR="$(ls "$ROOT/driver/$TARGET"/surnn-driver-*.jar 2>/dev/null | head -1 || true)"
if [ -z "$APP_JAR" ] || ! compgen -G "$LIB/spark-core_*.jar" >/dev/null || ! compgen -G "$LIB_S3/hadoop-aws-*.jar" >/dev/null; then
  [ "$TARGET" = target ] || die "no build in driver/$TARGET; build with -Dsurnn.target=$TARGET first"
  "$ROOT/submit-scripts/surnn" build
  APP_JAR="$(ls "$ROOT/driver/$TARGET"/surnn-driver-*.jar | head -1)"
fi

EXEC_MB=$(to_mb "$EXEC_MEM")
OVERHEAD_MB=$(to_mb "${OVERHEAD:-$EXEC_MEM}")
# ND4J's off-heap limit inside the overhead, leaving room for the JVM's own native memory;
# maxphysicalbytes bounds heap + off-heap below what the cluster manager kills at.
MAXBYTES_MB=$(( OVERHEAD_MB * 3 / 4 ))
MAXPHYS_MB=$(( EXEC_MB + OVERHEAD_MB * 9 / 10 ))
EXEC_OPTS="-Dorg.bytedeco.javacpp.cachedir=$CACHE -Dorg.bytedeco.javacpp.maxbytes=${MAXBYTES_MB}m"
EXEC_OPTS="$EXEC_OPTS -Dorg.bytedeco.javacpp.maxphysicalbytes=${MAXPHYS_MB}m $TIME_SOURCE"
DRIVER_OPTS="$(java17_opens) -Dorg.bytedeco.javacpp.cachedir=$CACHE $TIME_SOURCE"

CONF=(
  "spark.executor.memory=$EXEC_MEM"
  "spark.executor.cores=$EXEC_CORES"
  "spark.executor.memoryOverhead=${OVERHEAD_MB}m"
  "spark.executorEnv.OMP_NUM_THREADS=$EXEC_CORES"
  "spark.executor.extraJavaOptions=$EXEC_OPTS"
  "spark.driver.extraJavaOptions=$DRIVER_OPTS"
  "spark.serializer=org.apache.spark.serializer.KryoSerializer"
  "spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator"
)
[ -n "$NUM_EXEC" ] && CONF+=("spark.executor.instances=$NUM_EXEC")
case "$MASTER" in
  local*|spark://127.0.0.1:*|spark://localhost:*) CONF+=("spark.driver.host=127.0.0.1") ;;
esac
CONF+=("${USER_CONF[@]+"${USER_CONF[@]}"}")   # last wins: user settings override the defaults

DEP_JARS=("$LIB"/*.jar)
[ "$S3" = 1 ] && DEP_JARS+=("$LIB_S3"/*.jar)
JARS=""
case "$DEPS" in
  jars)    JARS="$(printf '%s\n' "${DEP_JARS[@]}" | paste -sd, -)" ;;
  none)    ;;
  local:*) dir="${DEPS#local:}"; JARS="$(for j in "${DEP_JARS[@]}"; do printf 'local://%s/%s,' "$dir" "$(basename "$j")"; done)"; JARS="${JARS%,}" ;;
  *) die "--deps: jars | none | local:DIR, got '$DEPS'" ;;
esac

ARGS=(--master "$MASTER" --deploy-mode "$DEPLOY" --class "$CLASS" --driver-memory "$DRIVER_MEM")
for c in "${CONF[@]}"; do ARGS+=(--conf "$c"); done
ARGS+=("${PASS[@]+"${PASS[@]}"}")
[ -n "$JARS" ] && ARGS+=(--jars "$JARS")
ARGS+=("$APP_JAR" "$@")

case "$MASTER" in local*|spark://127.0.0.1:*|spark://localhost:*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;; esac
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$EXEC_CORES}"

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  # A Spark distribution: its spark-submit starts the driver JVM with spark.driver.extraJavaOptions.
  CMD=("$SPARK_HOME/bin/spark-submit" "${ARGS[@]}")
else
  # No distribution: run SparkSubmit from the build's jars; in client mode this JVM is the driver,
  # so it gets the driver options itself (and --driver-memory as -Xmx).
  # shellcheck disable=SC2206
  CMD=(java $(java17_opens) -Xmx"$DRIVER_MEM" -Dorg.bytedeco.javacpp.cachedir="$CACHE" "$TIME_SOURCE"
       -Dsurnn.repo.root="$ROOT" ${SURNN_JAVA_OPTS:-} -cp "$APP_JAR:$LIB/*:$LIB_S3/*" org.apache.spark.deploy.SparkSubmit "${ARGS[@]}")
fi

if [ "$DRY" = 1 ]; then
  # Printed, so secrets are redacted as Spark does: a --conf or --set whose key matches Spark's
  # default spark.redaction.regex shows *********(redacted) instead of its value.
  prev=""
  for a in "${CMD[@]}"; do
    if [[ ( "$prev" = --conf || "$prev" = --set ) && "$a" == *=* ]] \
       && [[ "$(printf '%s' "${a%%=*}" | tr '[:upper:]' '[:lower:]')" =~ secret|password|token|access[.]?key ]]; then
      a="${a%%=*}=*********(redacted)"
    fi
    printf '%q ' "$a"
    prev="$a"
  done
  echo
  exit 0
fi
exec "${CMD[@]}"
