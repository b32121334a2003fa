"""Shared helpers: generated rows, and the slacalc CLI's answers for them.

The CLI is the binary built from this repository: $SLACALC_BIN, else
target/release/slacalc under $CARGO_TARGET_DIR or the repository's target/
(python/run-tests.sh builds it)."""

import datetime as dt
import io
import os
import random
import shutil
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import slacalc

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
NOW_TEXT = "2026-12-06T12:00:00Z"
TS = pa.timestamp("s", tz="UTC")


def cli_path():
    for c in [
        os.environ.get("SLACALC_BIN"),
        os.environ.get("CARGO_TARGET_DIR") and str(Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "slacalc"),
        str(ROOT / "target" / "release" / "slacalc"),
    ]:
        if c and Path(c).is_file():
            return c
    found = shutil.which("slacalc")
    if found:
        return found
    pytest.fail("no slacalc binary: set SLACALC_BIN or run `cargo build --release` (python/run-tests.sh does)")


def run_cli(args, stdin: bytes) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACALC_")}
    r = subprocess.run([cli_path(), *args], input=stdin, capture_output=True, env=env)
    assert r.returncode in (0, 1), r.stderr.decode()
    return r.stdout


# Plans, aliases, a few names that are no plan; priorities as typed, some
# bad, some empty.
PLANS = ["apizee-gold", "gold", "apizee-silver", "otter-basic", "premium", "cirrus-paying", "biings-cloud", "onprem", "nope"]
PRIORITIES = ["p1", "p2", "p3", "major", "minor", "critical", "high", "low", "normal", "urgent", "zz", ""]


def gen_rows(n, seed=21):
    """n tickets: id, plan, priority, opened, responded, resolved (UTC
    seconds or None); opened before NOW; some stops before opened or after
    NOW (batch reads those as not yet happened)."""
    rnd = random.Random(seed)
    start = int(dt.datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    now = int(NOW.timestamp())
    rows = []
    for i in range(n):
        opened = rnd.randrange(start, now)
        def stop():
            k = rnd.random()
            if k < 0.3:
                return None
            if k < 0.33:
                return opened - rnd.randrange(1, 7200)
            return opened + rnd.randrange(0, 10 * 86400)
        rows.append(
            dict(id=f"T{i}", plan=rnd.choice(PLANS), priority=rnd.choice(PRIORITIES), opened=opened,
                 responded=stop(), resolved=stop())
        )
    return rows


def z(t):
    return None if t is None else dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rows_csv(rows) -> bytes:
    out = io.StringIO()
    out.write("id,plan,priority,opened,responded,resolved\n")
    for r in rows:
        out.write(f"{r['id']},{r['plan']},{r['priority']},{z(r['opened'])},{z(r['responded']) or ''},{z(r['resolved']) or ''}\n")
    return out.getvalue().encode()


def arrow_columns(rows):
    return dict(
        plan=pa.array([r["plan"] for r in rows]),
        priority=pa.array([r["priority"] for r in rows]),
        opened=pa.array([r["opened"] for r in rows], pa.int64()).cast(TS),
        responded=pa.array([r["responded"] for r in rows], pa.int64()).cast(TS),
        resolved=pa.array([r["resolved"] for r in rows], pa.int64()).cast(TS),
    )


STATUS_TYPES = {
    "id": pa.string(), "plan": pa.string(), "priority": pa.string(), "metric": pa.string(),
    "opened": TS, "deadline": TS, "responded": TS, "resolved": TS, "state": pa.string(),
    "elapsed_seconds": pa.int64(), "remaining_seconds": pa.int64(), "error": pa.string(),
}


def cli_batch(rows, metric="first_response") -> pa.Table:
    out = run_cli(["batch", "--input", "-", "--now", NOW_TEXT, "--format", "csv", "--metric", metric], rows_csv(rows))
    return pacsv.read_csv(
        io.BytesIO(out),
        convert_options=pacsv.ConvertOptions(column_types=STATUS_TYPES, strings_can_be_null=True, null_values=[""]),
    )


# What batch adds to a message, about its --profile value maps (the Python
# API has no profile: slacalc.Plans.status leaves the hint out).
HINTS = ["; map yours with [values.plan] in a --profile", "; map it with [values.priority] in a --profile"]


def assert_same_as_cli(got: pa.Table, want: pa.Table, stop="responded"):
    """Python's status table == the CLI's batch output, row by row."""
    assert got.num_rows == want.num_rows
    cols = ["plan", "priority", "metric", "opened", "deadline", stop, "state", "elapsed_seconds", "remaining_seconds"]
    for c in cols:
        g, w = got.column(c).to_pylist(), want.column(c).to_pylist()
        bad = [(i, g[i], w[i]) for i in range(len(g)) if g[i] != w[i]]
        assert not bad, f"column {c}: {len(bad)} rows differ, first {bad[:3]}"
    for i, (g, w) in enumerate(zip(got.column("error").to_pylist(), want.column("error").to_pylist())):
        if g is None or w is None:
            assert g == w, f"row {i}: error {g!r} != {w!r}"
        else:
            assert w == g or w in [g + h for h in HINTS], f"row {i}: error {g!r} != {w!r}"
