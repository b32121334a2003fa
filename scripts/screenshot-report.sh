#!/usr/bin/env bash
# Renders `slacalc report --format html` for the shipped lifecycle example in
# headless Chromium and writes a PNG, so a person can look at the page the
# way a user would. Not run in CI (Chromium is heavy): run it by hand after
# changing src/report/html.rs and look at the picture.
#
#   apt-get install -y chromium      # Debian's package
#   scripts/screenshot-report.sh [OUT.png] [WIDTHxHEIGHT]
#
# SLACALC=path/to/slacalc picks the binary (default: target/debug/slacalc,
# built if missing). The HTML is left beside the PNG (OUT.html).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/report.png}
size=${2:-1366x900}
html=${out%.png}.html
bin=${SLACALC:-target/debug/slacalc}
[ -x "$bin" ] || cargo build --quiet
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }

"$bin" --plans examples/lifecycle-vendor.toml replay --input examples/ticket-events.csv \
    --now 2026-11-27T18:00:00+01:00 2>/dev/null \
  | "$bin" report --input - --by metric,day --format html --check --min-attainment 60 > "$html" || true

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --screenshot="$out" \
  --window-size="${size/x/,}" "file://$(realpath "$html")" 2>/dev/null
echo "wrote $out (page: $html)"
