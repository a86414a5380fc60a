"""Reads of the user-data file, remembered until the file changes.

Every page run lists saved work (scenarios, uploads, class matches, imports); opening a
connection and running the same queries each time cost 2-8 ms a page. A result is reused only
while SQLite's `PRAGMA data_version` on one long-lived read connection is unchanged: it changes
whenever any other connection, in this process or another, commits to the file (this
connection never writes). A file replaced at the same path (a restored backup, a test's new
file) has another inode, and its reader is opened again; the old inode cannot be reused while
this connection holds it open.
"""

from __future__ import annotations

import collections
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd

MAX_FILES = 4  # user-data files with an open reader (each holds three file descriptors)
MAX_RESULTS = 256  # remembered results per file


class _Reader:
    def __init__(self, conn: sqlite3.Connection, ident: tuple[int, int]):
        self.conn = conn
        self.ident = ident
        self.version: int | None = None
        self.results: collections.OrderedDict[tuple, pd.DataFrame] = collections.OrderedDict()
        self.lock = threading.Lock()


_READERS: collections.OrderedDict[str, _Reader] = collections.OrderedDict()
_LOCK = threading.Lock()


def _reader(path: Path, connect: Callable[[Path], sqlite3.Connection]) -> _Reader:
    st = os.stat(path)
    ident = (st.st_dev, st.st_ino)
    name = str(path.resolve())
    with _LOCK:
        reader = _READERS.get(name)
        if reader is not None and reader.ident == ident:
            _READERS.move_to_end(name)
            return reader
        if reader is not None:
            reader.conn.close()
        reader = _Reader(connect(path, check_same_thread=False), ident)
        _READERS[name] = reader
        while len(_READERS) > MAX_FILES:
            _READERS.popitem(last=False)[1].conn.close()
        return reader


def read(
    path: Path, sql: str, params: tuple, connect: Callable[..., sqlite3.Connection]
) -> pd.DataFrame:
    """The result of `sql` on the file at `path`, as a copy the caller may change."""
    reader = _reader(path, connect)
    key = (sql, tuple(params))
    with reader.lock:
        version = reader.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != reader.version:
            reader.results.clear()
            reader.version = version
        df = reader.results.get(key)
        if df is None:
            df = pd.read_sql_query(sql, reader.conn, params=params)
            reader.results[key] = df
            while len(reader.results) > MAX_RESULTS:
                reader.results.popitem(last=False)
        else:
            reader.results.move_to_end(key)
    return df.copy(deep=False)  # copy-on-write: the caller's changes stay in its copy


def forget() -> None:
    """Close every reader (tests that compare fresh reads; a process about to fork)."""
    with _LOCK:
        for reader in _READERS.values():
            reader.conn.close()
        _READERS.clear()
