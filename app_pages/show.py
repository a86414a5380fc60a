"""Showing things: user text made inert, every table (labels, money, downloads, the source
behind a row), the source viewer and every chart (its caption inside the image)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis import sources
from app_pages import result_cache, shown_tables
from app_pages.data import cached
from app_pages.kept import KeptByIdentity
from etl import defaults, labels
from etl.citations import split_refs
from exports import tables as exports

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:])")


def md_escape(text: object) -> str:
    """Text a user supplied (file names, labels, class codes from an imported scenario) made
    inert in Markdown: no links, images, emphasis or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def display(df: pd.DataFrame) -> pd.DataFrame:
    """For showing only: DATE columns arrive as midnight timestamps; show them as dates. A
    missing text cell shows blank, not "None" (a table shown as stored: listings, logs)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if (
            pd.api.types.is_datetime64_any_dtype(s)
            and (s.dropna().dt.normalize() == s.dropna()).all()
        ):
            out[col] = s.dt.date
        elif s.hasnans and pd.api.types.infer_dtype(s, skipna=True) == "string":
            out[col] = s.fillna("")
    return out


MONEY_FORMAT = "dollar"


def table(
    df: pd.DataFrame,
    name: str,
    *,
    key: str | None = None,
    money: tuple[str, ...] = (),
    cited: bool = False,
    sheets: dict | None = None,
    column_config: dict | None = None,
    readable: bool = True,
    total_rows: int | None = None,
    all_rows: Callable[[], pd.DataFrame] | None = None,
    **kwargs,
) -> pd.Series | None:
    """Every table of the app: codes shown as words (analysis/labels.readable), money columns
    as dollars, CSV and XLSX downloads of what is shown beneath; with `cited`, picking a row
    shows the agreement text (or the imported file's row) behind it. Returns the picked row.

    Past defaults.MAX_TABLE_ROWS rows the page shows the first ones and says so; the downloads
    hold every row (sending 20,000 rows to the browser on each run slowed every page). A page
    may pass only the first rows as `df`, with `total_rows` and `all_rows` (called for a
    download) for the whole table, so a large table is not copied out of the cache per run."""
    convert = labels.readable if readable else display
    n = len(df) if total_rows is None else total_rows
    full = df if all_rows is None else all_rows
    # head() copies and consolidates every block: only when there is something to cut.
    cut = df if len(df) <= defaults.MAX_TABLE_ROWS else df.head(defaults.MAX_TABLE_ROWS)
    shown, data = shown_tables.shown(cut, convert)
    config: dict = {}
    for c in money:
        header = labels.COLUMNS.get(c, c) if readable else c
        config[header] = st.column_config.NumberColumn(header, format=MONEY_FORMAT)
    config.update(column_config or {})
    select = dict(on_select="rerun", selection_mode="single-row") if cited else {}
    ev = st.dataframe(
        data,
        hide_index=True,
        width="stretch",
        key=key or f"table_{name}",
        column_config=config,
        **select,
        **kwargs,
    )
    if n > defaults.MAX_TABLE_ROWS:
        st.caption(
            f"Showing the first {defaults.MAX_TABLE_ROWS:,} of {n:,} rows; "
            "the CSV and XLSX downloads hold them all."
        )
    if cited:
        st.caption("Select a row to read the text it comes from.")
    if n > defaults.MAX_TABLE_ROWS:
        download_buttons(full, name, sheets, convert)
    else:
        download_buttons(shown, name, sheets)
    if not cited or ev is None or not ev.selection.rows:
        return None
    row = df.iloc[ev.selection.rows[0]]
    ref = row.get("source_ref")
    if isinstance(ref, str) and "§" in ref:
        show_source(split_refs(ref)[0], expanded=True)
    return row


def save_again_ok(earlier: list[str], done: str, consequence: str, key: str) -> bool:
    """Before saving a file saved before: the earlier saves (already escaped), what saving
    again would do, and a box to tick to save anyway. True when there is nothing earlier or
    the box is ticked."""
    if not earlier:
        return True
    st.warning(
        f"You {done} this same file before: {'; '.join(earlier)}. {consequence}",
        icon=":material/content_copy:",
    )
    return st.checkbox("Save it again anyway", key=key)


def show_source(ref: str, expanded: bool = False) -> None:
    """The agreement text (or imported file rows) around a cited value, the cited line marked."""
    try:
        ctx = cached(sources.source_context, ref)
    except ValueError as exc:
        st.warning(str(exc))
        return
    with st.expander(f"Source: {ref}", expanded=expanded):
        lines = []
        for r in ctx.itertuples():
            mark = "▶" if r.is_cited else " "
            lines.append(f"{mark} {r.line_no:>5} | {r.text}")
        st.code("\n".join(lines), language=None, wrap_lines=True)


def _file_name(name: str) -> str:
    """A download's file name: safe characters, a sensible length (names can come from users)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "table"
    return safe[:80]


def download_buttons(
    df: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    sheets: dict | None = None,
    convert=None,
) -> None:
    """CSV and formatted XLSX downloads of a table (formula-like cells neutralized); `df` may
    be a function giving it; `convert` (e.g. labels.readable) is applied when a file is built.

    The files are built only when a button is clicked (a callable as `data`): building the
    XLSX of a 20,000-row table on every run took seconds and stalled every other session."""
    stem = _file_name(name)

    def main() -> pd.DataFrame:
        table = df() if callable(df) else df
        return convert(table) if convert else table

    with st.container(horizontal=True):
        st.download_button(
            "CSV",
            lambda: exports.to_csv_bytes(main()),
            f"{stem}.csv",
            "text/csv",
            key=f"dl_csv_{stem}",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            "XLSX",
            lambda: exports.to_xlsx_bytes({stem[:31]: main(), **(sheets or {})}),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"dl_xlsx_{stem}",
            on_click="ignore",
            icon=":material/download:",
        )


_FIGURES = result_cache.ResultCache(max_entries=256)
_CAPTIONED = KeptByIdentity(max_entries=256)  # (figure, caption) -> the captioned figure


def _build(module: str, name: str, args: tuple, kwargs: dict):
    return getattr(importlib.import_module(module), name)(*args, **kwargs)


def figure(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` for a figure builder (figures/), built once per arguments and
    shared between sessions as its dict (app_pages/figure_spec.py): Plotly validates every
    property as a figure is built or copied (the survey network took 37 ms, a copy about
    10 ms)."""
    from app_pages import figure_spec  # (Plotly loads with the first page that charts)

    module, name = fn.__module__, fn.__qualname__
    key = (module, name, result_cache.key_of(args + tuple(sorted(kwargs.items()))))
    return _FIGURES.get(key, lambda: figure_spec.built(_build(module, name, args, kwargs)))


def clear_figures() -> None:
    _FIGURES.clear()
    _CAPTIONED.clear()


def chart(fig, key: str, caption: str) -> None:
    """A Plotly chart whose source caption is part of the figure (under the plot), so the
    image saved with the camera button carries its title and its source."""
    from app_pages import figure_spec

    if not isinstance(fig, figure_spec.Built):
        fig = figure_spec.built(fig)
    if caption:
        fig = _CAPTIONED.get(fig, caption, lambda: figure_spec.captioned(fig, caption))
    st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        config={
            "toImageButtonOptions": {"format": "png", "filename": _file_name(key), "scale": 2},
            "displaylogo": False,
        },
    )
