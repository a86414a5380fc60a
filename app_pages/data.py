"""The warehouse as pages see it: the database check, the one read-only connection per build,
and the one cached path from a page to an analysis function."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import duckdb
import streamlit as st

from analysis import warehouse
from app_pages import result_cache
from etl import defaults
from etl.errors import BargainError
from userdata.warehouse import ensure_database


def db_path() -> Path:
    return defaults.db_path()


def ensure_database_ui() -> None:
    """Build the warehouse when it is missing or older than its sources, showing progress."""
    if "db_checked" in st.session_state:
        return
    try:
        with st.spinner("Checking the agreement database…"):
            rep = ensure_database(db_path())
        if rep is not None:
            st.toast(f"Database rebuilt from data/raw/ in {rep.seconds:.1f} s")
            for note in rep.notes:
                st.warning(note, icon=":material/warning:")
    except BargainError as exc:
        st.error(f"The database could not be built: {exc}")
        st.stop()
    st.session_state["db_checked"] = True


def build_id() -> str:
    """Changes whenever the database file is rebuilt (a rebuild renames a new file into place,
    so the inode changes); part of every cache key. A stat, not a query: it runs per widget."""
    try:
        st_ = os.stat(db_path())
    except FileNotFoundError:
        return "missing"
    return f"{st_.st_ino}-{st_.st_mtime_ns}-{st_.st_size}"


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(path: str, build: str) -> duckdb.DuckDBPyConnection:
    return warehouse.connect(Path(path))


def con() -> duckdb.DuckDBPyConnection:
    return _connection(str(db_path()), build_id())


_RESULTS = result_cache.ResultCache(max_entries=1024)


def _call(module: str, name: str, args: tuple, kwargs: dict):
    fn = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    return fn(con(), *args, **kwargs)


def cached(fn, *args, **kwargs):
    """`fn(con, *args, **kwargs)` for an analysis function, cached by the function, its
    arguments and the warehouse build: the one way pages read the warehouse. Each call gets
    its own copy of the result (app_pages/result_cache.py)."""
    module, name = fn.__module__, fn.__qualname__
    key = (module, name, build_id(), result_cache.key_of(args + tuple(sorted(kwargs.items()))))
    return _RESULTS.get(key, lambda: _call(module, name, args, kwargs))


def derived(name: str, key: tuple, build):
    """A table a page builds from cached results (`build()`), cached by `name`, `key` (every
    input it depends on) and the warehouse build: built once instead of on every run, and
    its columns are then the same arrays on every run, so labels.readable converts them once.
    Each call gets its own copy, as from `cached`."""
    return _RESULTS.get(("derived", name, build_id(), result_cache.key_of(key)), build)


def clear_results() -> None:
    _RESULTS.clear()
