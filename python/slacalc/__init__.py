"""slacalc: SLA deadlines, status, replay and reports over Arrow arrays.

The engine of the ``slacalc`` command line (working hours, holidays, zones,
several clocks per ticket), with no CLI around it. Every answer is computed
by the Rust library and is the CLI's for the same input.

Inputs are strings or datetimes (scalars broadcast) or arrays: pyarrow
arrays, pandas and Polars series, NumPy ``datetime64`` arrays (read as UTC).
Outputs are pyarrow arrays and tables (instants as ``timestamp[s, tz=UTC]``):
``.to_pandas()`` and ``polars.from_arrow`` take them as they are; a DuckDB
Arrow UDF or a Spark ``mapInArrow`` function casts instants to
``timestamp[us, tz=UTC]``, the unit those engines declare (see python/README.md).

>>> import datetime as dt, slacalc
>>> plans = slacalc.Plans()
>>> opened = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
>>> plans.deadline("apizee-gold", "p1", opened)[0].as_py()
datetime.datetime(2026, 11, 20, 15, 0, tzinfo=<UTC>)
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from typing import Any, Iterable, List, Optional, Sequence, Union

import pyarrow as pa

from . import _columns as _c
from ._native import NativePlans as _NativePlans
from ._native import __version__, replay_columns as _replay_columns, report_fields as _report_fields

__all__ = ["Plans", "report", "__version__"]

# Rows handed to the engine per call: string offsets are 32-bit.
_CHUNK = 1 << 22

_REPLAY_TYPES = {
    "id": pa.string(),
    "plan": pa.string(),
    "priority": pa.string(),
    "metric": pa.string(),
    "cycle": pa.int64(),
    "start": _c.UTC_SECONDS,
    "stop": _c.UTC_SECONDS,
    "target": pa.string(),
    "target_seconds": pa.int64(),
    "clock": pa.string(),
    "deadline": _c.UTC_SECONDS,
    "elapsed_seconds": pa.int64(),
    "paused_seconds": pa.int64(),
    "remaining_seconds": pa.int64(),
    "state": pa.string(),
    "error": pa.string(),
}


def _slices(cols, n):
    """The argument tuples for each chunk of at most _CHUNK rows."""
    for start in range(0, max(n, 1), _CHUNK):
        length = min(_CHUNK, n - start) if n else n
        out = []
        for v in cols:
            if isinstance(v, tuple):
                out.append((length, v[1] + start) + v[2:])
            else:
                out.append(v)
        yield length, out


class Plans:
    """The support plans: the ones embedded in slacalc, plus ``paths``.

    ``paths`` are plan files (``.toml``) or directories of them, loaded as
    ``slacalc --plans PATH`` loads them (a later file overrides an earlier
    plan id). A plan file with an error raises ``ValueError`` naming its
    ``file:line:column``.

    >>> plans = slacalc.Plans()                           # doctest: +SKIP
    >>> plans = slacalc.Plans(paths=["my-plans.toml"])    # doctest: +SKIP
    """

    def __init__(self, paths: Optional[Iterable[Union[str, os.PathLike]]] = None) -> None:
        self._native = _NativePlans([os.fspath(p) for p in (paths or [])])

    def deadline(
        self,
        plan: Any,
        priority: Any,
        opened: Any,
        *,
        pauses: Any = None,
        metric: str = "first_response",
        errors: str = "raise",
    ) -> pa.TimestampArray:
        """When each ticket's ``metric`` target is due, as ``slacalc deadline``
        answers it: a ``timestamp[s, tz=UTC]`` array, one value per row.

        A row with no commitment (best effort, no service level) gets null;
        so does a row whose plan or opened time is null (a null priority is
        "not given"). A row that cannot be answered (unknown plan or
        priority, a priority with no target for ``metric``) raises
        ``ValueError`` naming the row's index and the reason with
        ``errors="raise"``, or gets null with ``errors="null"``.

        ``pauses`` stop the clock, as the ``pauses`` column of ``slacalc
        batch`` does: a string or an array of strings (one per row, null or
        empty for none) of pauses ``FROM/TO;FROM/TO``, each time RFC 3339 or
        a local time in the plan's zone (``now`` is the current time). A bad
        pause is that row's error.

        >>> import datetime as dt, pyarrow as pa
        >>> opened = pa.array([dt.datetime(2026, 11, 20, 9, 0), None], pa.timestamp("s", tz="UTC"))
        >>> slacalc.Plans().deadline("apizee-gold", "p1", opened).to_pylist()   # doctest: +SKIP
        [datetime.datetime(2026, 11, 20, 15, 0, tzinfo=<UTC>), None]
        """
        if errors not in ("raise", "null"):
            raise ValueError(f'errors={errors!r} (expected "raise" or "null")')
        p, keep_p = _c.string_column(plan, "plan")
        q, keep_q = _c.string_column(priority, "priority")
        o, keep_o = _c.time_column(opened, "opened")
        z, keep_z = _c.string_column(pauses, "pauses")
        n = _c.rows_of([("plan", p), ("priority", q), ("opened", o), ("pauses", z)])
        now = int(time.time())
        chunks = []
        base = 0
        for length, (pp, qq, oo, zz) in _slices([p, q, o, z], n):
            try:
                bufs = self._native.deadline(length, pp, qq, oo, metric, errors == "raise", zz, now)
            except ValueError as e:
                msg = str(e)
                if base and msg.startswith("row "):
                    i, rest = msg[4:].split(":", 1)
                    msg = f"row {int(i) + base}:{rest}"
                raise ValueError(msg) from None
            chunks.append(_c.timestamps(length, bufs))
            base += length
        del keep_p, keep_q, keep_o, keep_z
        return chunks[0] if len(chunks) == 1 else pa.concat_arrays(chunks)

    def status(
        self,
        plan: Any,
        priority: Any,
        opened: Any,
        now: Any,
        *,
        responded: Any = None,
        resolved: Any = None,
        pauses: Any = None,
        metric: str = "first_response",
    ) -> pa.Table:
        """Each ticket's state as of ``now``, as ``slacalc batch`` answers each
        row: a table with batch's columns, one row per input row, in order:
        ``plan``, ``priority``, ``metric``, ``opened``, ``deadline``, the stop
        column (``responded``, or ``resolved`` for ``metric="resolution"``),
        ``state``, ``elapsed_seconds``, ``remaining_seconds``, ``error``.
        Instants are ``timestamp[s, tz=UTC]``.

        The clock stops at ``responded`` (``resolved`` for the resolution
        metric); a stop after ``now`` has not happened yet. ``pauses`` stop
        the clock as batch's ``pauses`` column does: a string or an array of
        strings ``FROM/TO;FROM/TO`` (null or empty for none), each time RFC
        3339 or a local time in the plan's zone, ``now`` as the row's now.
        A row that cannot
        be answered gets its message in ``error`` (never an exception), as
        batch prints it, with two differences: a row opened after ``now``
        gets the error ``batch --strict`` gives (plain batch leaves it out);
        and batch's hint about ``--profile`` value maps is not added to
        unknown plan or priority messages. A row whose plan, opened or now
        is null is null in every column.

        >>> import datetime as dt
        >>> utc = dt.timezone.utc
        >>> t = slacalc.Plans().status("apizee-gold", ["p1", "p2"],
        ...     dt.datetime(2026, 11, 20, 9, tzinfo=utc), dt.datetime(2026, 11, 20, 12, tzinfo=utc))
        >>> t.column("state").to_pylist()                        # doctest: +SKIP
        ['at-risk', 'running']
        """
        stop_name = "resolved" if metric.strip().lower().replace("-", "_") == "resolution" else "responded"
        stop = resolved if stop_name == "resolved" else responded
        p, keep_p = _c.string_column(plan, "plan")
        q, keep_q = _c.string_column(priority, "priority")
        o, keep_o = _c.time_column(opened, "opened")
        w, keep_w = _c.time_column(now, "now")
        s, keep_s = _c.time_column(stop, stop_name)
        z, keep_z = _c.string_column(pauses, "pauses")
        n = _c.rows_of([("plan", p), ("priority", q), ("opened", o), ("now", w), (stop_name, s), ("pauses", z)])
        batches = []
        for length, (pp, qq, oo, ww, ss, zz) in _slices([p, q, o, w, s, z], n):
            d = self._native.status(length, pp, qq, oo, ww, ss, metric, zz)
            cols = {}
            for name, bufs in d.items():
                if len(bufs) == 3:
                    cols[name] = _c.strings(length, bufs)
                elif name.endswith("_seconds"):
                    cols[name] = _c.int64s(length, bufs)
                else:
                    cols[name] = _c.timestamps(length, bufs)
            batches.append(pa.RecordBatch.from_pydict(cols))
        del keep_p, keep_q, keep_o, keep_w, keep_s, keep_z
        return pa.Table.from_batches(batches)

    def replay(self, events: Any, now: Any) -> pa.Table:
        """Ticket event histories through their SLA clocks, as ``slacalc
        replay --now NOW`` answers them: ``events`` is a table (pyarrow,
        pandas, Polars) with replay's input columns ``id``, ``at``, ``event``,
        ``value`` and optionally ``plan``, ``priority`` (``at`` as timestamps,
        or as text the CLI reads); a ticket's events are consecutive rows.
        Returns replay's output columns, one row per ticket cycle;
        ``start``, ``stop`` and ``deadline`` as ``timestamp[s, tz=UTC]``. A
        ticket that cannot be replayed gets one row with its ``error``.
        Answers are those of ``slacalc replay`` on the table written as CSV:
        a message's line is the row's index + 2 (the header is line 1), text
        comes back as the CSV output holds it (control characters escaped,
        an empty cell null), and a row whose every cell is blank is skipped.

        >>> import pandas as pd, datetime as dt
        >>> ev = pd.DataFrame({"id": ["T1", "T1"],
        ...     "at": pd.to_datetime(["2026-11-20T09:00Z", "2026-11-20T10:00Z"]),
        ...     "event": ["created", "reply"], "value": ["", "agent"],
        ...     "plan": ["apizee-gold", ""], "priority": ["p1", ""]})
        >>> slacalc.Plans().replay(ev, dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc))  # doctest: +SKIP
        """
        if now is None or _c.is_array_like(now):
            raise TypeError("now: expected one datetime (aware) for the whole run")
        now_s = _c._datetime_seconds(now, "now")
        table = _c.to_table(events)
        names = list(_replay_columns())
        # The events' cells go to the engine as they are; the rows come back
        # as Arrow buffers. Answers are the CLI's on the table as CSV; a
        # table whose CSV form alone says what they are (a line break in a
        # cell, a row near the 64 KiB record limit) goes as that CSV.
        picked = self._native.replay_columns_of(table.column_names)
        n = table.num_rows
        if n == 0:
            return pa.table({c: pa.array([], _REPLAY_TYPES[c]) for c in names})
        keep = []

        def text(i):
            if i is None:
                return None
            arg, k = _c.text_column(table.column(i), table.column_names[i])
            keep.append(k)
            return arg

        id_i, at_i, event_i, value_i, plan_i, priority_i = picked
        at_col = table.column(at_i)
        at_secs = pa.types.is_timestamp(at_col.type)
        if at_secs:
            at, k = _c.time_column(at_col, "at")
            keep.append(k)
        else:
            at = text(at_i)
        others = [text(i) for i in range(table.num_columns) if i not in picked]
        answer = self._native.replay(
            n, text(id_i), at_secs, at, text(event_i), text(value_i), text(plan_i), text(priority_i), others, now_s
        )
        del keep
        if answer is None:
            out = self._native.replay_csv(_c.table_to_csv(table, zone_of_keys=False), now_s)
            return _c.read_csv(out, _REPLAY_TYPES, names)
        rows, bufs = answer
        cols = {}
        for c in names:
            b = bufs[c]
            t = _REPLAY_TYPES[c]
            if len(b) == 3:
                cols[c] = _c.strings(rows, b)
            elif t == pa.int64():
                cols[c] = _c.int64s(rows, b)
            else:
                cols[c] = _c.timestamps(rows, b)
        return pa.table(cols)


_DEFAULT: Optional[Plans] = None


def report(
    rows: Any,
    by: Union[str, Sequence[str]] = ("plan", "priority", "metric"),
    *,
    tz: Optional[str] = None,
    plans: Optional[Plans] = None,
) -> pa.Table:
    """``status`` or ``replay`` output summed up per group, as ``slacalc
    report --by BY`` answers it: one row per group, sorted by the keys, with
    the key columns then ``cycles``, ``met``, ``missed``, ``breached``,
    ``running``, ``at_risk``, ``paused``, ``no_commitment``, ``errors``,
    ``attainment_percent``, ``p50_seconds``, ``p90_seconds``,
    ``p95_seconds``, ``mean_seconds``.

    ``by`` takes ``plan``, ``priority``, ``metric``, ``month``, ``week``,
    ``day`` and any other column of ``rows``. ``month``/``week``/``day`` are
    cut in ``tz`` (an IANA zone) when given, else in the zone of the
    timestamp column's type (UTC for ``status`` output: cast the column to
    another zone to cut there). Priorities sort in their plan's level
    order, for the plans of ``plans`` (default: the embedded ones).

    >>> t = slacalc.Plans().status("apizee-gold", "p1", opened, now)   # doctest: +SKIP
    >>> slacalc.report(t, by=["plan", "month"]).to_pandas()             # doctest: +SKIP
    """
    global _DEFAULT
    if plans is None:
        if _DEFAULT is None:
            _DEFAULT = Plans()
        plans = _DEFAULT
    keys = by if isinstance(by, str) else ",".join(by)
    table = _c.to_table(rows)
    data = _c.table_to_csv(table, zone_of_keys=tz is None)
    names, out = plans._native.report_csv(data, keys, tz)
    types = {n: pa.string() for n in names}
    for f in _report_fields():
        types[f] = pa.float64() if f == "attainment_percent" else pa.int64()
    return _c.read_csv(out.encode(), types, names + list(_report_fields()))
