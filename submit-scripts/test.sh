#!/usr/bin/env bash
# The project's one test command (README): every module's JUnit 5 tests, then the end-to-end
# check on a real local Spark standalone cluster (started and stopped here).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SPARK_LOCAL_IP=127.0.0.1
mvn -B -ntp verify
touch driver/target/.surnn-built
if [ -x submit-scripts/e2e-cluster.sh ]; then
  submit-scripts/e2e-cluster.sh
fi
