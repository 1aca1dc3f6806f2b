#!/usr/bin/env bash
# bench-prep.sh: `surnn prep wikitext` on a corpus of WikiText-103 size, local[1] vs local[2].
#
#   submit-scripts/bench-prep.sh [--mb 540] [--no-docs]
#
# Builds a train split of about --mb MB by repeating WikiText-2's train.txt (valid/test: WikiText-2's),
# in a temporary folder outside the repository (removed at the end), runs the prep job once with
# --master local[1] and once with local[2], and prints MB/s for each and the local[2]/local[1] speed
# ratio. Unless --no-docs, the figures replace the block between the bench-prep markers in
# docs/data-prep.md. Not part of CI.
#
# Environment: SURNN_SHARED_DATA (default ../shared/data) for wikitext-2/; SURNN (default
# submit-scripts/surnn) the launcher; SURNN_JAVA_OPTS (default -Xmx3g) the JVM heap, kept modest on
# purpose: the job must not need the corpus in memory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MB=540
DOCS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --no-docs) DOCS=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench-prep: unknown option $1" >&2; exit 2 ;;
  esac
done
DATA="${SURNN_SHARED_DATA:-$ROOT/../shared/data}"
WT2="$DATA/wikitext-2"
[ -f "$WT2/train.txt" ] || { echo "bench-prep: $WT2/train.txt not found (set SURNN_SHARED_DATA)" >&2; exit 2; }
SURNN="${SURNN:-$ROOT/submit-scripts/surnn}"
export SURNN_JAVA_OPTS="${SURNN_JAVA_OPTS:--Xmx3g}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/surnn-bench-prep.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus"
want=$((MB * 1000 * 1000))
while [ "$(stat -c %s "$WORK/corpus/train.txt" 2>/dev/null || echo 0)" -lt "$want" ]; do
  cat "$WT2/train.txt" >> "$WORK/corpus/train.txt"
done
cp "$WT2/valid.txt" "$WT2/test.txt" "$WORK/corpus/"
bytes=$(cat "$WORK/corpus/"*.txt | wc -c)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "bench-prep: corpus $mb MB ($(wc -l < "$WORK/corpus/train.txt") train lines) in $WORK/corpus; JVM $SURNN_JAVA_OPTS"

# compare_outputs DIR1 DIR2: the two datasets must have equal manifests apart from created_at and the
# shard SHA-256s, and every shard pair may differ only inside the Parquet footer: parquet-mr writes each
# column chunk's encoding list in hash-set order, which changes between JVM processes (not within one).
compare_outputs() {
  local a="$1" b="$2" diffs=0 outside=0 f size flen fstart off
  if ! cmp -s <(grep -v -e created_at -e sha256 "$a/manifest.json") <(grep -v -e created_at -e sha256 "$b/manifest.json"); then
    echo "MANIFESTS DIFFER"; return
  fi
  for f in $(cd "$a" && find . -name '*.parquet' | sort); do
    size=$(stat -c %s "$a/$f")
    flen=$(tail -c 8 "$a/$f" | head -c 4 | od -An -t u4 | tr -d ' ')
    fstart=$((size - 8 - flen))
    while read -r off _; do
      diffs=$((diffs + 1))
      [ "$off" -gt "$fstart" ] || outside=$((outside + 1))
    done < <(cmp -l "$a/$f" "$b/$f" 2>/dev/null || true)
  done
  if [ "$outside" -gt 0 ]; then
    echo "SHARD DATA DIFFERS ($outside differing bytes outside Parquet footers)"
  else
    echo "identical rows and manifests (shards differ only in $diffs Parquet-footer bytes: encoding-list order)"
  fi
}

declare -A SECS
for n in 1 2; do
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$WORK/time-$n.txt" "$SURNN" prep wikitext --input "$WORK/corpus" --output "$WORK/out-$n" \
      --master "local[$n]" --shards 8 >"$WORK/log-$n.txt" 2>&1 || { cat "$WORK/log-$n.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  SECS[$n]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  rss=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$WORK/time-$n.txt")
  echo "bench-prep: local[$n]: ${SECS[$n]} s, $(awk -v m="$mb" -v s="${SECS[$n]}" 'BEGIN { printf "%.2f", m / s }') MB/s, peak RSS ${rss} MiB"
  grep '^prep wikitext' "$WORK/log-$n.txt" || true
  eval "RSS$n=$rss"
done
same="$(compare_outputs "$WORK/out-1" "$WORK/out-2")"
r1=$(awk -v m="$mb" -v s="${SECS[1]}" 'BEGIN { printf "%.2f", m / s }')
r2=$(awk -v m="$mb" -v s="${SECS[2]}" 'BEGIN { printf "%.2f", m / s }')
ratio=$(awk -v a="${SECS[1]}" -v b="${SECS[2]}" 'BEGIN { printf "%.2f", a / b }')
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-prep: local[2] vs local[1] speed ratio ${ratio}x; $same; load average now $load on $(nproc) cores"

if [ "$DOCS" = 1 ]; then
  block="$WORK/block.md"
  {
    echo "<!-- bench-prep:begin -->"
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`submit-scripts/bench-prep.sh --mb $MB\`"
    echo "(corpus $mb MB: WikiText-2 train repeated, plus its valid/test; word level, window 1025, 8 shards; JVM \`$SURNN_JAVA_OPTS\`):"
    echo
    echo "| master | seconds | MB/s | peak RSS (MiB) |"
    echo "|---|---|---|---|"
    echo "| local[1] | ${SECS[1]} | $r1 | $RSS1 |"
    echo "| local[2] | ${SECS[2]} | $r2 | $RSS2 |"
    echo
    echo "local[2] / local[1] speed ratio: **${ratio}x**; outputs: $same. The machine has $(nproc) cores shared with"
    echo "other jobs during the run (load average $load at the end), so the ratio understates what two free"
    echo "cores give."
    echo "<!-- bench-prep:end -->"
  } > "$block"
  python3 - "$ROOT/docs/data-prep.md" "$block" <<'PY'
import re, sys
doc, block = sys.argv[1], open(sys.argv[2]).read().strip()
s = open(doc).read()
s = re.sub(r'<!-- bench-prep:begin -->.*?<!-- bench-prep:end -->', lambda m: block, s, flags=re.S)
open(doc, 'w').write(s)
PY
  echo "bench-prep: figures written to docs/data-prep.md"
fi
