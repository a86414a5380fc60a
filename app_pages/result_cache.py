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

_IMMUTABLE = (
    str, bytes, int, float, complex, bool, type(None), decimal.Decimal,
    dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp, pd.Timedelta, frozenset, range,
    np.generic,
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
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
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
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.max_entries:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    if self._computing.get(key) is gate:
                        del self._computing[key]
        return fresh(value)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
