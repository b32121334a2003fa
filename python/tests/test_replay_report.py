import datetime as dt
import io
import random

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import slacalc
from conftest import NOW, NOW_TEXT, ROOT, TS, UTC, cli_batch, arrow_columns, gen_rows, run_cli, z

VENDOR = str(ROOT / "examples" / "lifecycle-vendor.toml")
REPLAY_TYPES = {
    "id": pa.string(), "plan": pa.string(), "priority": pa.string(), "metric": pa.string(), "cycle": pa.int64(),
    "start": TS, "stop": TS, "target": pa.string(), "target_seconds": pa.int64(), "clock": pa.string(),
    "deadline": TS, "elapsed_seconds": pa.int64(), "paused_seconds": pa.int64(), "remaining_seconds": pa.int64(),
    "state": pa.string(), "error": pa.string(),
}


def gen_events(tickets, seed=7):
    """Event histories: created, replies, status changes (some tickets with
    no created event, an unknown priority, events after now)."""
    rnd = random.Random(seed)
    start = int(dt.datetime(2026, 10, 1, tzinfo=UTC).timestamp())
    rows = []
    for i in range(tickets):
        t = rnd.randrange(start, int(NOW.timestamp()) + 86400)
        if rnd.random() > 0.03:
            rows.append((f"E{i}", t, "created", "", "nimbus-pro", rnd.choice(["normal", "high", "urgent", "low", "bogus"])))
        for _ in range(rnd.randrange(0, 6)):
            t += rnd.randrange(60, 2 * 86400)
            kind = rnd.random()
            if kind < 0.5:
                rows.append((f"E{i}", t, "reply", rnd.choice(["agent", "customer"]), "", ""))
            else:
                rows.append((f"E{i}", t, "status", rnd.choice(["solved", "open", "awaiting-customer", "closed", "with-vendor"]), "", ""))
    return rows


def events_table(rows):
    return pa.table({
        "id": [r[0] for r in rows],
        "at": pa.array([r[1] for r in rows], pa.int64()).cast(TS),
        "event": [r[2] for r in rows],
        "value": [r[3] for r in rows],
        "plan": [r[4] for r in rows],
        "priority": [r[5] for r in rows],
    })


def events_csv(rows) -> bytes:
    return ("id,at,event,value,plan,priority\n" + "".join(f"{a},{z(b)},{c},{d},{e},{f}\n" for a, b, c, d, e, f in rows)).encode()


def cli_table(out: bytes, types) -> pa.Table:
    return pacsv.read_csv(io.BytesIO(out), convert_options=pacsv.ConvertOptions(
        column_types=types, strings_can_be_null=True, null_values=[""]))


def assert_tables_equal(got, want):
    assert got.column_names == want.column_names
    assert got.num_rows == want.num_rows
    for c in got.column_names:
        g, w = got.column(c).to_pylist(), want.column(c).to_pylist()
        bad = [(i, g[i], w[i]) for i in range(len(g)) if g[i] != w[i]]
        assert not bad, f"column {c}: {len(bad)} rows differ, first {bad[:3]}"


def test_replay_matches_cli():
    rows = gen_events(2000)
    got = slacalc.Plans(paths=[VENDOR]).replay(events_table(rows), NOW)
    want = cli_table(run_cli(["--plans", VENDOR, "replay", "--input", "-", "--now", NOW_TEXT, "--format", "csv"], events_csv(rows)), REPLAY_TYPES)
    assert got.num_rows > 2000
    assert_tables_equal(got, want)
    assert set(got.column("state").to_pylist()) >= {"met", "missed", "breached"}


@pytest.mark.parametrize("by,tz", [(["plan", "priority", "metric"], None), (["plan", "month"], "Europe/Paris"), (["week"], "UTC")])
def test_report_matches_cli(by, tz):
    rows = gen_rows(3000)
    c = arrow_columns(rows)
    t = slacalc.Plans().status(c["plan"], c["priority"], c["opened"], NOW, responded=c["responded"])
    got = slacalc.report(t, by=by, tz=tz)
    batch_out = run_cli(["batch", "--input", "-", "--now", NOW_TEXT, "--format", "csv"], __import__("conftest").rows_csv(rows))
    args = ["report", "--input", "-", "--by", ",".join(by), "--format", "csv"] + (["--tz", tz] if tz else [])
    out = run_cli(args, batch_out)
    types = {k: pa.string() for k in by}
    types.update({f: pa.int64() for f in got.column_names if f not in by})
    types["attainment_percent"] = pa.float64()
    assert_tables_equal(got, cli_table(out, types))


def test_report_of_replay_output():
    rows = gen_events(500)
    r = slacalc.Plans(paths=[VENDOR]).replay(events_table(rows), NOW)
    rep = slacalc.report(r, by="metric")
    assert set(rep.column("metric").to_pylist()) >= {"first_response", "resolution"}
