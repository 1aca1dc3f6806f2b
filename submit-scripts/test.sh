#!/usr/bin/env bash
# The project's one test command (README): every module's JUnit 5 tests, then the end-to-end checks
# on a real local Spark standalone cluster (each script starts and stops its own cluster):
#   test-local-cluster-env.sh --start   local-cluster.sh with a state folder holding a space and $(...)
#   e2e-cluster.sh   prep -> train -> evaluate on 2 workers, metrics.json checked
#   e2e-faults.sh    an executor killed mid-training; the driver killed, then --resume
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SPARK_LOCAL_IP=127.0.0.1
mvn -B -ntp verify
# verify ran `package`, so driver/target/lib is complete: tell the launcher the build is current.
touch driver/target/.surnn-built
submit-scripts/test-local-cluster-env.sh --start
submit-scripts/e2e-cluster.sh
submit-scripts/e2e-faults.sh all
