#!/bin/sh
# replay-events.sh: replays a helpdesk event export through every SLA clock
# of every ticket (first response, next responses, resolution) with
# `slacalc replay`, and lists what needs attention: cycles breached, missed or
# paused, and tickets that could not be replayed.
#
#   examples/replay-events.sh [EVENTS.csv] [PLANS.toml]
#       (default: examples/ticket-events.csv on examples/lifecycle-vendor.toml)
#
# The export needs the header id,at,event,value[,plan,priority] (see
# README.md, "Ticket histories"). Environment: SLACALC (the binary, default:
# slacalc from PATH), SLACALC_NOW (a fixed "now" with an offset, e.g.
# 2026-11-23T12:00:00+01:00: the export is replayed as it stood then; events
# after it are ignored). Only awk and POSIX sh are needed. awk splits on
# commas, which is safe for the columns read before `error` (ids, plan and
# priority names and instants hold no commas); the error text is taken whole.
set -eu

SLACALC="${SLACALC:-slacalc}"
DIR=$(dirname "$0")
EVENTS="${1:-$DIR/ticket-events.csv}"
PLANS="${2:-$DIR/lifecycle-vendor.toml}"

"$SLACALC" --plans "$PLANS" replay --input "$EVENTS" --format csv |
awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        rows++
        if ($col["metric"] == "") {
            err = $0
            for (i = 1; i < col["error"]; i++) sub(/^[^,]*,/, "", err)
            gsub(/^"|"$/, "", err); gsub(/""/, "\"", err)
            printf "%-4s cannot be replayed: %s\n", $col["id"], err
            errors++
            next
        }
        state = $col["state"]
        if (state != "breached" && state != "missed" && state != "paused") next
        what = $col["metric"]
        if (what == "next_response") what = what " #" $col["cycle"]
        due = $col["deadline"] == "" ? "no deadline while paused" : "due " $col["deadline"]
        printf "%-4s %-8s %-18s %-8s %s\n", $col["id"], $col["priority"], what, state, due
        count[state]++
    }
    END {
        printf "%d rows: %d breached, %d missed, %d paused; %d ticket(s) could not be replayed.\n", \
            rows, count["breached"], count["missed"], count["paused"], errors
    }'
