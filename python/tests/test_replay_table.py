"""Plans.replay reads the table's columns as they are (no CSV in between):
its answers must still be the CLI's on the same table written as CSV, bit
for bit, for every kind of cell: nulls, bad events, unsorted events,
priority changes, pauses, several metrics, text times, categoricals, other
columns, control characters, and the tables that go as CSV (a line break in
a cell)."""

import datetime as dt
import os
import random
import subprocess

import pyarrow as pa
import pytest

import slacalc
from slacalc import _columns
from conftest import NOW, NOW_TEXT, ROOT, TS, UTC, cli_path, run_cli
from test_replay_report import REPLAY_TYPES, VENDOR, assert_tables_equal, cli_table, events_table, gen_events

PLANS = slacalc.Plans(paths=[VENDOR])
T0 = int(dt.datetime(2026, 11, 16, 9, tzinfo=UTC).timestamp())


def cli_replay(table: pa.Table) -> pa.Table:
    """`slacalc replay` on the table as CSV (the CSV the package would write)."""
    csv = _columns.table_to_csv(table, zone_of_keys=False)
    out = run_cli(["--plans", VENDOR, "replay", "--input", "-", "--now", NOW_TEXT, "--format", "csv"], csv)
    return cli_table(out, REPLAY_TYPES)


def same_as_cli(table) -> pa.Table:
    got = PLANS.replay(table, NOW)
    assert got.schema == pa.schema(list(REPLAY_TYPES.items()))
    assert_tables_equal(got, cli_replay(_columns.to_table(table)))
    return got


def table(rows, at_type=TS):
    """rows: (id, at seconds or text or None, event, value, plan, priority)."""
    at = [r[1] for r in rows]
    at = pa.array(at, pa.int64()).cast(at_type) if at_type == TS else pa.array(at, at_type)
    return pa.table({
        "id": pa.array([r[0] for r in rows], pa.string()),
        "at": at,
        "event": pa.array([r[2] for r in rows], pa.string()),
        "value": pa.array([r[3] for r in rows], pa.string()),
        "plan": pa.array([r[4] for r in rows], pa.string()),
        "priority": pa.array([r[5] for r in rows], pa.string()),
    })


H = 3600
LIFECYCLE = [
    # Priority raised after the target passed, a pause awaiting the customer.
    ("P1", T0, "created", None, "nimbus-pro", "normal"),
    ("P1", T0 + 5 * H, "priority", "urgent", None, None),
    ("P1", T0 + 6 * H, "status", "awaiting-customer", None, None),
    ("P1", T0 + 30 * H, "reply", "customer", None, None),
    ("P1", T0 + 31 * H, "reply", "agent", None, None),
    # Several next_response cycles, a reopen, a close.
    ("N1", T0, "created", "", "nimbus-pro", "high"),
    ("N1", T0 + H, "reply", "agent", "", ""),
    ("N1", T0 + 2 * H, "reply", "customer", "", ""),
    ("N1", T0 + 3 * H, "reply", "agent", "", ""),
    ("N1", T0 + 4 * H, "status", "solved", "", ""),
    ("N1", T0 + 5 * H, "reply", "customer", "", ""),
    ("N1", T0 + 28 * H, "status", "with-vendor", "", ""),
    ("N1", T0 + 50 * H, "status", "closed", "", ""),
    # Priority lowered to no commitment; events after now.
    ("L1", T0, "created", None, "nimbus-pro", "urgent"),
    ("L1", T0 + H, "priority", "low", None, None),
    ("L1", int(NOW.timestamp()) + 60, "reply", "agent", None, None),
    ("L2", int(NOW.timestamp()) + 60, "created", None, "nimbus-pro", "urgent"),
]


def test_priority_changes_pauses_and_metrics():
    got = same_as_cli(table(LIFECYCLE))
    assert set(got.column("metric").to_pylist()) == {"first_response", "next_response", "resolution"}
    assert got.column("paused_seconds").to_pylist().count(0) < got.num_rows
    assert max(got.column("cycle").to_pylist()) >= 2


BAD = [
    ("B1", T0, "created", None, "nimbus-pro", "bogus"),        # unknown priority
    ("B2", T0, "created", None, "nope", "normal"),             # unknown plan
    ("B3", T0, "reply", "agent", None, None),                  # no created
    ("B4", T0, "created", None, "nimbus-pro", "normal"),
    ("B4", T0 - H, "reply", "agent", None, None),              # back in time
    ("B5", T0, "created", None, "nimbus-pro", "normal"),
    ("B5", T0 + H, "status", "limbo", None, None),             # unknown status
    ("B6", T0, "created", None, "nimbus-pro", "normal"),
    ("B6", T0 + H, "reply", "shouter", None, None),            # unknown author
    ("B7", T0, "created", None, "nimbus-pro", "normal"),
    ("B7", T0 + H, "dance", None, None, None),                 # unknown event
    ("B8", T0, "created", None, "nimbus-pro", "normal"),
    ("B8", T0 + H, "status", "closed", None, None),
    ("B8", T0 + 2 * H, "reply", "customer", None, None),       # after closed
    ("B9", T0, "created", None, None, None),                   # no plan
    ("B1", T0 + 9 * H, "reply", "agent", None, None),          # id comes back
    ("", T0, "created", None, "nimbus-pro", "normal"),         # empty id
    (None, T0, "created", None, "nimbus-pro", "normal"),       # null id
    ("C1", None, "created", None, "nimbus-pro", "normal"),     # null time
    ("C2", T0, None, None, "nimbus-pro", "normal"),            # null event
    ("C3", T0, "created", None, "nimbus-pro", "normal"),
    ("C3", T0 + H, "priority", None, None, None),              # priority without value
    ("C4", T0, "created", None, "nimbus-pro", "normal"),
    ("C4", T0 + H, "created", None, "nimbus-pro", "high"),     # created twice
    (None, None, None, None, None, None),                      # blank: skipped
    ("C5", -20_000_000_000, "created", None, "nimbus-pro", "normal"),  # before 1583
]


def test_bad_events_and_nulls_are_error_rows_as_the_cli_says():
    got = same_as_cli(table(BAD))
    errors = [e for e in got.column("error").to_pylist() if e]
    assert len(errors) >= 15
    assert any("line " in e for e in errors)


def test_unsorted_events_are_the_cli_errors():
    rows = gen_events(300, seed=11)
    random.Random(3).shuffle(rows)
    got = same_as_cli(events_table(rows))
    assert sum(e is not None for e in got.column("error").to_pylist()) > 100


def test_times_as_text_and_other_columns():
    rows = [
        ("T1", "2026-11-16 09:00", "created", "", "nimbus-pro", "normal"),
        ("T1", "2026-11-16T11:00:00+01:00", "reply", "agent", "", ""),
        ("T2", "2026-11-16 10:00", "reply", "agent", "", ""),          # local before created
        ("T3", "yesterday", "created", "", "nimbus-pro", "normal"),     # bad time
        ("T4", " 2026-11-16T09:00:00Z ", " CREATED ", "", " Nimbus-Pro ", "NORMAL"),
        ("", "", "", "", "", ""),                                       # blank, but see note
        ("T5", "now", "created", "", "nimbus-pro", "high"),
    ]
    t = table(rows, at_type=pa.string())
    note = pa.array(["a", None, None, None, None, "not blank", None])
    same_as_cli(t.append_column("note", note))
    # Other columns of other types, and a header in another case.
    t = t.rename_columns(["ID", " At ", "event", "value", "plan", "priority"])
    n = pa.array([1, None, 3, None, 5, None, 7], pa.int64())
    when = pa.array([T0] * 7, pa.int64()).cast(TS)
    same_as_cli(t.append_column("n", n).append_column("when", when))


def test_categoricals_units_zones_and_pandas():
    rows = gen_events(400, seed=5)
    t = events_table(rows)
    enc = pa.table({c: (t.column(c).dictionary_encode() if c != "at" else t.column(c)) for c in t.column_names})
    same_as_cli(enc)
    ms = t.set_column(1, "at", t.column("at").cast(pa.timestamp("ms", tz="Europe/Paris")))
    same_as_cli(ms)
    same_as_cli(t.to_pandas())
    # Columns in another order, no value/plan/priority beyond what is needed.
    same_as_cli(t.select(["priority", "plan", "value", "event", "at", "id"]))


def test_control_characters_and_line_breaks_as_the_cli():
    rows = [
        ("T\t1", T0, "created", "", "nimbus-pro", "normal"),
        ("T\t1", T0 + H, "reply", "agent", "", ""),
        ("T\x1b2", T0, "created", "", "nimbus-pro", "bog\x07us"),
        ('T"3,', T0, "created", "", "nimbus-pro", "normal"),
    ]
    got = same_as_cli(table(rows))
    ids = got.column("id").to_pylist()
    assert ids[0] == "T\t1" and not any("\x1b" in i for i in ids) and any(i.startswith("T\\") for i in ids)
    # A line break in a cell: lines shift in the CSV form, which answers.
    rows.append(("T\n4", T0, "created", "", "nimbus-pro", "zz"))
    rows.append(("T5", T0, "reply", "agent", "", ""))
    got = same_as_cli(table(rows))
    assert "line 8" in got.column("error").to_pylist()[-1]


def test_long_rows_as_the_cli():
    rows = [("T1", T0, "created", "", "nimbus-pro", "normal"), ("T1", T0 + H, "reply", "x" * 70_000, "", ""),
            ("T2", T0, "created", "", "nimbus-pro", "normal"), ("T2", T0 + H, "reply", "y" * 20_000, "", "")]
    got = same_as_cli(table(rows))
    assert "64 KiB" in got.column("error").to_pylist()[0]


def test_empty_tables_and_missing_columns():
    t = table(LIFECYCLE)
    empty = same_as_cli(t.slice(0, 0))
    assert empty.num_rows == 0
    with pytest.raises(ValueError) as e:
        PLANS.replay(t.drop_columns(["event"]), NOW)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACALC_")}
    csv = _columns.table_to_csv(t.drop_columns(["event"]), zone_of_keys=False)
    r = subprocess.run([cli_path(), "replay", "--input", "-", "--now", NOW_TEXT], input=csv, capture_output=True, env=env)
    assert r.returncode == 2 and str(e.value) in r.stderr.decode()
    with pytest.raises(ValueError, match="replay input is empty"):
        PLANS.replay(pa.table({}), NOW)


def test_many_tickets_as_the_cli():
    rows = gen_events(5000, seed=99)
    same_as_cli(events_table(rows))


def native_answers(t: pa.Table):
    """Whether the engine answered from the columns (not from the CSV form)."""
    picked = PLANS._native.replay_columns_of(t.column_names)
    keep = []

    def text(i):
        if i is None:
            return None
        arg, k = _columns.text_column(t.column(i), t.column_names[i])
        keep.append(k)
        return arg

    at, k = _columns.time_column(t.column(picked[1]), "at")
    others = [text(i) for i in range(t.num_columns) if i not in picked]
    cols = [text(i) for i in (picked[0],)] + [True, at] + [text(i) for i in picked[2:]]
    return PLANS._native.replay(t.num_rows, *cols, others, int(NOW.timestamp())) is not None


def test_only_tables_with_line_breaks_or_long_rows_go_as_csv():
    t = table(LIFECYCLE)
    assert native_answers(t)
    assert native_answers(t.append_column("note", pa.array(["x" * 20_000] + [None] * (t.num_rows - 1))))
    assert not native_answers(t.append_column("note", pa.array(["a\nb"] + [None] * (t.num_rows - 1))))
    assert not native_answers(t.append_column("note", pa.array(["x" * 40_000] + [None] * (t.num_rows - 1))))
