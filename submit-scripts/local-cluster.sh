#!/usr/bin/env bash
# local-cluster.sh: a real Spark standalone cluster (one Master, N Workers) on 127.0.0.1, started
# from this project's build jars: no Spark distribution needed.
#
#   local-cluster.sh up [--workers N] [--cores C] [--memory M]   start; print the master URL and web UI
#   local-cluster.sh status                                       what runs, with PIDs and ports
#   local-cluster.sh url                                          the master URL only (for scripts)
#   local-cluster.sh down                                         stop exactly the processes `up` started
#
# How: Spark's Master and Worker classes are in the Maven jars. A Worker launches executors as
# `java -cp "$SPARK_HOME/conf/:$SPARK_HOME/jars/*" …`, so SPARK_HOME here is a folder whose jars/
# links to driver/<target>/lib/* (the whole runtime classpath, suRNN's own modules included).
# Free ports are picked at start. State (PIDs, ports, logs, worker dirs) lives in .local-cluster/
# in the repository (git-ignored), or in $SURNN_CLUSTER_DIR (any path without a newline; spaces,
# quotes and $(...) are kept as data: cluster.env is KEY=VALUE lines, parsed, never sourced).
#
# Environment: SURNN_TARGET (build folder name, default target), SURNN_CLUSTER_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${SURNN_TARGET:-target}"
LIB="$ROOT/driver/$TARGET/lib"
STATE="${SURNN_CLUSTER_DIR:-$ROOT/.local-cluster}"
ENV_FILE="$STATE/cluster.env"
# The keys of cluster.env; load_env assigns these and nothing else.
ENV_KEYS=" MASTER_URL WEBUI_PORT PIDS SPARK_HOME_DIR WORKERS CORES MEMORY "

die() { echo "local-cluster: $*" >&2; exit 1; }

case "$STATE" in
  *$'\n'*) die "SURNN_CLUSTER_DIR must not contain a newline" ;;
esac

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# A TCP port on 127.0.0.1 that nothing listens on (and that we have not handed out already).
TAKEN=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 20000 ))
    [[ "$TAKEN" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      TAKEN="$TAKEN$p "
      echo "$p"
      return 0
    fi
  done
  die "no free port found between 20000 and 40000"
}

ensure_build() {
  if ! compgen -G "$LIB/spark-core_*.jar" >/dev/null; then
    [ "$TARGET" = target ] || die "$LIB is missing; build with -Dsurnn.target=$TARGET first"
    "$ROOT/submit-scripts/surnn" build
  fi
}

# SPARK_HOME with jars/ linking the build's runtime jars (refreshed on every `up`).
make_spark_home() {
  local home="$STATE/spark-home"
  rm -rf "$home/jars"
  mkdir -p "$home/jars" "$home/conf"
  ln -s "$LIB"/*.jar "$home/jars/"
  # S3A too (driver/<target>/lib-s3), so s3a:// paths work with submit.sh --deps none
  if compgen -G "$LIB-s3/*.jar" >/dev/null; then ln -s "$LIB-s3"/*.jar "$home/jars/"; fi
  # Executors log at WARN into the worker's work dir; the master and workers keep their own logs.
  cat > "$home/conf/log4j2.properties" <<'PROPS'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
PROPS
  echo "$home"
}

alive() {  # pid → true if it is a running Spark daemon we started
  local pid="$1"
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'org.apache.spark.deploy'
}

alive_workers() {  # web UI port → number of ALIVE workers the master reports (0 if unreachable)
  curl -fsS --max-time 2 "http://127.0.0.1:$1/json/" 2>/dev/null \
    | tr -d ' \n' | sed -n 's/.*"aliveworkers":\([0-9]*\).*/\1/p' | head -1 | grep . || echo 0
}

start_daemon() {  # name class args… → pid (logs to $STATE/logs/name.log)
  local name="$1"; shift
  local log="$STATE/logs/$name.log"
  SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
    OMP_NUM_THREADS="$CORES" SPARK_WORKER_DIR="$STATE/work" \
    setsid nohup java -Xmx512m -XX:+IgnoreUnrecognizedVMOptions \
      -cp "$SPARK_HOME_DIR/conf/:$SPARK_HOME_DIR/jars/*" "$@" > "$log" 2>&1 < /dev/null &
  echo $!
}

cmd_up() {
  # Before the options are read: loading cluster.env sets WORKERS, CORES and MEMORY.
  if load_env; then
    for pid in $PIDS; do
      if alive "$pid"; then
        echo "local-cluster: already up (local-cluster.sh down first to restart)" >&2
        cmd_status
        return 0
      fi
    done
    rm -f "$ENV_FILE"
  fi
  WORKERS=2; CORES=1; MEMORY=1200m
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) WORKERS="${2:?--workers needs a number}"; shift 2 ;;
      --cores)   CORES="${2:?--cores needs a number}"; shift 2 ;;
      --memory)  MEMORY="${2:?--memory needs a size like 1200m}"; shift 2 ;;
      *) die "up: unknown option '$1' (up [--workers N] [--cores C] [--memory M])" ;;
    esac
  done
  [[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || die "--workers: must be a positive integer, got '$WORKERS'"
  [[ "$CORES" =~ ^[1-9][0-9]*$ ]] || die "--cores: must be a positive integer, got '$CORES'"
  [[ "$MEMORY" =~ ^[0-9]+[mMgG]$ ]] || die "--memory: must be a size like 1200m or 2g, got '$MEMORY'"

  ensure_build
  mkdir -p "$STATE/logs" "$STATE/work"
  SPARK_HOME_DIR="$(make_spark_home)"
  local port webui pids pid
  port=$(free_port); webui=$(free_port)
  pid=$(start_daemon master org.apache.spark.deploy.master.Master \
        --host 127.0.0.1 --port "$port" --webui-port "$webui")
  pids="$pid"
  write_env "$port" "$webui" "$pids"
  for i in $(seq 1 "$WORKERS"); do
    pid=$(start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" \
          --host 127.0.0.1 --port "$(free_port)" --webui-port "$(free_port)" \
          --cores "$CORES" --memory "$MEMORY" --work-dir "$STATE/work/worker-$i")
    pids="$pids $pid"
    write_env "$port" "$webui" "$pids"
  done

  # Wait until every worker has registered with the master (60 s).
  local n=0
  for _ in $(seq 1 120); do
    n=$(alive_workers "$webui")
    [ "$n" -ge "$WORKERS" ] && break
    for p in $pids; do alive "$p" || { cmd_down >/dev/null; die "a daemon exited during start; see $STATE/logs/"; }; done
    sleep 0.5
  done
  if [ "$n" -lt "$WORKERS" ]; then
    cmd_down >/dev/null
    die "only $n of $WORKERS workers registered within 60 s; see $STATE/logs/"
  fi
  echo "master:  spark://127.0.0.1:$port"
  echo "web UI:  http://127.0.0.1:$webui"
  echo "workers: $WORKERS x ($CORES cores, $MEMORY)   logs: $STATE/logs/"
}

# cluster.env: one KEY=VALUE per line, the value verbatim (no quotes, no escapes). Written to a temp
# file and renamed, so a reader never sees half of it.
write_env() {
  {
    printf 'MASTER_URL=spark://127.0.0.1:%s\n' "$1"
    printf 'WEBUI_PORT=%s\n' "$2"
    printf 'PIDS=%s\n' "$3"
    printf 'SPARK_HOME_DIR=%s\n' "$SPARK_HOME_DIR"
    printf 'WORKERS=%s\n' "$WORKERS"
    printf 'CORES=%s\n' "$CORES"
    printf 'MEMORY=%s\n' "$MEMORY"
  } > "$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

# Reads cluster.env without executing anything in it: each known KEY=VALUE line sets KEY to VALUE
# as text. Numbers are checked, so a damaged file cannot smuggle globs or words into `for pid in`.
load_env() {
  [ -f "$ENV_FILE" ] || return 1
  local line key
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" == *=* ]] || continue
    key="${line%%=*}"
    [[ "$ENV_KEYS" == *" $key "* ]] || continue
    printf -v "$key" '%s' "${line#*=}"
  done < "$ENV_FILE"
  [[ "${PIDS:-}" =~ ^[0-9]+( [0-9]+)*$ && "${WEBUI_PORT:-}" =~ ^[0-9]+$ ]] \
    || die "$ENV_FILE is damaged (PIDS='${PIDS:-}', WEBUI_PORT='${WEBUI_PORT:-}'); stop the daemons by hand and delete it"
}

cmd_status() {
  if ! load_env; then echo "local-cluster: down"; return 0; fi
  echo "master:  $MASTER_URL   web UI: http://127.0.0.1:$WEBUI_PORT"
  echo "workers: $(alive_workers "$WEBUI_PORT") alive of $WORKERS requested ($CORES cores, $MEMORY each)"
  for pid in $PIDS; do
    if alive "$pid"; then
      echo "  pid $pid running: $(tr '\0' ' ' < "/proc/$pid/cmdline" | grep -o 'org.apache.spark.deploy.[a-z]*.[A-Za-z]*')"
    else
      echo "  pid $pid not running"
    fi
  done
  echo "logs:    $STATE/logs/"
}

cmd_url() {
  load_env || die "down (local-cluster.sh up starts it)"
  echo "$MASTER_URL"
}

cmd_down() {
  if ! load_env; then echo "local-cluster: already down"; return 0; fi
  local pid left
  # Workers first (they stop their executors), then the master.
  for pid in $(echo "$PIDS" | tr ' ' '\n' | tac); do
    alive "$pid" && kill "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 40); do
    left=""
    for pid in $PIDS; do alive "$pid" && left="$left $pid"; done
    [ -z "$left" ] && break
    sleep 0.25
  done
  for pid in $left; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$ENV_FILE"
  echo "local-cluster: stopped (pids $PIDS)"
}

case "${1:-}" in
  up)     shift; cmd_up "$@" ;;
  status) cmd_status ;;
  url)    cmd_url ;;
  down)   cmd_down ;;
  ""|-h|--help|help) usage ;;
  *) die "unknown command '$1' (up | status | url | down)" ;;
esac
