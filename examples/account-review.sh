#!/bin/sh
# account-review.sh: a yearly account review for a Biings Cloud customer, from
# a request log and an outage list: support hours left (quota), the uptime and
# what the vendor owes (credit), and one entitlement check.
#
#   examples/account-review.sh [REQUEST-LOG.csv] [OUTAGES.csv]
#   (defaults: examples/request-log.csv and examples/outages.csv)
#
# Environment: SLACALC (the binary, default: slacalc from PATH), SUBSCRIPTION
# (annual fee, default "CHF 12500"), YEAR (default 2026), SLACALC_NOW.
set -eu

SLACALC="${SLACALC:-slacalc}"
here=$(dirname "$0")
LOG="${1:-$here/request-log.csv}"
OUTAGES="${2:-$here/outages.csv}"
SUBSCRIPTION="${SUBSCRIPTION:-CHF 12500}"
YEAR="${YEAR:-2026}"

echo "== Support hours, subscription year $YEAR"
"$SLACALC" quota --plan biings-cloud --subscription "$SUBSCRIPTION" --log "$LOG" \
    --period-start "$YEAR-01-01" --at "$YEAR-12-31 12:00"

echo "== Uptime and credits, $YEAR"
"$SLACALC" credit --plan biings-cloud --subscription "$SUBSCRIPTION" --outages "$OUTAGES" \
    --period-start "$YEAR-01-01"

echo "== Is a status page included?"
if "$SLACALC" entitlements --plan biings-cloud --check status_page > /dev/null; then
    echo "yes"
else
    echo "no"
fi
