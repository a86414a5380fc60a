"""Wiring shared by every page: the database check, the one read-only connection, cached
queries and the sidebar's shared choices. No numbers are computed here."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from analysis import exports, sources, warehouse
from etl import defaults, pay
from etl.build import ensure_database
from etl.errors import BargainError

# Session-state keys for the shared choices kept across pages.
AGENCY = "shared_agency"
PAY_BASIS = "shared_pay_basis"
DOLLARS = "shared_dollars"
CPI_SERIES = "shared_cpi_series"
CPI_LABELS = {
    "CUURS49BSA0": "CPI-U San Francisco–Oakland–Hayward",
    "CUUR0000SA0": "CPI-U U.S. city average",
}


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


_MODULES = {"warehouse": warehouse, "sources": sources}


@st.cache_data(show_spinner=False, max_entries=512)
def cached(module: str, fn_name: str, build: str, *args) -> pd.DataFrame | list:
    """Cache a query function's result by name, arguments and the build it read."""
    return getattr(_MODULES[module], fn_name)(con(), *args)


def q(fn_name: str, *args):
    return cached("warehouse", fn_name, build_id(), *args)


def q_sources(fn_name: str, *args):
    return cached("sources", fn_name, build_id(), *args)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(fn_module: str, fn_name: str, build: str, *args):
    import importlib

    return getattr(importlib.import_module(fn_module), fn_name)(con(), *args)


def cached_call(fn, *args):
    """Cache any analysis function taking (con, *args) by its name, arguments and build."""
    return _cached_call(fn.__module__, fn.__name__, build_id(), *args)


def show_source(ref: str, expanded: bool = False) -> None:
    """The agreement text around a cited value, the cited line marked."""
    try:
        ctx = q_sources("source_context", ref)
    except ValueError as exc:
        st.warning(str(exc))
        return
    with st.expander(f"Source: {ref}", expanded=expanded):
        lines = []
        for r in ctx.itertuples():
            mark = "▶" if r.is_cited else " "
            lines.append(f"{mark} {r.line_no:>5} | {r.text}")
        st.code("\n".join(lines), language=None, wrap_lines=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:])")


def md_escape(text: object) -> str:
    """Text a user supplied (file names, labels, class codes from an imported scenario) made
    inert in Markdown: no links, images, emphasis or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def display(df: pd.DataFrame) -> pd.DataFrame:
    """For showing only: DATE columns arrive as midnight timestamps; show them as dates."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if (
            pd.api.types.is_datetime64_any_dtype(s)
            and (s.dropna().dt.normalize() == s.dropna()).all()
        ):
            out[col] = s.dt.date
    return out


def cited_table(df: pd.DataFrame, key: str, name: str, **kwargs) -> pd.Series | None:
    """A table whose rows carry source_ref: pick a row to read the agreement text behind it;
    CSV and XLSX downloads beneath. Returns the picked row, if any."""
    ev = st.dataframe(
        display(df),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        **kwargs,
    )
    st.caption("Select a row to see the agreement text it comes from.")
    download_buttons(df, name)
    if ev is None or not ev.selection.rows:
        return None
    row = df.iloc[ev.selection.rows[0]]
    ref = row.get("source_ref")
    if isinstance(ref, str) and "§" in ref:
        show_source(ref, expanded=True)
    return row


def download_buttons(df: pd.DataFrame, name: str, sheets: dict | None = None) -> None:
    """CSV and formatted XLSX downloads of a table (formula-like cells neutralized).

    The files are built only when a button is clicked (a callable as `data`): building the
    XLSX of a 20,000-row table on every run took seconds and stalled every other session."""
    sheets = {name[:31]: df, **(sheets or {})}
    with st.container(horizontal=True):
        st.download_button(
            "CSV",
            lambda: exports.to_csv_bytes(df),
            f"{name}.csv",
            "text/csv",
            key=f"dl_csv_{name}",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            "XLSX",
            lambda: exports.to_xlsx_bytes(sheets),
            f"{name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"dl_xlsx_{name}",
            on_click="ignore",
            icon=":material/download:",
        )


def sidebar() -> None:
    """Shared choices, kept in session_state under explicit keys so every page sees them."""
    st.session_state.setdefault(AGENCY, "Sonoma")
    st.session_state.setdefault(PAY_BASIS, "hourly")
    st.session_state.setdefault(DOLLARS, "nominal")
    st.session_state.setdefault(CPI_SERIES, "CUURS49BSA0")
    with st.sidebar:
        st.selectbox("Agency", ["Sonoma", "Mendocino", "Contra Costa"], key=AGENCY)
        st.radio(
            "Pay basis",
            list(pay.PAY_BASES),
            key=PAY_BASIS,
            horizontal=True,
            help="2,080 hours a year; biweekly = 80 hours; monthly = annual / 12.",
        )
        st.radio(
            "Dollars",
            ["nominal", "real"],
            key=DOLLARS,
            horizontal=True,
            help="Real dollars are adjusted for inflation with the CPI series below.",
        )
        st.selectbox(
            "CPI series (for real dollars and for ageing comparators)",
            list(CPI_LABELS),
            format_func=CPI_LABELS.get,
            key=CPI_SERIES,
        )
