"""Wiring shared by every page: the database check, the one read-only connection, the one
cached path to analysis functions, the sidebar's shared choices, and the table, download and
source widgets. No numbers are computed here."""

from __future__ import annotations

import importlib
import os
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from analysis import agencies, inflation, sources, warehouse
from etl import defaults, labels, pay
from etl.build import ensure_database
from etl.errors import BargainError
from exports import tables as exports

# Session-state keys for the shared choices kept across pages.
AGENCY = "shared_agency"
PAY_BASIS = "shared_pay_basis"
DOLLARS = "shared_dollars"
CPI_SERIES = "shared_cpi_series"
REAL_MONTH = "shared_real_month"
AS_OF_PREFIX = "shared_as_of::"  # + agency: each agency keeps its own date

# The header an authenticating proxy sets to the user's name (docs/DEPLOY.md).
USER_HEADER = os.environ.get("BARGAIN_USER_HEADER", "X-Forwarded-User")


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


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(module: str, name: str, build: str, args: tuple, kwargs: tuple):
    fn = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    return fn(con(), *args, **dict(kwargs))


def cached(fn, *args, **kwargs):
    """`fn(con, *args, **kwargs)` for an analysis function, cached by the function, its
    arguments and the warehouse build: the one way pages read the warehouse."""
    return _cached(fn.__module__, fn.__qualname__, build_id(), args, tuple(sorted(kwargs.items())))


def actor() -> str:
    """Who is using the app: the name the authenticating proxy passes, else 'local'."""
    try:
        name = st.context.headers.get(USER_HEADER)
    except Exception:  # no request context (a script run outside a server)
        name = None
    name = " ".join(str(name or "").split())[: defaults.MAX_NAME]
    return name or "local"


# Shared choices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """The sidebar's choices, as every page reads them."""

    agency: str
    has_salary_table: bool
    as_of: date
    basis: str
    real: bool
    cpi_series: str
    real_month: date

    @property
    def unit(self) -> str:
        return {"hourly": "$ per hour", "biweekly": "$ per pay period"}.get(
            self.basis, f"$ per {self.basis.removesuffix('ly').replace('annual', 'year')}"
        )

    def dollars_label(self) -> str:
        if not self.real:
            return "nominal dollars"
        return inflation.label(self.cpi_series, self.real_month)


def as_of_key(agency: str) -> str:
    return AS_OF_PREFIX + agency


def choices() -> Choices:
    agency = st.session_state[AGENCY]
    table = cached(agencies.agencies).set_index("agency")
    as_of = st.session_state.get(as_of_key(agency)) or cached(agencies.default_as_of, agency)
    return Choices(
        agency=agency,
        has_salary_table=bool(table.loc[agency, "has_salary_table"]),
        as_of=as_of,
        basis=st.session_state[PAY_BASIS],
        real=st.session_state[DOLLARS] == "real",
        cpi_series=st.session_state[CPI_SERIES],
        real_month=st.session_state.get(REAL_MONTH) or inflation.latest_month(),
    )


def agency_as_of(agency: str) -> date:
    """An agency's own shared date (it starts inside the agency's term)."""
    return st.session_state.get(as_of_key(agency)) or cached(agencies.default_as_of, agency)


def set_as_of(agency: str, when: date) -> None:
    """Move the shared date (e.g. a page's 'jump to schedule' picker)."""
    st.session_state[as_of_key(agency)] = when


def _default_agency() -> str:
    table = cached(agencies.agencies)
    with_table = table[table["has_salary_table"]]
    return (with_table if not with_table.empty else table)["agency"].iloc[0]


def sidebar() -> None:
    """Shared choices, kept in session_state under explicit keys so every page sees them."""
    names = cached(agencies.names)
    if st.session_state.get(AGENCY) not in names:
        st.session_state[AGENCY] = _default_agency()
    st.session_state.setdefault(PAY_BASIS, "hourly")
    st.session_state.setdefault(DOLLARS, "nominal")
    st.session_state.setdefault(CPI_SERIES, inflation.DEFAULT_SERIES)
    with st.sidebar:
        agency = st.selectbox("Agency", names, key=AGENCY)
        key = as_of_key(agency)
        if key not in st.session_state:
            st.session_state[key] = cached(agencies.default_as_of, agency)
        when = st.date_input(
            "As of",
            key=key,
            min_value=defaults.EARLIEST_DATE,
            max_value=defaults.LATEST_DATE,
            format="MM/DD/YYYY",
            help="Every page uses the schedule in force on this date. Each agency keeps its own "
            "date; it starts inside the agency's agreement term.",
        )
        st.caption(schedule_caption(agency, when))
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
            list(inflation.SERIES_NAMES),
            format_func=inflation.SERIES_NAMES.get,
            key=CPI_SERIES,
        )
        if st.session_state[DOLLARS] == "real":
            latest = inflation.latest_month(st.session_state[CPI_SERIES])
            st.session_state.setdefault(REAL_MONTH, latest)
            st.date_input(
                "Real dollars of (month)",
                key=REAL_MONTH,
                max_value=latest,
                min_value=inflation.available_range(st.session_state[CPI_SERIES])[0],
                format="MM/DD/YYYY",
            )


def schedule_caption(agency: str, when: date) -> str:
    """Which schedule the shared date selects, in words."""
    dates = cached(agencies.schedule_dates, agency)
    if not dates:
        return f"{agency} has no salary table; dates select its increases and provisions."
    on = [d for d in dates if d <= when]
    if not on:
        return f"Before {agency}'s first schedule ({dates[0]:%m/%d/%Y}); pages use that first one."
    return f"Selects {agency}'s schedule of {on[-1]:%m/%d/%Y}."


def keep_state(*prefixes: str) -> None:
    """Keep the values of this page's widgets that sit in tabs not shown on this run (a widget
    not drawn in a run loses its value): re-assign them before any of them is drawn. Only
    value widgets are named here (buttons cannot be set)."""
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(prefixes):
            st.session_state[key] = st.session_state[key]


def initial(key: str, options: list | None = None, **value) -> dict:
    """A widget's default (value=, default=, index=) only while it has no kept value, so a
    kept widget is drawn from its state alone (Streamlit warns when both are given). With
    `options`, a kept multiselect value drops what is no longer offered (an upload deleted,
    another date's classes)."""
    if key not in st.session_state:
        return value
    if options is not None and isinstance(st.session_state[key], list):
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    return {}


def tabs(labels: list[str], key: str) -> list:
    """Tabs whose content runs only while open (a tab switch reruns the page): a page
    computes one tab's tables and charts, not all of them. Use `if tab.open:` inside each."""
    return st.tabs(labels, key=key, on_change="rerun")


def not_applying(*what: str, reason: str) -> None:
    """Say that sidebar choices do not change this page, and why."""
    st.caption(f":material/info: {' and '.join(what)} in the sidebar do not apply here: {reason}")


# Showing text, tables and sources ----------------------------------------------------------------

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
    **kwargs,
) -> pd.Series | None:
    """Every table of the app: codes shown as words (analysis/labels.readable), money columns
    as dollars, CSV and XLSX downloads of what is shown beneath; with `cited`, picking a row
    shows the agreement text (or the imported file's row) behind it. Returns the picked row.

    Past defaults.MAX_TABLE_ROWS rows the page shows the first ones and says so; the downloads
    hold every row (sending 20,000 rows to the browser on each run slowed every page)."""
    convert = labels.readable if readable else display
    shown = convert(df.head(defaults.MAX_TABLE_ROWS))
    # attrs carry analysis notes (dates, sources) that Arrow cannot serialize; not shown.
    shown = shown.copy(deep=False)
    shown.attrs = {}
    config: dict = {}
    for c in money:
        header = labels.COLUMNS.get(c, c) if readable else c
        config[header] = st.column_config.NumberColumn(header, format=MONEY_FORMAT)
    config.update(column_config or {})
    select = dict(on_select="rerun", selection_mode="single-row") if cited else {}
    ev = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=key or f"table_{name}",
        column_config=config,
        **select,
        **kwargs,
    )
    if len(df) > defaults.MAX_TABLE_ROWS:
        st.caption(
            f"Showing the first {defaults.MAX_TABLE_ROWS:,} of {len(df):,} rows; "
            "the CSV and XLSX downloads hold them all."
        )
    if cited:
        st.caption("Select a row to read the text it comes from.")
    if len(df) > defaults.MAX_TABLE_ROWS:
        download_buttons(df, name, sheets, convert)
    else:
        download_buttons(shown, name, sheets)
    if not cited or ev is None or not ev.selection.rows:
        return None
    row = df.iloc[ev.selection.rows[0]]
    ref = row.get("source_ref")
    if isinstance(ref, str) and "§" in ref:
        show_source(ref.split("; ")[0], expanded=True)
    return row


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


def download_buttons(df: pd.DataFrame, name: str, sheets: dict | None = None, convert=None) -> None:
    """CSV and formatted XLSX downloads of a table (formula-like cells neutralized); `convert`
    (e.g. labels.readable) is applied to `df` when a file is built.

    The files are built only when a button is clicked (a callable as `data`): building the
    XLSX of a 20,000-row table on every run took seconds and stalled every other session."""
    stem = _file_name(name)

    def main() -> pd.DataFrame:
        return convert(df) if convert else df

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


def chart(fig, key: str, caption: str) -> None:
    """A Plotly chart whose source caption is part of the figure (under the plot), so the
    image saved with the camera button carries its title and its source."""
    wrapped = "<br>".join(textwrap.wrap(caption, 110)) if caption else ""
    if wrapped:
        lines = wrapped.count("<br>") + 1
        fig.add_annotation(
            text=wrapped,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-40 - 14 * lines,
            showarrow=False,
            align="left",
            font=dict(size=10, color="#555"),
            xanchor="left",
            yanchor="top",
        )
        bottom = (fig.layout.margin.b or 10) + 40 + 14 * lines
        fig.update_layout(margin=dict(b=bottom))
    st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        config={
            "toImageButtonOptions": {"format": "png", "filename": _file_name(key), "scale": 2},
            "displaylogo": False,
        },
    )


PROFILE_DIR = os.environ.get("BARGAIN_PROFILE_DIR")  # benchmarks: one cProfile file per run


def run_page(nav) -> None:
    """The sidebar and the chosen page; with BARGAIN_PROFILE_DIR set, each run's profile is
    written there (benchmarks/profile_pages.py reads them: what a run spends its time on)."""
    if not PROFILE_DIR:
        sidebar()
        nav.run()
        return
    import cProfile
    import time

    prof = cProfile.Profile()
    prof.enable()
    try:
        sidebar()
        nav.run()
    finally:
        prof.disable()
        name = Path(nav.url_path or "overview").name
        prof.dump_stats(Path(PROFILE_DIR) / f"{name}-{time.perf_counter_ns()}.prof")
