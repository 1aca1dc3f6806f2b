#!/usr/bin/env bash
# bench-scaling.sh: data-parallel scaling on a real Spark standalone cluster on 127.0.0.1. For every
# cell of the grid  model x workers x averaging frequency x engine  it trains once and records the
# training throughput and where the averaging rounds' wall time went (the round profile):
#
#   models     listops  ListOps classifier (conf/listops.conf: suGRU, 2 layers; embedding 32,
#                       hidden 128, batch 32 per worker), on a generated ListOps dataset
#              lm       WikiText-2-shaped language model (conf/wikitext2.conf: suGRU, 2 layers;
#                       embedding 128, hidden 128, batch 32 per worker, tBPTT 32 as in
#                       conf/wikitext2-tiny.conf, 64-token windows) on a generated word stream
#                       (log-uniform over a 3000-word vocabulary), prepared by `surnn prep wikitext`
#   workers    1, 2     a cluster of that many workers x 1 core (local-cluster.sh), spark.cores.max
#                       and train.workers = workers
#   freqs      1, 5, 20 train.averaging-frequency
#   engines    paramavg, allreduce   train.engine
#
# Throughput is measured after a warm-up: the train events of metrics.jsonl whose round ended within
# the first --warmup-steps steps (and always the first round: executor JIT, the network's first build,
# reading and caching the minibatches) are left out; the rest give throughput = sum of their units
# (examples or tokens, all workers together) / sum of their round wall times, the phase shares
# (data, fit, aggregate, broadcast, schedule) of their summed round_*_ms, the mean round time and the
# mean bytes the driver received per round. metrics.json's whole-run throughput is kept as
# throughput_run. A cell runs max(--steps, 2 x freq) steps, so that at least one round is measured
# (freq 20: 40 steps, the second round measured; freq 1: rounds 6-30; freq 5: rounds 2-6).
#
# Output: a JSON array, one object per run (default docs/bench/scaling.json), a table, and for each
# (model, engine, freq) the scaling ratio: throughput with N workers / throughput with 1 worker.
#
#   bench-scaling.sh [--models listops,lm] [--workers 1,2] [--freqs 1,5,20]
#                    [--engines paramavg,allreduce] [--steps N] [--warmup-steps N] [--out FILE] [--keep]
#
# Defaults: the full grid (24 runs), --steps 30, --warmup-steps 5: training phases of 20-50 s, runs of
# 40-75 s (Spark and executor start, test evaluation and report included), about 25 minutes in all on
# an idle 2-core machine; run it alone (the measurement needs the cores). A quick check of one cell:
#   bench-scaling.sh --models listops --workers 1 --freqs 5 --engines allreduce --steps 10 --out /tmp/s.json
# Options may also come from the environment: SURNN_BENCH_MODELS, _WORKERS, _FREQS, _ENGINES, _STEPS,
# _WARMUP_STEPS, _OUT; sizes: SURNN_BENCH_LISTOPS_LENGTHS ("MIN MAX" tree lengths, default "100 500"),
# SURNN_BENCH_LM_WINDOW (tokens per window = seq_len + 1, default 65), SURNN_BENCH_EXECUTOR_MEMORY
# (default 1g), SURNN_BENCH_DRIVER_MEMORY (default 1g); SURNN_TARGET (build folder, default target).
# Needs only bash, awk and the build (JDK 17, Maven): the JSON is written by awk, no jq or python.
# Everything else goes to a temp folder, removed after success unless --keep; the cluster is always
# stopped (trap). A failed run is reported with its log's tail; the others still run; exit status 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
S="$ROOT/submit-scripts"

MODELS="${SURNN_BENCH_MODELS:-listops,lm}"
WORKERS="${SURNN_BENCH_WORKERS:-1,2}"
FREQS="${SURNN_BENCH_FREQS:-1,5,20}"
ENGINES="${SURNN_BENCH_ENGINES:-paramavg,allreduce}"
STEPS="${SURNN_BENCH_STEPS:-30}"
WARMUP="${SURNN_BENCH_WARMUP_STEPS:-5}"
OUT="${SURNN_BENCH_OUT:-$ROOT/docs/bench/scaling.json}"
KEEP=0
read -r LO_MIN LO_MAX <<< "${SURNN_BENCH_LISTOPS_LENGTHS:-100 500}"
LM_WINDOW="${SURNN_BENCH_LM_WINDOW:-65}"
EXEC_MEM="${SURNN_BENCH_EXECUTOR_MEMORY:-1g}"
DRIVER_MEM="${SURNN_BENCH_DRIVER_MEMORY:-1g}"
BATCH=32
LM_VOCAB=3000

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
die() { echo "bench-scaling: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="${2:?}"; shift 2 ;;
    --workers) WORKERS="${2:?}"; shift 2 ;;
    --freqs) FREQS="${2:?}"; shift 2 ;;
    --engines) ENGINES="${2:?}"; shift 2 ;;
    --steps) STEPS="${2:?}"; shift 2 ;;
    --warmup-steps) WARMUP="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

MODELS="${MODELS//,/ }"; WORKERS="${WORKERS//,/ }"; FREQS="${FREQS//,/ }"; ENGINES="${ENGINES//,/ }"
for m in $MODELS; do case "$m" in listops|lm) ;; *) die "--models: listops or lm, got '$m'" ;; esac; done
for e in $ENGINES; do case "$e" in paramavg|allreduce) ;; *) die "--engines: paramavg or allreduce, got '$e'" ;; esac; done
for n in $WORKERS $FREQS $STEPS; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "workers, freqs and steps must be positive integers, got '$n'"; done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "--warmup-steps: a number >= 0, got '$WARMUP'"
[ -n "$MODELS" ] && [ -n "$WORKERS" ] && [ -n "$FREQS" ] && [ -n "$ENGINES" ] || die "an empty grid"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

steps_for() { local f="$1"; echo $(( STEPS > 2 * f ? STEPS : 2 * f )); }
MAX_W=1; for w in $WORKERS; do [ "$w" -gt "$MAX_W" ] && MAX_W="$w"; done
MAX_STEPS=1; for f in $FREQS; do n="$(steps_for "$f")"; [ "$n" -gt "$MAX_STEPS" ] && MAX_STEPS="$n"; done
# Enough training records that max-steps ends every run inside its first epoch (no epoch-end pass).
NEED_EXAMPLES=$(( MAX_STEPS * MAX_W * BATCH + 4 * BATCH ))

START=$(date +%s)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/surnn-scaling.XXXXXX")"
export SURNN_CLUSTER_DIR="$WORK/cluster"
export SPARK_LOCAL_IP=127.0.0.1
OK=0
FAILED=""
ROWS="$WORK/rows.tsv"
: > "$ROWS"

step() { echo "[scaling +$(( $(date +%s) - START ))s] $*"; }

finish() {
  "$S/local-cluster.sh" down >/dev/null 2>&1 || true
  if [ "$OK" = 1 ] && [ "$KEEP" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "[scaling] files kept in $WORK (runs/, *.log, cluster/logs)" >&2
  fi
}
trap finish EXIT

prep() { # name args...: surnn prep on embedded Spark
  local name="$1"; shift
  if ! "$S/submit.sh" --master 'local[2]' --deps none --driver-memory 1g --class io.surnn.prep.PrepMain -- \
      "$@" --shards 2 --quiet > "$WORK/prep-$name.log" 2>&1; then
    tail -n 40 "$WORK/prep-$name.log" >&2
    echo "[scaling] FAILED: prep $name" >&2
    exit 1
  fi
}

for m in $MODELS; do
  case "$m" in
    listops)
      step "prep listops: $NEED_EXAMPLES / 64 / 64 records, lengths $LO_MIN-$LO_MAX"
      prep listops listops --output "$WORK/data-listops" --train "$NEED_EXAMPLES" --val 64 --test 64 \
        --min-length "$LO_MIN" --max-length "$LO_MAX" ;;
    lm)
      # Words w1..w2999, log-uniform (a Zipf-like spread), 5-25 per line (+1 <eos> each).
      need_tokens=$(( NEED_EXAMPLES * (LM_WINDOW - 1) ))
      step "prep wikitext (word level, window $LM_WINDOW) on ~$need_tokens generated train tokens, vocabulary ~$LM_VOCAB"
      mkdir -p "$WORK/text"
      for split in train:"$need_tokens":1 valid:8000:2 test:8000:3; do
        IFS=: read -r name tokens seed <<< "$split"
        awk -v n="$tokens" -v v="$LM_VOCAB" -v seed="$seed" 'BEGIN {
          srand(seed); t = 0
          while (t < n) {
            k = 5 + int(rand() * 21); line = ""
            for (i = 0; i < k; i++) line = line (i ? " " : "") "w" int(exp(rand() * log(v)))
            print line; t += k + 1
          }
        }' > "$WORK/text/$name.txt"
      done
      prep lm wikitext --input "$WORK/text" --output "$WORK/data-lm" --window "$LM_WINDOW" ;;
  esac
done

# summarize metrics.jsonl warmup_steps: one line "throughput unit rounds skipped round_ms bytes d f a b s"
# over the measured rounds ("-" where a value is missing).
summarize() {
  awk -v warm="$2" '
    function num(key,   re) {
      re = "\"" key "\":-?[0-9.]+([eE][-+]?[0-9]+)?"
      if (!match($0, re)) return ""
      return substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3) + 0
    }
    function str(key,   re) {
      re = "\"" key "\":\"[^\"]*\""
      if (!match($0, re)) return ""
      return substr($0, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
    }
    /"event":"train"/ {
      seen++
      if (seen == 1 || num("step") <= warm) { skipped++; next }
      ms = 0
      for (i = 1; i <= 5; i++) { v = num("round_" ph[i] "_ms"); if (v != "") { ms += v; tot[i] += v } }
      if (ms <= 0) { ms = 0; profiled = 0 } else profiled = 1
      rate = num("tokens_or_examples_per_s"); unit = str("unit")
      if (!profiled) { noprofile = 1; next }
      units += rate * ms / 1000; secs += ms / 1000; rounds++
      b = num("round_driver_bytes"); if (b != "") { bytes += b; nb++ }
    }
    BEGIN { split("data fit aggregate broadcast schedule", ph, " ") }
    END {
      if (rounds == 0 || noprofile) { print "- - 0 " skipped + 0 " - - - - - - -"; exit }
      printf "%.2f %s %d %d %.1f %s", units / secs, unit, rounds, skipped, secs * 1000 / rounds, (nb ? sprintf("%.0f", bytes / nb) : "-")
      for (i = 1; i <= 5; i++) printf " %.4f", tot[i] / (secs * 1000)
      printf "\n"
    }' "$1"
}

# json_num FILE KEY: the first numeric value of "KEY" in a JSON file (pretty-printed or not), or "-".
json_num() {
  tr -d ' \n' < "$1" | awk -v key="$2" '{ re = "\"" key "\":-?[0-9.]+([eE][-+]?[0-9]+)?"
    if (match($0, re)) { print substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3); found = 1; exit } }
    END { if (!found) print "-" }'
}

run_cell() { # model workers freq engine master
  local m="$1" w="$2" f="$3" e="$4" master="$5"
  local n name dir t0 t1 conf
  n="$(steps_for "$f")"
  name="$m-w$w-f$f-$e"
  dir="$WORK/runs/$name"
  local sets=(--set "output.dir=$dir" --set "train.workers=$w" --set "train.averaging-frequency=$f"
              --set "train.engine=$e" --set "train.max-steps=$n" --set train.epochs=1
              --set "train.batch-per-worker=$BATCH" --set train.early-stopping.patience=0
              --set checkpoint.every-rounds=0 --set model.hidden=128)
  case "$m" in
    listops) conf=conf/listops.conf; sets+=(--set "data.path=$WORK/data-listops" --set model.embedding=32) ;;
    lm) conf=conf/wikitext2.conf; sets+=(--set "data.path=$WORK/data-lm" --set model.embedding=128 --set train.tbptt=32) ;;
  esac
  step "$name: $n steps on $master"
  t0=$(date +%s)
  if ! "$S/submit.sh" --master "$master" --deps none --driver-memory "$DRIVER_MEM" --executor-memory "$EXEC_MEM" \
      --memory-overhead 1g --executor-cores 1 --conf "spark.cores.max=$w" \
      -- train --config "$conf" "${sets[@]}" > "$WORK/$name.log" 2>&1; then
    echo "[scaling] FAILED: $name; last lines of $WORK/$name.log:" >&2
    tail -n 30 "$WORK/$name.log" >&2
    FAILED="$FAILED $name"
    return 0
  fi
  t1=$(date +%s)
  local sum steps_done run_thr
  sum="$(summarize "$dir/metrics.jsonl" "$WARMUP")"
  steps_done="$(json_num "$dir/metrics.json" steps)"
  run_thr="$(json_num "$dir/metrics.json" throughput)"
  [ "$steps_done" = "$n" ] || echo "[scaling] note: $name ran $steps_done steps, not $n" >&2
  # engine workers freq model steps wall_s throughput_run | summarize's fields
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$e" "$w" "$f" "$m" "$steps_done" "$((t1 - t0))" "$run_thr" \
    "$(echo "$sum" | tr ' ' '\t')" >> "$ROWS"
  set -- $sum
  write_rows
  step "$name: $1 $2 after warm-up ($3 rounds measured, $4 skipped; whole run $run_thr), wall $((t1 - t0))s"
}

# write_rows [table]: rows.tsv -> the JSON array at $OUT (replaced whole, after every run, so an
# interrupted grid keeps what it measured), with scaling_ratio = throughput / the same cell's 1-worker
# throughput; with "table", also print the table and the ratios.
write_rows() {
  mkdir -p "$(dirname "$OUT")"
  awk -F '\t' -v out="$OUT.tmp" -v table="$([ "${1:-}" = table ] && echo 1 || echo 0)" '
  function v(x) { return (x == "-" || x == "") ? "null" : x }
  { n++; for (i = 1; i <= NF; i++) r[n, i] = $i
    if ($2 == 1 && $8 != "-") one[$1 SUBSEP $3 SUBSEP $4] = $8 }
  END {
    # columns: 1 engine 2 workers 3 freq 4 model 5 steps 6 wall_s 7 throughput_run 8 throughput 9 unit
    # 10 rounds 11 skipped 12 round_ms 13 bytes 14-18 shares
    printf "[\n" > out
    for (k = 1; k <= n; k++) {
      key = r[k, 1] SUBSEP r[k, 3] SUBSEP r[k, 4]
      ratio = (r[k, 8] != "-" && (key in one) && one[key] > 0) ? sprintf("%.3f", r[k, 8] / one[key]) : "null"
      printf("  {\"engine\": \"%s\", \"workers\": %s, \"averaging_frequency\": %s, \"model\": \"%s\", ", r[k, 1], r[k, 2], r[k, 3], r[k, 4]) > out
      printf("\"throughput\": %s, \"unit\": \"%s\", ", v(r[k, 8]), r[k, 9] == "-" ? "" : r[k, 9]) > out
      printf("\"share_data\": %s, \"share_fit\": %s, \"share_aggregate\": %s, \"share_broadcast\": %s, \"share_schedule\": %s, ", v(r[k, 14]), v(r[k, 15]), v(r[k, 16]), v(r[k, 17]), v(r[k, 18])) > out
      printf("\"scaling_ratio\": %s, \"steps\": %s, \"rounds_measured\": %s, \"warmup_rounds\": %s, \"round_ms\": %s, ", ratio, v(r[k, 5]), v(r[k, 10]), v(r[k, 11]), v(r[k, 12])) > out
      printf("\"driver_bytes_per_round\": %s, \"throughput_run\": %s, \"wall_s\": %s}%s\n", v(r[k, 13]), v(r[k, 7]), v(r[k, 6]), k < n ? "," : "") > out
    }
    printf "]\n" > out
    if (!table) exit

    printf "\n%-8s %-9s %2s %4s %12s %-5s %6s %6s %6s %6s %6s %8s %6s\n", "model", "engine", "W", "freq", "throughput", "unit", "data", "fit", "aggr", "bcast", "sched", "round_ms", "wall_s"
    for (k = 1; k <= n; k++)
      printf "%-8s %-9s %2s %4s %12s %-5s %6s %6s %6s %6s %6s %8s %6s\n", r[k, 4], r[k, 1], r[k, 2], r[k, 3], r[k, 8], r[k, 9], r[k, 14], r[k, 15], r[k, 16], r[k, 17], r[k, 18], r[k, 12], r[k, 6]
    header = 0
    for (k = 1; k <= n; k++) {
      key = r[k, 1] SUBSEP r[k, 3] SUBSEP r[k, 4]
      if (r[k, 2] == 1 || r[k, 8] == "-" || !(key in one) || one[key] <= 0) continue
      if (!header++) printf "\nscaling ratio (throughput with W workers / with 1 worker; ideal = W):\n"
      printf "  %-8s %-9s freq %-3s W=%s: %.2f\n", r[k, 4], r[k, 1], r[k, 3], r[k, 2], r[k, 8] / one[key]
    }
  }' "$ROWS"
  mv "$OUT.tmp" "$OUT"
}

for w in $WORKERS; do
  step "starting a standalone cluster: $w worker(s) x 1 core"
  "$S/local-cluster.sh" up --workers "$w" --cores 1 --memory 1500m > "$WORK/cluster-w$w.log" 2>&1 \
    || { cat "$WORK/cluster-w$w.log" >&2; echo "[scaling] FAILED: cluster start" >&2; exit 1; }
  MASTER="$("$S/local-cluster.sh" url)"
  for m in $MODELS; do
    for e in $ENGINES; do
      for f in $FREQS; do
        run_cell "$m" "$w" "$f" "$e" "$MASTER"
      done
    done
  done
  "$S/local-cluster.sh" down > /dev/null
done

write_rows table
step "wrote $(grep -c '"engine"' "$OUT") rows to $OUT"

if [ -n "$FAILED" ]; then
  echo "[scaling] failed runs:$FAILED (logs kept in $WORK)" >&2
  exit 1
fi
OK=1
