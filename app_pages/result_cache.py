"""The in-process cache of analysis results that every page reads through (app_pages/data.py).

st.cache_data keeps each result pickled and unpickles a full copy on every hit: under load
(benchmarks/bench_load.py, 20 sessions on one process) that was about a tenth of the app's CPU,
for tables the pages only read. Here a result is kept as computed and each hit gets its own
shallow copy: with pandas' copy-on-write (always on from pandas 3) a page that changes its copy
(renames, new columns, edited cells) copies only what it changes and never the cached table.
Values that are neither tables, containers of them, dataclasses nor immutable scalars are
handed out as a pickled copy, as st.cache_data did.

One computation per key at a time (other sessions asking for it wait for that one); results are
dropped least recently used past `max_entries`; an exception is not cached."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import decimal
import pickle
import threading
from collections.abc import Callable, Hashable

import numpy as np
import pandas as pd
import pyarrow as pa

_IMMUTABLE = (
    str, bytes, int, float, complex, bool, type(None), decimal.Decimal,
    dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp, pd.Timedelta, frozenset, range,
    np.generic, pa.Table,
)  # fmt: skip


class Shared:
    """A value handed to every reader as it is: its type promises nothing changes it."""


def is_instance_dataclass(value) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def fresh(value):
    """A copy of a cached result that its reader may change without changing the cache."""
    if isinstance(value, (_IMMUTABLE, Shared)):
        return value
    if isinstance(value, (pd.DataFrame, pd.Series)):
        out = value.copy(deep=False)  # copy-on-write: a change copies the changed part only
        out.attrs = pickle.loads(pickle.dumps(value.attrs))  # notes a page may amend
        return out
    if type(value) in (list, tuple):
        return type(value)(fresh(v) for v in value)
    if type(value) is dict:
        return {k: fresh(v) for k, v in value.items()}
    if is_instance_dataclass(value) and hasattr(value, "__dict__"):  # (slots: pickled)
        out = object.__new__(type(value))
        for name, v in vars(value).items():
            object.__setattr__(out, name, fresh(v))  # frozen dataclasses too
        return out
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def key_of(values: tuple) -> tuple:
    """A hashable key for call arguments: tables (and anything unhashable) by their pickle,
    each value with its type (so 1, 1.0 and True are three keys, as for st.cache_data)."""
    out = []
    for v in values:
        try:
            hash(v)
        except TypeError:
            out.append(("pickle", pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)))
        else:
            out.append((type(v).__qualname__, v))
    return tuple(out)


class ResultCache:
    """With `size_of` and `max_bytes`, also at most `max_bytes` of what `size_of` counts (a
    value larger than that alone is handed out and not kept)."""

    def __init__(
        self,
        max_entries: int,
        *,
        max_bytes: int | None = None,
        size_of: Callable[[object], int] | None = None,
    ):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size_of = size_of
        self.bytes = 0
        self._sizes: dict[Hashable, int] = {}
        self._values: collections.OrderedDict[Hashable, object] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], object]):
        """fresh(the cached value of `key`), computed by `compute()` when missing."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return fresh(self._values[key])
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            try:
                with self._lock:
                    if key in self._values:  # computed by the session we waited for
                        return fresh(self._values[key])
                value = compute()
                self._keep(key, value)
            finally:
                with self._lock:
                    if self._computing.get(key) is gate:
                        del self._computing[key]
        return fresh(value)

    def _keep(self, key: Hashable, value: object) -> None:
        size = self.size_of(value) if self.size_of else 0
        if self.max_bytes is not None and size > self.max_bytes:
            return
        with self._lock:
            self.bytes += size - self._sizes.get(key, 0)
            self._sizes[key] = size
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries or (
                self.max_bytes is not None and self.bytes > self.max_bytes
            ):
                old, _ = self._values.popitem(last=False)
                self.bytes -= self._sizes.pop(old, 0)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._sizes.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._values)
