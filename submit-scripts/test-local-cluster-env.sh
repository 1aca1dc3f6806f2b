#!/usr/bin/env bash
# test-local-cluster-env.sh: local-cluster.sh treats its state folder's path and cluster.env as data,
# never as shell code. The state folder is SURNN_CLUSTER_DIR = "<tmp>/dir with space/$(touch <tmp>/pwned)/state"
# (the $(...) is part of the name), and <tmp>/pwned must never appear.
#
#   (1) always, no cluster started: a hostile cluster.env (command substitutions in values, a bare
#       command line) is read by `url`, `status` and `down` without running anything; a damaged PIDS
#       is refused with one line.
#   (2) with --start: `up --workers 1` in that folder, `url`, `status` (1 worker alive), `down`.
#       Needs the build (driver/<target>/lib, built with `surnn build` if missing) and binds
#       free ports on 127.0.0.1.
#
#   test-local-cluster-env.sh [--start]        test.sh runs it with --start
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LC="$ROOT/submit-scripts/local-cluster.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/surnn-lc-env.XXXXXX")"
MARK="$WORK/pwned"
STATE="$WORK/dir with space/\$(touch $MARK)/state"
export SURNN_CLUSTER_DIR="$STATE"
STARTED=0

fail() { echo "[lc-env] FAILED: $*" >&2; exit 1; }
finish() {
  local rc=$?
  if [ "$STARTED" = 1 ]; then "$LC" down >/dev/null 2>&1 || true; fi
  if [ "$rc" = 0 ]; then rm -rf "$WORK"; else echo "[lc-env] files kept in $WORK" >&2; fi
}
trap finish EXIT
no_mark() { [ ! -e "$MARK" ] || fail "$1 ran code from cluster.env or the folder name ($MARK exists)"; }

# (1) a hostile cluster.env, read without a cluster
mkdir -p "$STATE"
{
  printf 'MASTER_URL=spark://127.0.0.1:1$(touch %s)\n' "$MARK"
  printf 'WEBUI_PORT=1\n'
  printf 'PIDS=999999999\n'
  printf 'SPARK_HOME_DIR=%s/spark-home\n' "$STATE"
  printf 'WORKERS=1\nCORES=1\nMEMORY=1g `touch %s`\n' "$MARK"
  printf 'touch %s\n' "$MARK"
} > "$STATE/cluster.env"
url="$("$LC" url)"
[ "$url" = "spark://127.0.0.1:1\$(touch $MARK)" ] || fail "url printed '$url'"
no_mark "url"
"$LC" status > "$WORK/status.out" || fail "status"
grep -q "pid 999999999 not running" "$WORK/status.out" || fail "status: $(cat "$WORK/status.out")"
no_mark "status"
"$LC" down > /dev/null || fail "down"
[ ! -e "$STATE/cluster.env" ] || fail "down left cluster.env"
no_mark "down"
printf 'MASTER_URL=x\nWEBUI_PORT=1\nPIDS=*\n' > "$STATE/cluster.env"
if "$LC" status > "$WORK/damaged.out" 2>&1; then fail "a damaged PIDS was accepted"; fi
grep -q "is damaged" "$WORK/damaged.out" || fail "damaged: $(cat "$WORK/damaged.out")"
rm -f "$STATE/cluster.env"
echo "[lc-env] cluster.env is parsed, not sourced: ok"

# (2) a real cluster in that folder
if [ "${1:-}" = --start ]; then
  STARTED=1
  "$LC" up --workers 1 --cores 1 --memory 600m > "$WORK/up.out" 2>&1 || { cat "$WORK/up.out" >&2; fail "up"; }
  no_mark "up"
  url="$("$LC" url)"
  [[ "$url" =~ ^spark://127\.0\.0\.1:[0-9]+$ ]] || fail "url after up: '$url'"
  grep -qxF "SPARK_HOME_DIR=$STATE/spark-home" "$STATE/cluster.env" || fail "cluster.env: $(cat "$STATE/cluster.env")"
  "$LC" status > "$WORK/status.out"
  grep -q "1 alive of 1" "$WORK/status.out" || fail "status after up: $(cat "$WORK/status.out")"
  "$LC" down > /dev/null
  STARTED=0
  [ ! -e "$STATE/cluster.env" ] || fail "down left cluster.env"
  no_mark "up/status/down"
  echo "[lc-env] up/url/status/down in '$STATE': ok"
fi
