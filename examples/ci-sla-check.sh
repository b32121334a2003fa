#!/bin/sh
# ci-sla-check.sh: fail a CI pipeline when a support ticket's first response
# is overdue, using `slacalc status --check` (exit 1 = breached or missed).
#
#   examples/ci-sla-check.sh PLAN PRIORITY OPENED [RESPONDED]
#   examples/ci-sla-check.sh gold major "2026-11-20 17:30"
#
# Exit status: 0 the ticket is within its SLA (or the plan commits to nothing),
# 1 breached or missed, 2 bad input (slacalc's message is on stderr).
# The full answer is saved as JSON in $SLA_REPORT (default sla-status.json)
# for the pipeline's artifacts.
#
# Environment: SLACALC (the binary, default: slacalc from PATH), SLACALC_NOW
# (a fixed "now" for reproducible runs), SLACALC_PLANS (your own plan files).
set -eu

SLACALC="${SLACALC:-slacalc}"
REPORT="${SLA_REPORT:-sla-status.json}"

if [ $# -lt 3 ]; then
    echo "usage: $0 PLAN PRIORITY OPENED [RESPONDED]" >&2
    exit 2
fi
plan=$1 priority=$2 opened=$3 responded=${4:-}
set -- status --plan "$plan" --priority "$priority" --opened "$opened" --check --format json
if [ -n "$responded" ]; then
    set -- "$@" --responded "$responded"
fi

rc=0
"$SLACALC" "$@" > "$REPORT" || rc=$?
if [ "$rc" -ge 2 ]; then
    exit "$rc"    # bad input: slacalc already said why on stderr
fi

# One field of the one-line JSON answer (plain string values only).
field() {
    sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$REPORT"
}
state=$(field state)
deadline=$(field deadline)
if [ "$rc" -eq 1 ]; then
    echo "SLA FAILED: $plan $priority ticket opened $opened is $state (deadline ${deadline:-none})" >&2
    exit 1
fi
echo "SLA ok: $plan $priority ticket opened $opened is $state (deadline ${deadline:-none})"
