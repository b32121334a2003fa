"""Type stubs of slacalc (see the docstrings in slacalc/__init__.py)."""

import datetime
import os
from typing import Any, Iterable, Literal, Optional, Sequence, Union

import pyarrow as pa

__version__: str

# A string, None, or an array of strings: pyarrow, pandas, Polars, NumPy, list;
# dictionary-encoded arrays (pandas and Polars categoricals) are read as they are.
Strings = Union[str, None, pa.Array, pa.ChunkedArray, Any]
# An aware datetime, None, or an array of timestamps (NumPy datetime64 read as UTC).
Instants = Union[datetime.datetime, None, pa.Array, pa.ChunkedArray, Any]
Metric = Literal["first_response", "next_response", "resolution"]

class Plans:
    def __init__(self, paths: Optional[Iterable[Union[str, os.PathLike[str]]]] = None) -> None: ...
    def deadline(
        self,
        plan: Strings,
        priority: Strings,
        opened: Instants,
        *,
        pauses: Strings = None,
        metric: Metric = "first_response",
        errors: Literal["raise", "null"] = "raise",
    ) -> pa.TimestampArray: ...
    def status(
        self,
        plan: Strings,
        priority: Strings,
        opened: Instants,
        now: Instants,
        *,
        responded: Instants = None,
        resolved: Instants = None,
        pauses: Strings = None,
        metric: Metric = "first_response",
    ) -> pa.Table: ...
    def replay(self, events: Any, now: datetime.datetime) -> pa.Table: ...

def report(
    rows: Any,
    by: Union[str, Sequence[str]] = ("plan", "priority", "metric"),
    *,
    tz: Optional[str] = None,
    plans: Optional[Plans] = None,
) -> pa.Table: ...
