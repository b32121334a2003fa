#!/bin/sh
# due-tomorrow.sh: a cron job that prints the tickets whose first response is
# due tomorrow, from a CSV ticket export, via `slacalc batch`.
#
#   examples/due-tomorrow.sh [EXPORT.csv]      (default: examples/tickets.csv)
#
#   # crontab: every weekday at 17:00, mail tomorrow's list to the team
#   0 17 * * 1-5  /opt/slacalc/due-tomorrow.sh /srv/exports/tickets.csv
#
# The export needs the header id,plan,priority,opened[,responded]; other
# columns pass through. Tickets already answered (met, missed) and rows
# slacalc could not read are left out; `batch` prints a summary on stderr.
#
# Environment: SLACALC (the binary, default: slacalc from PATH), DUE_TZ (the
# zone "tomorrow" and the times are in, default Europe/Paris), TOMORROW
# (YYYY-MM-DD, default: the day after SLACALC_NOW, or after today by date(1)),
# SLACALC_NOW (a fixed "now" with an offset, e.g. 2026-11-23T17:00:00+01:00:
# the states and "tomorrow" are both taken from it).
# Only awk and POSIX sh are needed (no jq). awk splits on commas, which is
# safe here because the columns read (id .. remaining_seconds) come first and
# hold no commas.
set -eu

SLACALC="${SLACALC:-slacalc}"
ZONE="${DUE_TZ:-Europe/Paris}"
EXPORT="${1:-$(dirname "$0")/tickets.csv}"
if [ -z "${TOMORROW:-}" ]; then
    if [ -n "${SLACALC_NOW:-}" ]; then
        # "Tomorrow" is the day after SLACALC_NOW's date in the zone (GNU
        # date); noon keeps the step clear of DST changes.
        TODAY=$(TZ="$ZONE" date -d "$SLACALC_NOW" +%Y-%m-%d)
        TOMORROW=$(date -d "$TODAY 12:00 +1 day" +%Y-%m-%d)
    else
        # GNU date, then BSD date.
        TOMORROW=$(TZ="$ZONE" date -d tomorrow +%Y-%m-%d 2>/dev/null || TZ="$ZONE" date -v+1d +%Y-%m-%d)
    fi
fi

"$SLACALC" batch --input "$EXPORT" --tz "$ZONE" --format csv |
awk -F, -v day="$TOMORROW" -v zone="$ZONE" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        due = $col["deadline"]; state = $col["state"]
        if (substr(due, 1, 10) != day || state == "met" || state == "missed") next
        left = $col["remaining_seconds"]
        printf "%-8s %-16s %-10s due %s  %s, %dh%02dm of working time left\n", \
            $col["id"], $col["plan"], $col["priority"], substr(due, 12, 5), state, left / 3600, (left % 3600) / 60
        n++
    }
    END {
        if (n == 0) print "No ticket is due on " day " (" zone ")."
        else printf "%d ticket(s) due on %s (%s).\n", n, day, zone
    }'
