#!/usr/bin/env python3
"""Cross-check slacalc against Python's businesstimedelta (PyPI) on the same
tickets, and compare their speed. Not part of CI.

    cargo build --profile dist
    python3 benches/compare_businesstimedelta.py --rows 20000

It creates a throwaway virtual environment (default /tmp/slacalc-btd-venv)
with businesstimedelta, pytz and holidays, generates tickets on the apizee
(Paris, 09-12 + 14-18, French holidays) and cirrus (Paris, 09-18, French
holidays) calendars, runs them through `slacalc batch`, computes the same
deadlines with businesstimedelta, and reports disagreements and the speed
ratio (rows per second of each, measured in this one run).
"""
import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import time

VENV_PACKAGES = ["businesstimedelta==1.0.1", "pytz", "holidays"]

# plan, priority, target hours (the working-time target slacalc uses)
CASES = [
    ("apizee-gold", "major", 4),
    ("apizee-gold", "moderate", 8),
    ("apizee-silver", "minor", 24),
    ("cirrus-premium", "critical", 9),  # 1bd = 9 h
    ("cirrus-paying", "major", 18),  # 2bd = 18 h
]


def ensure_venv(path):
    py = os.path.join(path, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", *VENV_PACKAGES], check=True)
    return py


def generate(rows, seed):
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    out = []
    for i in range(rows):
        plan, prio, hours = CASES[rng.randrange(len(CASES))]
        opened = start + dt.timedelta(seconds=rng.randrange(2 * 365 * 86400))
        out.append((f"T{i}", plan, prio, opened.strftime("%Y-%m-%dT%H:%M:%SZ"), hours))
    return out


def run_slacalc(binary, tickets):
    text = "id,plan,priority,opened\n" + "".join(f"{t[0]},{t[1]},{t[2]},{t[3]}\n" for t in tickets)
    t0 = time.perf_counter()
    p = subprocess.run(
        [binary, "batch", "--input", "-", "--utc", "--format", "json", "--now", "2028-01-01T00:00:00Z"],
        input=text.encode(), capture_output=True, check=True,
    )
    elapsed = time.perf_counter() - t0
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    return {r["id"]: r["deadline"] for r in rows}, elapsed


# Runs inside the venv: reads tickets as JSON on stdin, prints deadlines.
CHILD = r'''
import datetime as dt, json, sys, time
import businesstimedelta as btd, holidays, pytz
paris = pytz.timezone("Europe/Paris")
fr = holidays.France(years=range(2025, 2030))
hol = btd.HolidayRule(fr, tz=paris)
apizee = btd.Rules([
    btd.WorkDayRule(start_time=dt.time(9), end_time=dt.time(18), working_days=[0, 1, 2, 3, 4], tz=paris),
    btd.LunchTimeRule(start_time=dt.time(12), end_time=dt.time(14), working_days=[0, 1, 2, 3, 4], tz=paris),
    hol,
])
cirrus = btd.Rules([
    btd.WorkDayRule(start_time=dt.time(9), end_time=dt.time(18), working_days=[0, 1, 2, 3, 4], tz=paris),
    hol,
])
tickets = json.load(sys.stdin)
t0 = time.perf_counter()
out = {}
for tid, plan, prio, opened, hours in tickets:
    rules = apizee if plan.startswith("apizee") else cirrus
    start = dt.datetime.strptime(opened, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=pytz.utc)
    due = start + btd.BusinessTimeDelta(rules, hours=hours)
    out[tid] = due.astimezone(pytz.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps({"seconds": time.perf_counter() - t0, "deadlines": out}))
'''


def run_btd(py, tickets):
    p = subprocess.run([py, "-c", CHILD], input=json.dumps(tickets).encode(), capture_output=True, check=True)
    res = json.loads(p.stdout)
    return res["deadlines"], res["seconds"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--slacalc", default="target/dist/slacalc")
    ap.add_argument("--venv", default="/tmp/slacalc-btd-venv")
    ap.add_argument("--show", type=int, default=5, help="disagreements to print")
    a = ap.parse_args()
    py = ensure_venv(a.venv)
    tickets = generate(a.rows, a.seed)
    ours, ours_s = run_slacalc(a.slacalc, tickets)
    theirs, theirs_s = run_btd(py, tickets)
    diff = [(t, ours[t[0]], theirs[t[0]]) for t in tickets if ours[t[0]] != theirs[t[0]]]
    print(f"rows: {len(tickets)}  agree: {len(tickets) - len(diff)}  disagree: {len(diff)}")
    for t, o, b in diff[: a.show]:
        print(f"  {t[1]} {t[2]} opened {t[3]} +{t[4]}h: slacalc {o}  businesstimedelta {b}")
    print(f"slacalc batch (whole process): {ours_s:.3f} s = {len(tickets) / ours_s:,.0f} rows/s")
    print(f"businesstimedelta (loop only):  {theirs_s:.3f} s = {len(tickets) / theirs_s:,.0f} rows/s")
    print(f"speed ratio: slacalc is {theirs_s / ours_s:,.0f}x faster")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
