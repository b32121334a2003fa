#!/bin/sh
# Compares two slacalc binaries' outputs byte for byte on generated data:
# batch (CSV and JSON Lines) over 1 M tickets, replay (CSV and JSON Lines)
# over 1 M events, and report (JSON and CSV) of both. A refactor that
# promises "output byte-identical" is checked with it.
#
#   scripts/compare-outputs.sh OLD_BINARY NEW_BINARY
#
# The inputs are made once in $TMPDIR (gen_tickets, gen_events).
set -eu
old=$1; new=$2
root=$(cd "$(dirname "$0")/.." && pwd); plans=$root/examples/lifecycle-vendor.toml
tmp=${TMPDIR:-/tmp}; t=$tmp/slacalc-cmp-tickets.csv; e=$tmp/slacalc-cmp-events.csv
[ -s "$t" ] || (cd "$root" && cargo run -q --release --example gen_tickets -- 1000000 > "$t")
[ -s "$e" ] || (cd "$root" && cargo run -q --release --example gen_events -- 1000000 > "$e")
now=2026-12-31T00:00:00Z; status=0
for bin in old new; do
    b=$(eval echo \$$bin); d=$tmp/slacalc-cmp-$bin; mkdir -p "$d"
    "$b" batch --input "$t" --now $now > "$d/batch.csv" 2>/dev/null
    "$b" batch --input "$t" --now $now --format json > "$d/batch.jsonl" 2>/dev/null
    "$b" --plans "$plans" replay --input "$e" --now $now > "$d/replay.csv" 2>/dev/null
    "$b" --plans "$plans" replay --input "$e" --now $now --format json > "$d/replay.jsonl" 2>/dev/null
    for f in batch replay; do
        "$b" --plans "$plans" report --input "$tmp/slacalc-cmp-old/$f.csv" --format json > "$d/report-$f.json" 2>/dev/null
        "$b" --plans "$plans" report --input "$tmp/slacalc-cmp-old/$f.csv" --format csv > "$d/report-$f.csv" 2>/dev/null
    done
done
for f in batch.csv batch.jsonl replay.csv replay.jsonl report-batch.json report-batch.csv report-replay.json report-replay.csv; do
    if cmp -s "$tmp/slacalc-cmp-old/$f" "$tmp/slacalc-cmp-new/$f"; then echo "same $f"; else echo "DIFFERENT $f"; status=1; fi
done
exit $status
