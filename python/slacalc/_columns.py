"""Turning what a caller gives (pyarrow, pandas, Polars, NumPy, scalars) into
plain Arrow columns for the Rust half, and its buffers back into pyarrow
arrays. Marshalling only: every answer is computed in Rust by the slacalc
library."""

from __future__ import annotations

import datetime as _dt
import io
from typing import Any, List, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

UTC_SECONDS = pa.timestamp("s", tz="UTC")


def to_arrow(x: Any) -> pa.Array:
    """One pyarrow Array from a pyarrow (Chunked)Array, a pandas Series or
    Index, a Polars Series, a NumPy array, a list, or any object exporting
    the Arrow C data interface (``__arrow_c_array__`` / ``__arrow_c_stream__``)."""
    if isinstance(x, pa.ChunkedArray):
        return x.chunk(0) if x.num_chunks == 1 else (x.combine_chunks() if x.num_chunks else pa.array([], x.type))
    if isinstance(x, pa.Array):
        return x
    mod = type(x).__module__ or ""
    if mod.startswith("polars"):
        return to_arrow(x.to_arrow())
    if mod.startswith("pandas"):
        return to_arrow(pa.array(x, from_pandas=True))
    if hasattr(x, "__arrow_c_array__"):
        return to_arrow(pa.array(x))
    if hasattr(x, "__arrow_c_stream__"):
        return to_arrow(pa.chunked_array(x))
    return to_arrow(pa.array(x))


def to_table(x: Any) -> pa.Table:
    """A pyarrow Table from a pyarrow Table or RecordBatch, a pandas or Polars
    DataFrame, a dict of columns, or an Arrow C stream."""
    if isinstance(x, pa.Table):
        return x
    if isinstance(x, pa.RecordBatch):
        return pa.Table.from_batches([x])
    mod = type(x).__module__ or ""
    if mod.startswith("polars"):
        return x.to_arrow()
    if mod.startswith("pandas"):
        return pa.Table.from_pandas(x, preserve_index=False)
    if isinstance(x, dict):
        return pa.table({k: to_arrow(v) for k, v in x.items()})
    return pa.table(x)


def _datetime_seconds(x: Any, name: str) -> int:
    if isinstance(x, _dt.datetime):
        if x.tzinfo is None or x.utcoffset() is None:
            raise ValueError(
                f"{name}: a naive datetime {x!r} (give an aware one, e.g. datetime(..., tzinfo=timezone.utc))"
            )
        # Floor to the second, also before 1970.
        delta = x - _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        return delta.days * 86400 + delta.seconds
    # numpy.datetime64 (read as UTC), without importing NumPy.
    if type(x).__name__ == "datetime64":
        return int(pa.array([x]).cast(pa.timestamp("s"), safe=False).view(pa.int64())[0].as_py())
    raise TypeError(f"{name}: expected a datetime, an array of timestamps or None, got {type(x).__name__}")


def is_array_like(x: Any) -> bool:
    return not (x is None or isinstance(x, (str, bytes, _dt.datetime)) or type(x).__name__ == "datetime64")


def time_column(x: Any, name: str) -> Tuple[Any, Optional[pa.Array]]:
    """(what the Rust half reads, the int64 array to keep alive)."""
    if x is None:
        return None, None
    if not is_array_like(x):
        return _datetime_seconds(x, name), None
    arr = to_arrow(x)
    t = arr.type
    if pa.types.is_null(t):
        arr = pa.nulls(len(arr), pa.int64())
    elif pa.types.is_timestamp(t):
        if t.unit != "s":
            # Floored as UTC values (a zone's local time may be ambiguous,
            # which floor_temporal refuses), then to seconds.
            arr = pc.floor_temporal(arr.cast(pa.timestamp(t.unit)), unit="second").cast(pa.timestamp("s"))
        arr = arr.view(pa.int64())
    else:
        raise TypeError(
            f"{name}: expected timestamps (pyarrow timestamp, NumPy datetime64, pandas or Polars datetimes), got {t}"
        )
    validity, data = arr.buffers()[:2]
    addr = data.address if data is not None else 0
    return (len(arr), arr.offset, validity.address if validity is not None else 0, addr), arr


def string_column(x: Any, name: str, encode: bool = False) -> Tuple[Any, Optional[Any]]:
    """(what the Rust half reads, the arrays to keep alive). A dictionary
    array (pandas and Polars categoricals) is handed over as its int32
    indices and its dictionary, not decoded; with ``encode`` (plan and
    priority), a plain string array is dictionary-encoded first (in C++):
    the Rust half then finds a row's (plan, priority) by two indices instead
    of hashing its strings."""
    if x is None or isinstance(x, str):
        return x, None
    arr = to_arrow(x)
    t = arr.type
    if pa.types.is_null(t):
        arr = pa.nulls(len(arr), pa.string())
    elif encode and len(arr) > 64 and not pa.types.is_dictionary(t):
        arr = pc.dictionary_encode(_utf8(arr, t, name))
        t = arr.type
    if pa.types.is_dictionary(t):
        values = _utf8(arr.dictionary, t.value_type, name)
        indices = arr.indices if t.index_type == pa.int32() else arr.indices.cast(pa.int32())
        validity, data = indices.buffers()[:2]
        return (
            len(indices),
            indices.offset,
            validity.address if validity is not None else 0,
            data.address if data is not None else 0,
            _string_buffers(values),
        ), (indices, values)
    arr = _utf8(arr, t, name)
    return _string_buffers(arr), arr


def _utf8(arr: pa.Array, t: pa.DataType, name: str) -> pa.Array:
    """`arr` as a UTF-8 array with int32 offsets (large and view strings cast)."""
    if pa.types.is_string(arr.type):
        return arr
    if pa.types.is_large_string(arr.type) or str(arr.type) in ("string_view", "large_utf8", "utf8_view"):
        return arr.cast(pa.string())
    raise TypeError(f"{name}: expected strings, got {t}")


def _string_buffers(arr: pa.Array) -> Tuple[int, int, int, int, int]:
    validity, offsets, data = arr.buffers()[:3]
    return (
        len(arr),
        arr.offset,
        validity.address if validity is not None else 0,
        offsets.address,
        data.address if data is not None else 0,
    )


def rows_of(args: Sequence[Tuple[str, Any]]) -> int:
    """The common length of the array arguments (1 when all are scalars)."""
    n = None
    for name, v in args:
        if isinstance(v, tuple):
            if n is not None and v[0] != n:
                raise ValueError(f"{name} has {v[0]} rows, the other arrays {n}")
            n = v[0]
    return 1 if n is None else n


def _validity(valid: Optional[bytes]) -> Optional[pa.Buffer]:
    """A validity bitmap from the Rust half; ``None``: every row is valid."""
    return None if valid is None else pa.py_buffer(valid)


def timestamps(n: int, bufs: Tuple[Optional[bytes], bytes]) -> pa.Array:
    valid, values = bufs
    return pa.Array.from_buffers(UTC_SECONDS, n, [_validity(valid), pa.py_buffer(values)])


def int64s(n: int, bufs: Tuple[Optional[bytes], bytes]) -> pa.Array:
    valid, values = bufs
    return pa.Array.from_buffers(pa.int64(), n, [_validity(valid), pa.py_buffer(values)])


def strings(n: int, bufs: Tuple[Optional[bytes], bytes, bytes]) -> pa.Array:
    valid, offsets, data = bufs
    return pa.Array.from_buffers(pa.string(), n, [_validity(valid), pa.py_buffer(offsets), pa.py_buffer(data)])


def csv_column(col: Any, zone_of_keys: bool) -> Any:
    """One column as :func:`table_to_csv` hands it to pyarrow's CSV writer
    (which casts it to strings): timestamps as RFC 3339 (in UTC, or with
    ``zone_of_keys`` in the column's own zone, as batch prints them in the
    plan's), dictionaries decoded."""
    t = col.type
    if pa.types.is_timestamp(t):
        if zone_of_keys and t.tz and t.tz not in ("UTC", "Z", "+00:00", "Etc/UTC"):
            return pc.strftime(col, format="%Y-%m-%dT%H:%M:%S%z")
        from ._native import format_utc

        arr, keep = time_column(col, "timestamp column")
        out = strings(arr[0], format_utc(arr[0], arr)) if isinstance(arr, tuple) else pa.nulls(len(col), pa.string())
        del keep
        return out
    if pa.types.is_dictionary(t):
        return col.cast(t.value_type)
    return col


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t) or str(t) in ("string_view", "utf8_view")


def text_column(col: Any, name: str) -> Tuple[Any, Optional[Any]]:
    """A column's cells as the text :func:`table_to_csv` writes for them,
    for the Rust half (see :func:`string_column`): strings (and dictionaries
    of strings) as they are, anything else cast to strings as pyarrow's
    CSV writer casts it."""
    t = col.type
    if not (pa.types.is_dictionary(t) and _is_text(t.value_type)):
        col = csv_column(col, zone_of_keys=False)
        if not _is_text(col.type):
            col = pc.cast(col, pa.string())
    return string_column(col, name)


def table_to_csv(table: pa.Table, zone_of_keys: bool) -> bytes:
    """CSV for the library's readers (see :func:`csv_column`)."""
    cols = [csv_column(col, zone_of_keys) for col in table.columns]
    table = pa.Table.from_arrays(cols, names=table.column_names)
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


def read_csv(data: bytes, types: dict, names: List[str]) -> pa.Table:
    if not data.strip():
        return pa.table({n: pa.array([], types.get(n, pa.string())) for n in names})
    opts = pacsv.ConvertOptions(
        column_types=types,
        strings_can_be_null=True,
        null_values=[""],
        timestamp_parsers=[pacsv.ISO8601],
    )
    return pacsv.read_csv(io.BytesIO(data), convert_options=opts)
