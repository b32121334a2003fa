"""Speed of the Python package next to the CLI's for the same rows (not a
test: prints medians).

    python python/bench.py [--rows 1000000] [--repeat 5] [--cli PATH] [--memory 1000000,2000000]

deadline and status take Arrow arrays (plan, priority: string; opened,
responded: timestamp[s, UTC]); the CLI figure is `slacalc batch` on the same
rows as CSV (its output to /dev/null). replay: the same events through
`Plans.replay` and `slacalc replay`. Pin one core with `taskset -c 0`.
deadline is timed twice: plan and priority as plain strings, and
dictionary-encoded (what pandas and Polars categoricals hand over).

--memory N,M: peak RSS (ru_maxrss) of a fresh process that builds N (then M)
rows as Arrow arrays and answers them once (deadline, status), next to one
that only builds them, and of `slacalc batch` on the same rows as CSV."""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import resource
import time

import pyarrow as pa

import slacalc

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 6, 12, tzinfo=UTC)
PAIRS = [("apizee-gold", "p1"), ("apizee-gold", "p2"), ("apizee-silver", "p3"), ("otter-premium", "critical"),
         ("otter-basic", "high"), ("cirrus-paying", "major"), ("biings-cloud", "p2")]


def median_time(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def arrays(n, seed=1):
    """n rows as Arrow arrays, built without Python objects per row (so a
    process's peak memory is the arrays', not a list's)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    start = int(dt.datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    idx = pa.array(rng.integers(0, len(PAIRS), n))
    plan = pa.array([p for p, _ in PAIRS]).take(idx)
    prio = pa.array([q for _, q in PAIRS]).take(idx)
    opened = rng.integers(start, int(NOW.timestamp()), n)
    responded = opened + rng.integers(0, 5 * 86400, n)
    ts = pa.timestamp("s", tz="UTC")
    return plan, prio, pa.array(opened).cast(ts), pa.array(responded, mask=rng.random(n) < 0.3).cast(ts)


def peak_child(what, n, cli):
    """Runs in a fresh process: prints its peak RSS in KiB after `what`."""
    plan, prio, op, rs = arrays(n)
    if what == "deadline":
        slacalc.Plans().deadline(plan, prio, op)
    elif what == "status":
        slacalc.Plans().status(plan, prio, op, NOW, responded=rs)
    elif what == "cli":
        import pyarrow.csv as pacsv
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
            fmt = lambda a: pa.compute.strftime(a, format="%Y-%m-%dT%H:%M:%SZ")
            t = pa.table({"id": pa.array(range(n)), "plan": plan, "priority": prio, "opened": fmt(op), "responded": fmt(rs)})
            pacsv.write_csv(t, f, pacsv.WriteOptions(quoting_style="needed"))
        del plan, prio, op, rs, t
        cmd = [cli, "batch", "--input", f.name, "--now", "2026-12-06T12:00:00Z", "--format", "csv"]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        os.unlink(f.name)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def memory(sizes, cli):
    print("peak RSS (MiB; fresh process each; arrays only = building the input):")
    for n in sizes:
        kinds = ["arrays only", "deadline", "status"] + (["cli"] if cli else [])
        peaks = {}
        for k in kinds:
            args = [sys.executable, __file__, "--peak-child", "none" if k == "arrays only" else k, str(n)]
            if cli:
                args += ["--cli", cli]
            peaks[k] = int(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split()[-1]) / 1024
        line = ", ".join(f"{k} {v:.0f}" for k, v in peaks.items() if k != "cli")
        extra = f"; slacalc batch on the same rows (CSV file) {peaks['cli']:.0f}" if "cli" in peaks else ""
        print(f"  {n} rows: {line}{extra}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--peak-child":
        cli = sys.argv[sys.argv.index("--cli") + 1] if "--cli" in sys.argv else None
        return peak_child(sys.argv[2], int(sys.argv[3]), cli)
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cli", default=os.environ.get("SLACALC_BIN"))
    ap.add_argument("--tickets", type=int, default=100_000, help="replay: tickets (about 4 events each)")
    ap.add_argument("--memory", help="peak RSS for these row counts (comma-separated), then exit")
    a = ap.parse_args()
    if a.memory:
        return memory([int(x) for x in a.memory.split(",")], a.cli)
    rnd = random.Random(1)
    start = int(dt.datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    now = int(NOW.timestamp())
    n = a.rows
    pairs = [rnd.choice(PAIRS) for _ in range(n)]
    opened = [rnd.randrange(start, now) for _ in range(n)]
    responded = [None if rnd.random() < 0.3 else o + rnd.randrange(0, 5 * 86400) for o in opened]
    plan = pa.array([p for p, _ in pairs])
    prio = pa.array([q for _, q in pairs])
    ts = pa.timestamp("s", tz="UTC")
    op = pa.array(opened, pa.int64()).cast(ts)
    rs = pa.array(responded, pa.int64()).cast(ts)
    plans = slacalc.Plans()
    plans.deadline(plan[:1000], prio[:1000], op[:1000])  # plans loaded, caches warm

    d = median_time(lambda: plans.deadline(plan, prio, op), a.repeat)
    plan_d, prio_d = plan.dictionary_encode(), prio.dictionary_encode()
    dd = median_time(lambda: plans.deadline(plan_d, prio_d, op), a.repeat)
    s = median_time(lambda: plans.status(plan, prio, op, NOW, responded=rs), a.repeat)
    print(f"rows: {n}")
    print(f"deadline (Arrow arrays): median {d:.3f} s = {n / d / 1e6:.2f} M rows/s")
    print(f"deadline (dictionary plan, priority): median {dd:.3f} s = {n / dd / 1e6:.2f} M rows/s")
    print(f"status   (Arrow arrays): median {s:.3f} s = {n / s / 1e6:.2f} M rows/s")

    if a.cli:
        z = lambda t: "" if t is None else dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("id,plan,priority,opened,responded\n")
            for i in range(n):
                f.write(f"{i},{pairs[i][0]},{pairs[i][1]},{z(opened[i])},{z(responded[i])}\n")
        cmd = [a.cli, "batch", "--input", f.name, "--now", "2026-12-06T12:00:00Z", "--format", "csv"]
        c = median_time(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True), a.repeat)
        print(f"CLI batch (CSV file, same rows): median {c:.3f} s = {n / c / 1e6:.2f} M rows/s  ({' '.join(cmd)})")
        os.unlink(f.name)

    # replay
    rows = []
    for i in range(a.tickets):
        t = rnd.randrange(start, now)
        rows.append((f"T{i}", t, "created", "", "apizee-gold", rnd.choice(["p1", "p2", "p3"])))
        for k in range(3):
            t += rnd.randrange(60, 86400)
            rows.append((f"T{i}", t, "reply" if k < 2 else "status", ["agent", "customer", "solved"][k], "", ""))
    ev = pa.table({"id": [r[0] for r in rows], "at": pa.array([r[1] for r in rows], pa.int64()).cast(ts),
                   "event": [r[2] for r in rows], "value": [r[3] for r in rows],
                   "plan": [r[4] for r in rows], "priority": [r[5] for r in rows]})
    r = median_time(lambda: plans.replay(ev, NOW), a.repeat)
    print(f"replay (Arrow table): {len(rows)} events, median {r:.3f} s = {len(rows) / r / 1e6:.2f} M events/s")
    if a.cli:
        import pyarrow.csv as pacsv
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
            evs = ev.set_column(1, "at", pa.compute.strftime(ev.column("at"), format="%Y-%m-%dT%H:%M:%SZ"))
            pacsv.write_csv(evs, f, pacsv.WriteOptions(quoting_style="needed"))
        cmd = [a.cli, "replay", "--input", f.name, "--now", "2026-12-06T12:00:00Z", "--format", "csv"]
        c = median_time(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True), a.repeat)
        print(f"CLI replay (CSV file, same events): median {c:.3f} s = {len(rows) / c / 1e6:.2f} M events/s")
        os.unlink(f.name)


if __name__ == "__main__":
    sys.exit(main())
