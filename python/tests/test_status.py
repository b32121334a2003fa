import datetime as dt

import pyarrow as pa
import pytest

import slacalc
from conftest import NOW, UTC, TS, arrow_columns, assert_same_as_cli, cli_batch, gen_rows, run_cli


@pytest.fixture(scope="module")
def plans():
    return slacalc.Plans()


@pytest.mark.parametrize("metric,stop", [("first_response", "responded"), ("resolution", "resolved")])
def test_status_matches_batch_row_by_row(plans, metric, stop):
    rows = gen_rows(3000)
    c = arrow_columns(rows)
    kw = {stop: c[stop]}
    got = plans.status(c["plan"], c["priority"], c["opened"], NOW, metric=metric, **kw)
    assert got.column_names == ["plan", "priority", "metric", "opened", "deadline", stop, "state",
                                "elapsed_seconds", "remaining_seconds", "error"]
    assert got.schema.field("deadline").type == TS
    assert_same_as_cli(got, cli_batch(rows, metric), stop)
    states = set(got.column("state").to_pylist())
    if metric == "first_response":
        assert {"met", "missed", "breached", "no-commitment"} <= states, states


def test_nulls_stay_null_and_scalars_broadcast(plans):
    o = dt.datetime(2026, 11, 20, 9, tzinfo=UTC)
    t = plans.status(pa.array(["gold", None, "gold"]), "p1", pa.array([o, o, None], TS), NOW)
    assert t.column("state").to_pylist() == ["breached", None, None]
    assert t.column("error").null_count == 3
    one = plans.status("gold", "p1", o, NOW)
    assert one.num_rows == 1 and one.column("state")[0].as_py() == "breached"


def test_opened_after_now_is_a_row_error_never_an_exception(plans):
    o = NOW + dt.timedelta(days=1)
    t = plans.status(["gold", "gold"], "p1", pa.array([o, NOW], TS), NOW)
    assert t.column("state").to_pylist() == [None, "running"]
    assert "after now" in t.column("error")[0].as_py()


def test_lengths_must_agree(plans):
    with pytest.raises(ValueError, match="rows"):
        plans.status(["gold", "gold"], ["p1"], NOW, NOW)


def test_deadline_matches_cli(plans):
    rows = [dict(r, responded=None, resolved=None) for r in gen_rows(2000, seed=5)]
    c = arrow_columns(rows)
    got = plans.deadline(c["plan"], c["priority"], c["opened"], errors="null")
    want = cli_batch(rows)
    assert got.type == TS
    # batch's deadline column is the same deadline (no pauses); its error rows are nulls here.
    w = [d if e is None else None for d, e in zip(want.column("deadline").to_pylist(), want.column("error").to_pylist())]
    assert got.to_pylist() == w
    # And `slacalc deadline` itself, for a few rows.
    for r in rows[:25]:
        if r["plan"] == "nope" or r["priority"] in ("zz",):
            continue
        args = ["deadline", "--plan", r["plan"], "--opened", dt.datetime.fromtimestamp(r["opened"], UTC).isoformat(), "--format", "json"]
        if r["priority"]:
            args += ["--priority", r["priority"]]
        import json, subprocess, os
        from conftest import cli_path
        p = subprocess.run([cli_path(), *args], capture_output=True)
        one = plans.deadline(r["plan"], r["priority"] or None, dt.datetime.fromtimestamp(r["opened"], UTC), errors="null")[0].as_py()
        if p.returncode == 0:
            d = json.loads(p.stdout)["deadline"]
            assert (None if d is None else dt.datetime.fromisoformat(d)) == one, (r, d, one)
        else:
            assert one is None


def test_deadline_errors(plans):
    o = dt.datetime(2026, 11, 20, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match=r"row 1: unknown plan \"nope\""):
        plans.deadline(["gold", "nope"], "p1", o)
    assert plans.deadline(["gold", "nope"], "p1", o, errors="null").to_pylist()[1] is None
    with pytest.raises(ValueError, match="naive"):
        plans.deadline("gold", "p1", dt.datetime(2026, 11, 20, 9))
    with pytest.raises(ValueError, match="metric"):
        plans.deadline("gold", "p1", o, metric="nope")


def test_numpy_datetime64_reads_as_utc(plans):
    np = pytest.importorskip("numpy")
    a = np.array(["2026-11-20T09:00:00", "2026-11-20T10:30:00.750"], dtype="datetime64[ms]")
    got = plans.deadline("gold", "p1", a)
    want = plans.deadline("gold", "p1", pa.array([dt.datetime(2026, 11, 20, 9, tzinfo=UTC), dt.datetime(2026, 11, 20, 10, 30, tzinfo=UTC)], TS))
    assert got.equals(want)


def test_plans_from_paths():
    from conftest import ROOT
    p = slacalc.Plans(paths=[str(ROOT / "examples" / "lifecycle-vendor.toml")])
    assert p.deadline("nimbus-pro", "normal", dt.datetime(2026, 11, 16, 9, tzinfo=UTC))[0].as_py() is not None
    with pytest.raises(ValueError):
        slacalc.Plans(paths=["/nonexistent/plans.toml"])


def test_names_alike_in_length_and_ends_stay_apart(plans):
    # A row finds its (plan, priority) by the bytes of its cells, once per
    # distinct pair: names alike in length and ends (or differing in one
    # middle byte, or in case) each get their own answer, as batch gives
    # it, error rows included; the string columns are spelled out in Rust
    # and stay plain strings.
    import random
    names = ["gold", "Gold", "apizee-gold", "apizee-golc", "apizee-gxld", "apizee-silver", "otter-premium",
             "otter-premiun", "cirrus-paying", "biings-cloud", "a-very-long-unknown-plan-name-x",
             "a-very-long-unknown-plan-name-y", "a-very-lxng-unknown-plan-name-x", "gö", "x", "", "abcd", "abce"]
    prios = ["p1", "p2", "p3", "P1", "major", "majos", "critical", "criticaL", "high", "", "x", "p10"]
    rnd = random.Random(7)
    rows = gen_rows(1500, seed=9)
    for r in rows:
        r["plan"], r["priority"] = rnd.choice(names), rnd.choice(prios)
    rows = [r for r in rows if r["plan"]]  # batch needs a plan cell
    c = arrow_columns(rows)
    got = plans.status(c["plan"], c["priority"], c["opened"], NOW, responded=c["responded"])
    assert_same_as_cli(got, cli_batch(rows), "responded")
    for name in ["plan", "priority", "metric", "state", "error"]:
        assert got.schema.field(name).type == pa.string(), name
    assert got.column("error").null_count < got.num_rows
