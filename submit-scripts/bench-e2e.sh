#!/usr/bin/env bash
# End-to-end speed, before and after: runs the same jobs on a base revision (default: the commit before
# the native su-layer kernel) and on this checkout, one after the other in this script, and prints the
# training throughput of each (the progress line's tok/s or ex/s, per round, from metrics.jsonl):
#   1. quickstart (ListOps, small suGRU classifier, embedded Spark)
#   2. four steps of WikiText-2 training, 2 x 128 suGRU language model (needs the WikiText-2 files)
# Usage: submit-scripts/bench-e2e.sh [BASE_REV] [WIKITEXT2_DIR]   (about 10 minutes on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_REV="${1:-bcc9ad9}"
WT2="${2:-${SURNN_WIKITEXT2:-$ROOT/../shared/data/wikitext-2}}"
WORK="$ROOT/runs/bench-e2e"
BASE="$WORK/base-src"
mkdir -p "$WORK"

if [ ! -d "$BASE/.git" ] && [ ! -f "$BASE/.git" ]; then
  git -C "$ROOT" worktree add --detach "$BASE" "$BASE_REV" >/dev/null
fi
git -C "$BASE" checkout -q --detach "$BASE_REV"

rates() { # metrics.jsonl -> "median of the per-round rates (unit)"
  grep -o '"tokens_or_examples_per_s":[0-9.eE+-]*,"unit":"[a-z/]*"' "$1" \
    | sed 's/"tokens_or_examples_per_s":\([^,]*\),"unit":"\(.*\)"/\1 \2/' \
    | sort -g | awk '{v[NR]=$1; u=$2} END {if (NR==0) print "none"; else printf "%.0f %s (median of %d rounds)\n", v[int((NR+1)/2)], u, NR}'
}

run_quickstart() { # tree label
  local t0 t1
  t0=$(date +%s)
  "$1/submit-scripts/surnn" quickstart --out "$WORK/qs-$2" >"$WORK/qs-$2.log" 2>&1
  t1=$(date +%s)
  echo "quickstart $2: $(rates "$(find "$WORK/qs-$2" -name metrics.jsonl | head -1)"), wall $((t1 - t0)) s, $(grep -o 'test accuracy [0-9.]*' "$WORK/qs-$2.log" | tail -1)"
}

run_wikitext() { # tree label
  "$1/submit-scripts/surnn" train --config "$1/conf/wikitext2.conf" --set output.dir="$WORK/wt2-$2" \
    --set data.path="$WORK/wikitext2" \
    --set model.hidden=128 --set model.embedding=128 --set model.layers=2 --set model.dropout=0.2 \
    --set train.batch-per-worker=16 --set train.averaging-frequency=1 --set train.tbptt=70 \
    --set train.max-steps=4 --set train.optimizer.name=adam --set train.optimizer.lr=3e-3 \
    >"$WORK/wt2-$2.log" 2>&1 || { echo "wikitext $2: failed, see $WORK/wt2-$2.log"; return; }
  echo "wikitext-2 $2: $(rates "$WORK/wt2-$2/metrics.jsonl")"
}

rm -rf "$WORK"/qs-* "$WORK"/wt2-*
echo "base: $BASE_REV ($(git -C "$BASE" log -1 --format=%s | cut -c1-60)); head: $(git -C "$ROOT" log -1 --format=%h)"
run_quickstart "$BASE" base
run_quickstart "$ROOT" head
if [ -f "$WT2/train.txt" ] || [ -f "$WT2/wiki.train.tokens" ]; then
  [ -f "$WORK/wikitext2/manifest.json" ] \
    || "$ROOT/submit-scripts/surnn" prep wikitext --input "$WT2" --output "$WORK/wikitext2" >"$WORK/prep.log" 2>&1
  run_wikitext "$BASE" base
  run_wikitext "$ROOT" head
else
  echo "wikitext-2: skipped (no train.txt or wiki.train.tokens in $WT2; pass the directory as the second argument)"
fi
