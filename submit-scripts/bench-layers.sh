#!/usr/bin/env bash
# The su-layer speed grid of docs/benchmarks.md, as JSON rows in docs/bench/layer.json (or $1).
# Each `surnn bench` run below measures its own baselines (the gemm limit rows and DL4J's LSTM) in the
# same process, interleaved round by round, so every ratio compares rows of one run. About 20 minutes
# on 2 cores. H = 1024 training runs at T = 256 (one dense training pass at T = 1024 takes minutes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/docs/bench/layer.json}"
S="$ROOT/submit-scripts/surnn"
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
common=(--batch 32 --rates 1.0,0.5,0.17,0.05 --repeats 3 --warmup 2 --max-seconds 60 --out "$OUT" --append)
echo "== H=256, T=1024, inference and training"
"$S" bench --hidden 256 --steps 1024 --phases inference,training --no-stream "${common[@]}"
echo "== H=1024, T=1024, inference (and batch-1 streaming)"
"$S" bench --hidden 1024 --steps 1024 --phases inference "${common[@]}"
echo "== H=1024, T=256, training"
"$S" bench --hidden 1024 --steps 256 --phases training --no-stream "${common[@]}"
echo "== suRNN and suLSTM at H=1024, rate 0.17"
"$S" bench --hidden 1024 --steps 1024 --phases inference --cells surnn,sulstm --rates 0.17 --no-stream \
  --batch 32 --repeats 3 --warmup 2 --max-seconds 60 --out "$OUT" --append
"$S" bench --hidden 1024 --steps 256 --phases training --cells surnn,sulstm --rates 0.17 --no-stream \
  --batch 32 --repeats 3 --warmup 2 --max-seconds 60 --out "$OUT" --append
echo "grid written to $OUT"
