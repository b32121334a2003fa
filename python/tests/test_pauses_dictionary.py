"""The `pauses` argument (batch's `pauses` column) and dictionary-encoded
plan/priority columns (pandas and Polars categoricals), each compared with
the CLI's batch on the same rows."""

import csv
import datetime as dt
import io
import random

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import slacalc
from conftest import NOW, NOW_TEXT, STATUS_TYPES, UTC, arrow_columns, assert_same_as_cli, cli_batch, gen_rows, run_cli, z


@pytest.fixture(scope="module")
def plans():
    return slacalc.Plans()


def local(t):
    """A local time as typed in a file (read in the plan's zone)."""
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")


def gen_pauses(rows, seed=7):
    """One pauses cell per row: none, empty, one or two pauses (UTC or local
    times, some overlapping, one open until now), or a bad one."""
    rnd = random.Random(seed)
    out = []
    for r in rows:
        o = r["opened"]
        k = rnd.random()
        a = o + rnd.randrange(0, 2 * 86400)
        b = a + rnd.randrange(0, 86400)
        if k < 0.2:
            out.append(None)
        elif k < 0.25:
            out.append("")
        elif k < 0.55:
            out.append(f"{z(a)}/{z(b)}")
        elif k < 0.75:
            c = b + rnd.randrange(-3600, 86400)
            out.append(f"{local(a)}/{local(b)}; {z(c)}/{z(c + rnd.randrange(0, 7200))}")
        elif k < 0.85:
            out.append(f"{z(a)}/now")
        elif k < 0.92:
            out.append(f"{z(b + 60)}/{z(a)}")  # ends before it starts
        else:
            out.append(rnd.choice(["x", "2026-13-01 10:00/2026-12-01 11:00", "2026-11-20T10:00:00Z"]))
    return out


def cli_batch_paused(rows, pauses, metric):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "plan", "priority", "opened", "responded", "resolved", "pauses"])
    for r, p in zip(rows, pauses):
        w.writerow([r["id"], r["plan"], r["priority"], z(r["opened"]), z(r["responded"]) or "", z(r["resolved"]) or "", p or ""])
    data = run_cli(["batch", "--input", "-", "--now", NOW_TEXT, "--format", "csv", "--metric", metric], out.getvalue().encode())
    types = dict(STATUS_TYPES, pauses=pa.string())
    return pacsv.read_csv(
        io.BytesIO(data),
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True, null_values=[""]),
    )


@pytest.mark.parametrize("metric,stop", [("first_response", "responded"), ("resolution", "resolved")])
def test_status_with_pauses_matches_batch(plans, metric, stop):
    rows = gen_rows(3000, seed=11)
    pauses = gen_pauses(rows)
    c = arrow_columns(rows)
    got = plans.status(c["plan"], c["priority"], c["opened"], NOW, pauses=pa.array(pauses, pa.string()),
                       metric=metric, **{stop: c[stop]})
    want = cli_batch_paused(rows, pauses, metric)
    assert_same_as_cli(got, want, stop)
    assert any(e and "pauses" in e for e in got.column("error").to_pylist())
    if metric != "first_response":
        return
    # The pauses did something: states paused, other deadlines.
    assert "paused" in set(got.column("state").to_pylist())
    plain = plans.status(c["plan"], c["priority"], c["opened"], NOW, metric=metric, **{stop: c[stop]})
    assert plain.column("deadline").to_pylist() != got.column("deadline").to_pylist()


def test_deadline_with_pauses_matches_batch(plans):
    rows = [dict(r, responded=None, resolved=None) for r in gen_rows(2000, seed=12)]
    # No pause open until `now`: deadline's `now` is the wall clock.
    pauses = [p if p is None or "now" not in p else None for p in gen_pauses(rows, seed=3)]
    c = arrow_columns(rows)
    got = plans.deadline(c["plan"], c["priority"], c["opened"], pauses=pa.array(pauses, pa.string()), errors="null")
    want = cli_batch_paused(rows, pauses, "first_response")
    w = [d if e is None else None for d, e in zip(want.column("deadline").to_pylist(), want.column("error").to_pylist())]
    assert got.to_pylist() == w
    pz = ["2026-11-20T09:00:00Z/2026-11-20T10:00:00Z"] * 10
    pz[5] = "x"
    with pytest.raises(ValueError, match=r'row 5: invalid pauses "x"'):
        plans.deadline("gold", "p1", c["opened"][:10], pauses=pz)


def test_one_pause_for_every_row(plans):
    o = pa.array([dt.datetime(2026, 11, 20, 9, tzinfo=UTC)] * 2, pa.timestamp("s", tz="UTC"))
    plain = plans.deadline("gold", "p1", o)
    paused = plans.deadline("gold", "p1", o, pauses="2026-11-20T09:00:00Z/2026-11-20T10:00:00Z")
    assert [(b - a).total_seconds() for a, b in zip(plain.to_pylist(), paused.to_pylist())] == [3600, 3600]


def test_dictionary_columns_read_as_their_strings(plans):
    rows = gen_rows(2000, seed=13)
    c = arrow_columns(rows)
    want = cli_batch(rows)
    # pyarrow dictionaries (int8 and int32 indices, nulls in the indices)
    for idx in (pa.int8(), pa.int32()):
        p = c["plan"].dictionary_encode().cast(pa.dictionary(idx, pa.string()))
        q = c["priority"].dictionary_encode().cast(pa.dictionary(idx, pa.string()))
        got = plans.status(p, q, c["opened"], NOW, responded=c["responded"])
        assert_same_as_cli(got, want)
    pd = pytest.importorskip("pandas")
    got = plans.status(pd.Series([r["plan"] for r in rows], dtype="category"),
                       pd.Series([r["priority"] for r in rows], dtype="category"),
                       c["opened"], NOW, responded=c["responded"])
    assert_same_as_cli(got, want)
    pl = pytest.importorskip("polars")
    got = plans.deadline(pl.Series([r["plan"] for r in rows], dtype=pl.Categorical),
                         pl.Series([r["priority"] for r in rows], dtype=pl.Categorical), c["opened"], errors="null")
    assert got.equals(plans.deadline(c["plan"], c["priority"], c["opened"], errors="null"))
    # Nulls in a dictionary column stay nulls; a sliced one reads from its offset.
    p = pa.array(["gold", None, "gold", "nope"]).dictionary_encode()
    o = pa.array([dt.datetime(2026, 11, 20, 9, tzinfo=UTC)] * 4, pa.timestamp("s", tz="UTC"))
    t = plans.status(p, "p1", o, NOW)
    assert t.column("state").to_pylist() == ["breached", None, "breached", None]
    assert t.column("error")[3].as_py().startswith("unknown plan")
    assert plans.status(p[1:], "p1", o[1:], NOW).column("state").to_pylist() == [None, "breached", None]
