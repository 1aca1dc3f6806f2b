#!/usr/bin/env bash
# e2e-faults.sh: training survives the two failures a real run meets, and a run directory belongs to
# one run. Four checks, in one temp folder, on a small generated ListOps dataset and
# conf/listops-tiny.conf (max-steps 40):
#
#   executor  for each engine (paramavg, allreduce; SURNN_FAULT_ENGINES picks): start a standalone
#             cluster (2 workers x 1 core, local-cluster.sh), train on it, and once
#             training is under way kill -9 one executor. Spark re-runs the lost tasks on a fresh
#             executor (cached minibatches are recomputed from the Parquet shards); the run must
#             finish all 40 steps and write test_accuracy.
#   driver    train on local[2] with a checkpoint every 2 rounds, kill -9 the driver JVM as soon as the
#             first checkpoint is committed, then `train --resume`: refused (exit 2) because the killed
#             driver's run.lock is still there, naming --force-unlock; `train --resume --force-unlock`
#             must say where it resumed and finish at exactly step 40, like an uninterrupted run, with
#             each step once in metrics.jsonl.
#   two-runs  two runs on one output.dir: while a first run trains, a second `train` into the same
#             output.dir must be refused at once (exit 2, one line: "in use by another run"); the
#             first must finish all 40 steps with its checkpoints and metrics intact.
#   finished-run  a fresh `train` into a finished run's output.dir (two-runs' one, or a short one):
#             refused (exit 2, one line naming --resume, --overwrite and another output.dir) with the
#             run untouched; then `train --overwrite` moves the old run to <dir>.old-<time> and starts anew.
#
#   e2e-faults.sh [all | CHECK[,CHECK…]]      (default all; e.g. e2e-faults.sh driver,two-runs)
#
# CI runs all checks (submit-scripts/test.sh); they took about 4 minutes there on this 2-core machine.
# Environment: SURNN_TARGET (build folder, default target), SURNN_E2E_KEEP=1 keeps the temp folders.
# Processes are stopped by the PIDs this script started (the cluster by local-cluster.sh down).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
S="$ROOT/submit-scripts"
WHAT="${1:-all}"
START=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/surnn-faults.XXXXXX")"
export SURNN_CLUSTER_DIR="$WORK/cluster"
export SPARK_LOCAL_IP=127.0.0.1
OK=0
BG=""

step() { echo "[faults +$(( $(date +%s) - START ))s] $*"; }
wants() { [ "$WHAT" = all ] || [[ ",$WHAT," == *",$1,"* ]]; }
for w in ${WHAT//,/ }; do
  case "$w" in all|executor|driver|two-runs|finished-run) ;; *) echo "usage: e2e-faults.sh [all | executor,driver,two-runs,finished-run]" >&2; exit 2 ;; esac
done
fail() { echo "[faults] FAILED: $*" >&2; exit 1; }

finish() {
  [ -n "$BG" ] && kill "$BG" 2>/dev/null || true
  "$S/local-cluster.sh" down >/dev/null 2>&1 || true
  if [ "$OK" = 1 ] && [ "${SURNN_E2E_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "[faults] files kept in $WORK" >&2; fi
}
trap finish EXIT

# wait_for SECONDS CMD...: poll CMD every second until it succeeds.
wait_for() {
  local t="$1"; shift
  for _ in $(seq 1 "$t"); do "$@" && return 0; sleep 1; done
  return 1
}

steps_of() { tr -d ' \n' < "$1/metrics.json" | sed -n 's/.*"steps":\([0-9]*\).*/\1/p'; }
train_lines() { [ -f "$1/metrics.jsonl" ] && [ "$(grep -c '"event":"train"' "$1/metrics.jsonl")" -ge "$2" ]; }
has_checkpoint() { compgen -G "$1/checkpoints/step-*/SHA256SUMS" >/dev/null; }
train_steps() { grep '"event":"train"' "$1" | sed 's/.*"step":\([0-9]*\).*/\1/'; }

step "prep listops: 400 / 100 / 100 records, lengths 50-200"
"$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g --class io.surnn.prep.PrepMain -- \
  listops --output "$WORK/data" --train 400 --val 100 --test 100 --min-length 50 --max-length 200 \
  --shards 2 --quiet > "$WORK/prep.log" 2>&1 || { tail -20 "$WORK/prep.log"; fail "prep"; }

TRAIN=(train --config conf/listops-tiny.conf --set "data.path=$WORK/data" --set train.epochs=2)   # 2 x 25 steps, cut at max-steps 40

if wants executor; then
  # Under each engine: dl4j-spark's parameter averaging, and allreduce (replicas kept on the executors,
  # so the killed executor's replica is rebuilt from the round's broadcast parameters).
  for ENGINE in ${SURNN_FAULT_ENGINES:-paramavg allreduce}; do
    step "executor [$ENGINE]: standalone cluster, 2 workers x 1 core"
    "$S/local-cluster.sh" up --workers 2 --cores 1 --memory 1500m >/dev/null
    MASTER="$("$S/local-cluster.sh" url)"
    RUN="$WORK/run-executor-$ENGINE"
    "$S/submit.sh" --master "$MASTER" --deps none --driver-memory 1g --executor-memory 1g --memory-overhead 1g \
      --executor-cores 1 --conf spark.cores.max=2 -- "${TRAIN[@]}" --set "output.dir=$RUN" --set "train.engine=$ENGINE" \
      > "$WORK/executor-$ENGINE.log" 2>&1 &
    BG=$!
    wait_for 300 train_lines "$RUN" 2 || fail "executor [$ENGINE]: training did not start (see $WORK/executor-$ENGINE.log)"
    # An executor of THIS cluster: its command line names this run's worker folder.
    VICTIM=""
    for p in $(pgrep -f CoarseGrainedExecutorBackend || true); do
      if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q "$WORK/cluster"; then VICTIM="$p"; break; fi
    done
    [ -n "$VICTIM" ] || fail "executor [$ENGINE]: no executor process of this cluster found"
    step "executor [$ENGINE]: training under way; kill -9 executor PID $VICTIM"
    kill -9 "$VICTIM"
    wait "$BG" || { tail -30 "$WORK/executor-$ENGINE.log"; fail "executor [$ENGINE]: training failed after the executor was killed"; }
    BG=""
    grep -q "engine $ENGINE:" "$WORK/executor-$ENGINE.log" || fail "executor [$ENGINE]: the run did not use engine $ENGINE"
    [ "$(steps_of "$RUN")" = 40 ] || fail "executor [$ENGINE]: expected 40 steps, metrics.json says $(steps_of "$RUN")"
    [ "$(train_steps "$RUN/metrics.jsonl" | sort -n | uniq -d)" = "" ] || fail "executor [$ENGINE]: metrics.jsonl has a step twice"
    grep -q '"test_accuracy"' "$RUN/metrics.json" || fail "executor [$ENGINE]: no test_accuracy"
    step "executor [$ENGINE]: passed (40 steps and test_accuracy after losing executor $VICTIM)"
    "$S/local-cluster.sh" down >/dev/null
  done
fi

if wants driver; then
  RUN="$WORK/run-driver"
  step "driver: train on local[2], kill -9 the driver after the first checkpoint"
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    --set checkpoint.every-rounds=2 > "$WORK/driver-1.log" 2>&1 &
  BG=$!
  wait_for 300 has_checkpoint "$RUN" || fail "driver: no checkpoint appeared (see $WORK/driver-1.log)"
  kill -9 "$BG" 2>/dev/null || true
  wait "$BG" 2>/dev/null || true
  BG=""
  [ ! -f "$RUN/metrics.json" ] || fail "driver: the run finished before it could be killed (make it longer)"
  [ -f "$RUN/run.lock" ] || fail "driver: the killed driver left no run.lock"
  step "driver: killed; train --resume (refused: the dead driver's lock), then --resume --force-unlock"
  rc=0
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    --set checkpoint.every-rounds=2 --resume > "$WORK/driver-2.log" 2>&1 || rc=$?
  [ "$rc" = 2 ] || { tail -30 "$WORK/driver-2.log"; fail "driver: a resume over a dead driver's lock should exit 2, got $rc"; }
  grep -q "^surnn train: error: output.dir .* is locked by a run that is gone (process [0-9]* is not running.*--force-unlock" \
    "$WORK/driver-2.log" || { cat "$WORK/driver-2.log"; fail "driver: the stale lock was not reported with --force-unlock"; }
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    --set checkpoint.every-rounds=2 --resume --force-unlock > "$WORK/driver-3.log" 2>&1 || { tail -30 "$WORK/driver-3.log"; fail "driver: resume failed"; }
  grep -q "^resuming from" "$WORK/driver-3.log" || fail "driver: the resumed run did not start from a checkpoint"
  [ "$(steps_of "$RUN")" = 40 ] || fail "driver: expected 40 steps after resume, metrics.json says $(steps_of "$RUN")"
  [ "$(train_steps "$RUN/metrics.jsonl" | sort -n | uniq -d)" = "" ] || fail "driver: metrics.jsonl has a step twice"
  [ ! -f "$RUN/run.lock" ] || fail "driver: run.lock left after a finished run"
  step "driver: passed ($(grep '^resuming from' "$WORK/driver-3.log" | sed 's/.*(//; s/)//'), finished at step 40)"
fi

if wants two-runs; then
  RUN="$WORK/run-two"
  step "two-runs: a first run on local[2]; a second train into the same output.dir while it trains"
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    --set checkpoint.every-rounds=2 > "$WORK/two-1.log" 2>&1 &
  BG=$!
  wait_for 300 train_lines "$RUN" 1 || fail "two-runs: the first run did not start training (see $WORK/two-1.log)"
  rc=0
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    > "$WORK/two-2.log" 2>&1 || rc=$?
  [ "$rc" = 2 ] || { tail -30 "$WORK/two-2.log"; fail "two-runs: the second run should exit 2, got $rc"; }
  [ "$(grep -c '^surnn train: ' "$WORK/two-2.log")" = 1 ] \
    && grep -q "^surnn train: error: output.dir .* is in use by another run: run .*pid $BG on " "$WORK/two-2.log" \
    || { cat "$WORK/two-2.log"; fail "two-runs: no one-line refusal naming the first run's pid $BG"; }
  wait "$BG" || { tail -30 "$WORK/two-1.log"; fail "two-runs: the first run failed next to the refused second one"; }
  BG=""
  [ "$(steps_of "$RUN")" = 40 ] || fail "two-runs: expected 40 steps, metrics.json says $(steps_of "$RUN")"
  [ "$(train_steps "$RUN/metrics.jsonl" | head -1)" = 2 ] && [ "$(train_steps "$RUN/metrics.jsonl" | tail -1)" = 40 ] \
    || fail "two-runs: metrics.jsonl does not run from step 2 to 40"
  has_checkpoint "$RUN" || fail "two-runs: no checkpoint"
  step "two-runs: passed (second run refused with exit 2, first finished at step 40)"
fi

if wants finished-run; then
  RUN="$WORK/run-two"
  if [ ! -f "$RUN/metrics.json" ]; then
    step "finished-run: a short run to finish first"
    "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
      --set train.max-steps=4 > "$WORK/finished-0.log" 2>&1 || { tail -30 "$WORK/finished-0.log"; fail "finished-run: first run"; }
  fi
  BEFORE="$(steps_of "$RUN")"
  cp "$RUN/metrics.jsonl" "$WORK/finished-metrics.jsonl"
  step "finished-run: a fresh train into the finished run ($BEFORE steps)"
  rc=0
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    > "$WORK/finished-1.log" 2>&1 || rc=$?
  [ "$rc" = 2 ] || { tail -30 "$WORK/finished-1.log"; fail "finished-run: a fresh train should exit 2, got $rc"; }
  [ "$(grep -c '^surnn train: ' "$WORK/finished-1.log")" = 1 ] \
    && grep -q "^surnn train: error: output.dir $RUN already holds a run (.*--resume.*--overwrite.*another output.dir" "$WORK/finished-1.log" \
    || { cat "$WORK/finished-1.log"; fail "finished-run: no one-line refusal naming the choices"; }
  cmp -s "$RUN/metrics.jsonl" "$WORK/finished-metrics.jsonl" && [ "$(steps_of "$RUN")" = "$BEFORE" ] \
    || fail "finished-run: the refused run changed the finished one"
  step "finished-run: refused; now train --overwrite (max-steps 4)"
  "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g -- "${TRAIN[@]}" --set "output.dir=$RUN" \
    --set train.max-steps=4 --overwrite > "$WORK/finished-2.log" 2>&1 || { tail -30 "$WORK/finished-2.log"; fail "finished-run: --overwrite failed"; }
  OLD="$(compgen -G "$RUN.old-*" | head -1 || true)"
  [ -n "$OLD" ] && [ "$(steps_of "$OLD")" = "$BEFORE" ] || fail "finished-run: the old run is not in $RUN.old-* with its $BEFORE steps"
  [ "$(steps_of "$RUN")" = 4 ] || fail "finished-run: the new run should have 4 steps, metrics.json says $(steps_of "$RUN")"
  [ -z "$(ls "$RUN/checkpoints" | grep -v '^step-000000000004$' || true)" ] || fail "finished-run: old checkpoints in the new run: $(ls "$RUN/checkpoints")"
  step "finished-run: passed (refused, then the old run moved to $(basename "$OLD"))"
fi

OK=1
step "all requested fault checks passed"
