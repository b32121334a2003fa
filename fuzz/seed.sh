#!/bin/sh
# Seeds the fuzz corpora (fuzz/corpus/<target>, not committed) from the shipped
# plans and a few hand-written inputs. Run from anywhere; safe to re-run.
set -e
cd "$(dirname "$0")"
for t in plan_load instant amounts batch_rows engine; do mkdir -p "corpus/$t"; done

# Plan files: each shipped vendor with the files it depends on, and the examples.
for v in apizee otter cirrus biings; do
  cat ../plans/features.toml ../plans/france.toml "../plans/$v.toml" > "corpus/plan_load/seed-$v.toml"
done
cp ../plans/*.toml ../examples/*.toml corpus/plan_load/

# Instants: the first byte picks the zone.
i=0
for s in "2026-11-20T17:30:00+01:00" "2026-11-20T16:30:00Z" "2026-11-20 17:30" "2026-11-20T17:30:45" \
         "2026-11-20 17:30:00.999" "now" "2026-03-29 02:30" "2026-10-25 02:30" "9999-12-31T23:59:59Z" \
         "1583-01-01 00:00" "2026-11-20 17:30:00 +01:00"; do
  i=$((i + 1)); printf '\005%s' "$s" > "corpus/instant/seed$i"
done

# Durations, targets, amounts, quantities, windows.
i=0
for s in 4h30m 90s 4.5h 2bd best-effort none "CHF 12'500.50" 12500 1.5 09:00-12:00 22:00-24:00 1h0m5s 120 \
         "12500 chf" 0.001 10000bd; do
  i=$((i + 1)); printf '%s' "$s" > "corpus/amounts/seed$i"
done

# Batch exports: the first byte picks CSV/JSON output and the input zone.
printf '\000id,plan,priority,opened,responded,customer\n1,gold,major,2026-11-20 17:30,,acme\n2,paying,,2026-11-20T10:00:00+01:00,2026-11-21 10:00,x\n3,nope,p1,bad,,\n' \
  > corpus/batch_rows/seed1
printf '\001id,plan,priority,opened\n1,cloud,down,2026-03-29 02:30\n2,premium,critical,2026-03-29T01:30:00+01:00\n"3",onprem,p4,now\n' \
  > corpus/batch_rows/seed2
cp ../examples/tickets.csv corpus/batch_rows/ 2>/dev/null || true
