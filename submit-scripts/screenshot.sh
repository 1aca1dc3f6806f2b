#!/usr/bin/env bash
# screenshot.sh: render an HTML page (report.html, compare.html) to a PNG with headless Chromium
# and check that the picture is a rendered page, not an error page or a blank.
#
#   screenshot.sh PAGE.html OUT.png [WIDTHxHEIGHT]        (default 1000x3000)
#
# Chromium: /usr/bin/chromium (Debian's package `chromium`), or $SURNN_CHROMIUM. Exit 0 with the PNG
# written and checked; 2 on bad arguments or no Chromium; 1 when the page did not render.
set -euo pipefail

die() { echo "screenshot: $*" >&2; exit "${2:-2}"; }
[ $# -ge 2 ] || die "usage: screenshot.sh PAGE.html OUT.png [WIDTHxHEIGHT]"
PAGE="$1"; OUT="$2"; SIZE="${3:-1000x3000}"
[ -f "$PAGE" ] || die "$PAGE: no such file"
[[ "$SIZE" =~ ^([0-9]+)x([0-9]+)$ ]] || die "size '$SIZE': use WIDTHxHEIGHT, e.g. 1000x3000"
W="${BASH_REMATCH[1]}"; H="${BASH_REMATCH[2]}"
CHROMIUM="${SURNN_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] || die "no Chromium (install Debian's package chromium, or set SURNN_CHROMIUM)"

PROFILE="$(mktemp -d "${TMPDIR:-/tmp}/surnn-chromium.XXXXXX")"
trap 'rm -rf "$PROFILE"' EXIT
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
# The flags keep a headless Chromium off the network (this page is a local file) and out of any sandbox
# it cannot create as root in a container.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$PROFILE" \
  --window-size="$W,$H" --screenshot="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")" \
  "file://$(cd "$(dirname "$PAGE")" && pwd)/$(basename "$PAGE")" >"$PROFILE/chromium.log" 2>&1 || true
[ -s "$OUT" ] || { tail -n 5 "$PROFILE/chromium.log" >&2; die "$PAGE: Chromium wrote no screenshot" 1; }
# A PNG of the requested size (bytes 16..23 of the IHDR chunk hold width and height) ...
DIMS="$(od -An -tu1 -j16 -N8 "$OUT" | awk '{print ($1*16777216+$2*65536+$3*256+$4) "x" ($5*16777216+$6*65536+$7*256+$8)}')"
[ "$DIMS" = "${W}x${H}" ] || die "$OUT: expected a ${W}x${H} PNG, got $DIMS" 1
# ... that holds a page: a blank or an error page compresses to a few kilobytes, a page with charts not.
BYTES="$(wc -c < "$OUT")"
[ "$BYTES" -gt 60000 ] || die "$OUT: only $BYTES bytes; the page did not render its charts" 1
echo "screenshot: $OUT (${W}x${H}, $BYTES bytes)"
