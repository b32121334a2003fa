"""pandas, Polars, DuckDB and Spark, each on generated rows compared with the
CLI's batch output for the same rows."""

import os
import shutil

import pyarrow as pa
import pytest

import slacalc
from conftest import NOW, TS, arrow_columns, assert_same_as_cli, cli_batch, gen_rows
from test_replay_report import REPLAY_TYPES, VENDOR, cli_table, events_csv, events_table, gen_events, assert_tables_equal

N = 3000


def test_pandas():
    pd = pytest.importorskip("pandas")
    rows = gen_rows(N, seed=1)
    df = pd.DataFrame({
        "plan": [r["plan"] for r in rows],
        "priority": [r["priority"] for r in rows],
        "opened": pd.to_datetime([r["opened"] for r in rows], unit="s", utc=True),
        "responded": pd.to_datetime([r["responded"] for r in rows], unit="s", utc=True),
    })
    plans = slacalc.Plans()
    out = plans.status(df["plan"], df["priority"], df["opened"], pd.Timestamp(NOW), responded=df["responded"])
    assert_same_as_cli(out, cli_batch(rows))
    # Back to pandas, and deadline as a new column.
    res = out.to_pandas()
    assert len(res) == N and str(res["deadline"].dtype).startswith("datetime64")
    df["deadline"] = plans.deadline(df["plan"], df["priority"], df["opened"], errors="null").to_pandas()
    same = res["deadline"].isna() | (res["deadline"] == df["deadline"])
    assert same.all()


def test_polars():
    pl = pytest.importorskip("polars")
    rows = gen_rows(N, seed=2)
    df = pl.DataFrame({
        "plan": [r["plan"] for r in rows],
        "priority": [r["priority"] for r in rows],
        "opened": (pl.Series([r["opened"] for r in rows]).cast(pl.Int64) * 1000).cast(pl.Datetime("ms", "UTC")),
        "responded": (pl.Series([r["responded"] for r in rows], dtype=pl.Int64) * 1000).cast(pl.Datetime("ms", "UTC")),
    })
    plans = slacalc.Plans()
    # The Series directly.
    out = plans.status(df["plan"], df["priority"], df["opened"], NOW, responded=df["responded"])
    assert_same_as_cli(out, cli_batch(rows))
    # In an expression: map_batches over a struct of the columns.
    def deadline(s: "pl.Series") -> "pl.Series":
        f = s.struct.unnest()
        return pl.from_arrow(plans.deadline(f["plan"], f["priority"], f["opened"], errors="null"))
    got = df.select(pl.struct("plan", "priority", "opened").map_batches(deadline, return_dtype=pl.Datetime("ms", "UTC")).alias("deadline"))
    cli = cli_batch([dict(r, responded=None, resolved=None) for r in rows])
    want = [d if e is None else None for d, e in zip(cli.column("deadline").to_pylist(), cli.column("error").to_pylist())]
    assert got["deadline"].to_list() == want


def test_duckdb_arrow_udf():
    duckdb = pytest.importorskip("duckdb")
    from duckdb.sqltypes import TIMESTAMP_TZ, VARCHAR
    rows = [dict(r, responded=None, resolved=None) for r in gen_rows(N, seed=3)]
    plans = slacalc.Plans()

    def sla_deadline(plan, priority, opened):
        return plans.deadline(plan, priority, opened, errors="null").cast(pa.timestamp("us", tz="UTC"))

    con = duckdb.connect()
    con.create_function("sla_deadline", sla_deadline, [VARCHAR, VARCHAR, TIMESTAMP_TZ], TIMESTAMP_TZ, type="arrow", null_handling="special")
    tickets = pa.table(arrow_columns(rows)).select(["plan", "priority", "opened"])
    con.register("tickets", tickets)
    got = con.sql("SELECT sla_deadline(plan, priority, opened) AS deadline FROM tickets").arrow()
    got = got.column("deadline") if isinstance(got, pa.Table) else got.read_all().column("deadline")
    want = cli_batch(rows)
    w = [d if e is None else None for d, e in zip(want.column("deadline").to_pylist(), want.column("error").to_pylist())]
    assert got.cast(TS).to_pylist() == w


def java_available():
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


@pytest.fixture(scope="module")
def spark():
    if not java_available():
        if os.environ.get("SLACALC_REQUIRE_TOOLS") == "1":
            pytest.fail("SLACALC_REQUIRE_TOOLS=1 but no Java runtime (java on PATH or JAVA_HOME): install a headless JRE 17+")
        pytest.skip("Spark needs a Java runtime (java on PATH or JAVA_HOME), and none is installed")
    pyspark = pytest.importorskip("pyspark")
    import sys
    # The workers run this interpreter (the one that has slacalc and pyarrow).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master("local[2]").appName("slacalc-tests")
         .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    yield s
    s.stop()


def test_spark_map_in_arrow_status(spark):
    rows = gen_rows(N, seed=4)
    pdf = pa.table(dict(id=[r["id"] for r in rows], **{k: v for k, v in arrow_columns(rows).items() if k != "resolved"}))
    sdf = spark.createDataFrame(pdf.to_pandas())

    schema = ("id string, plan string, priority string, metric string, opened timestamp, deadline timestamp, "
              "responded timestamp, state string, elapsed_seconds long, remaining_seconds long, error string")

    def status(batches):
        plans = slacalc.Plans()
        for b in batches:
            t = plans.status(b.column("plan"), b.column("priority"), b.column("opened"), NOW, responded=b.column("responded"))
            t = t.set_column(t.schema.get_field_index("opened"), "opened", t.column("opened").cast(pa.timestamp("us", tz="UTC")))
            for c in ("deadline", "responded"):
                t = t.set_column(t.schema.get_field_index(c), c, t.column(c).cast(pa.timestamp("us", tz="UTC")))
            t = t.add_column(0, "id", b.column("id"))
            yield from t.to_batches()

    out = sdf.mapInArrow(status, schema).toArrow() if hasattr(sdf, "toArrow") else None
    got = pa.table({c: out.column(c) for c in out.column_names}).sort_by([("id", "ascending")])
    want = cli_batch(rows).sort_by([("id", "ascending")])
    got = got.set_column(got.schema.get_field_index("opened"), "opened", got.column("opened").cast(TS))
    for c in ("deadline", "responded"):
        got = got.set_column(got.schema.get_field_index(c), c, got.column(c).cast(TS))
    assert_same_as_cli(got, want)


def test_spark_apply_in_arrow_replay(spark):
    rows = gen_events(1000, seed=9)
    ev = events_table(rows)
    sdf = spark.createDataFrame(ev.to_pandas())
    names = list(REPLAY_TYPES)
    schema = ", ".join(f"{n} {'long' if t == pa.int64() else 'timestamp' if pa.types.is_timestamp(t) else 'string'}" for n, t in REPLAY_TYPES.items())

    def replay(table: pa.Table) -> pa.Table:
        # One ticket's events; Spark does not keep their order within a group.
        table = table.sort_by([("at", "ascending")])
        t = slacalc.Plans(paths=[VENDOR]).replay(table, NOW)
        return pa.table({n: t.column(n).cast(pa.timestamp("us", tz="UTC")) if pa.types.is_timestamp(t.column(n).type) else t.column(n) for n in names})

    out = sdf.groupBy("id").applyInArrow(replay, schema).toArrow()
    got = pa.table({n: out.column(n).cast(TS) if pa.types.is_timestamp(out.column(n).type) else out.column(n) for n in names})
    # The CLI, one ticket's events at a time, as Spark hands them over (errors name the line within the group).
    from conftest import run_cli, NOW_TEXT
    parts = []
    by_id = {}
    for r in sorted(rows, key=lambda r: (r[0], r[1])):
        by_id.setdefault(r[0], []).append(r)
    # Equal times keep their input order in both (sort_by is stable, and so is sorted()).
    for i, evs in by_id.items():
        parts.append(cli_table(run_cli(["--plans", VENDOR, "replay", "--input", "-", "--now", NOW_TEXT, "--format", "csv"], events_csv(evs)), REPLAY_TYPES))
    want = pa.concat_tables(parts)
    key = [("id", "ascending"), ("metric", "ascending"), ("cycle", "ascending")]
    assert_tables_equal(got.sort_by(key), want.sort_by(key))
