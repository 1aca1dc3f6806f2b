#!/usr/bin/env bash
# The project's one test command (README): every module's JUnit 5 tests, then the end-to-end checks
# on a real local Spark standalone cluster (each script starts and stops its own cluster):
#   test-local-cluster-env.sh --start   local-cluster.sh with a state folder holding a space and $(...)
#   e2e-cluster.sh   prep -> train -> evaluate on 2 workers, metrics.json checked
#   e2e-faults.sh    an executor killed mid-training; the driver killed, then --resume
# and, before them, one experiment's smoke version through the launcher (surnn experiment listops --smoke).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SPARK_LOCAL_IP=127.0.0.1
mvn -B -ntp verify
# verify ran `package`, so driver/target/lib is complete: tell the launcher the build is current.
touch driver/target/.surnn-built
# An experiment's smoke version through the launcher (about a minute): 5 arms x 1 seed, rows and table written.
EXP_TMP="$(mktemp -d)"
submit-scripts/surnn experiment listops --smoke --out "$EXP_TMP/out" --work "$EXP_TMP/work"
rows="$(grep -c '"arm"' "$EXP_TMP/out/listops-smoke.json")"
[ "$rows" = 5 ] && [ -s "$EXP_TMP/out/listops-smoke.md" ] \
  || { echo "test.sh: surnn experiment listops --smoke wrote $rows rows (expected 5)" >&2; exit 1; }
rm -rf "$EXP_TMP"
submit-scripts/test-local-cluster-env.sh --start
submit-scripts/e2e-cluster.sh
submit-scripts/e2e-faults.sh all
