"""Wiring shared by every page: the sidebar's shared choices, who is using the app, lazy tabs
and the page runner. The warehouse access (app_pages/data.py) and the table, chart and source
widgets (app_pages/show.py) are reached through here too, so pages import one module. No
numbers are computed here."""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from analysis import agencies, inflation
from app_pages.data import (  # noqa: F401
    build_id,
    cached,
    con,
    db_path,
    derived,
    ensure_database_ui,
)
from app_pages.show import (  # noqa: F401  (pages call them as common.*)
    MONEY_FORMAT,
    chart,
    display,
    download_buttons,
    figure,
    md_escape,
    save_again_ok,
    show_source,
    table,
)
from etl import defaults, pay

# Session-state keys for the shared choices kept across pages.
AGENCY = "shared_agency"
PAY_BASIS = "shared_pay_basis"
DOLLARS = "shared_dollars"
CPI_SERIES = "shared_cpi_series"
REAL_MONTH = "shared_real_month"
AS_OF_PREFIX = "shared_as_of::"  # + agency: each agency keeps its own date

# The header an authenticating proxy sets to the user's name (docs/DEPLOY.md).
USER_HEADER = os.environ.get("BARGAIN_USER_HEADER", "X-Forwarded-User")


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
    known = cached(agencies.agencies).set_index("agency")
    as_of = st.session_state.get(as_of_key(agency)) or cached(agencies.default_as_of, agency)
    return Choices(
        agency=agency,
        has_salary_table=bool(known.loc[agency, "has_salary_table"]),
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
    known = cached(agencies.agencies)
    with_table = known[known["has_salary_table"]]
    return (with_table if not with_table.empty else known)["agency"].iloc[0]


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


PROFILE_DIR = os.environ.get("BARGAIN_PROFILE_DIR")  # benchmarks: one cProfile file per run
_modules_frozen = 0  # len(sys.modules) at the last gc.freeze()


def _freeze_loaded() -> None:
    """After a run that imported modules (a page's first visit in the process), move every
    object then alive out of the garbage collector's reach (gc.freeze). The modules, their
    constants and the caches are most of the process's ~190,000 objects and live as long as
    it does, yet each full collection scanned them: about 100 ms, landing on a run every few
    runs (benchmarks/README.md, bench_pages). Objects frozen are still freed when their last
    reference goes; at most one freeze per module-loading run, so what a freeze keeps is
    bounded."""
    global _modules_frozen
    if len(sys.modules) != _modules_frozen:
        gc.freeze()
        _modules_frozen = len(sys.modules)


def run_page(nav) -> None:
    """The sidebar and the chosen page; with BARGAIN_PROFILE_DIR set, each run's profile is
    written there (benchmarks/profile_pages.py reads them: what a run spends its time on)."""
    if not PROFILE_DIR:
        try:
            sidebar()
            nav.run()
        finally:
            _freeze_loaded()
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
        _freeze_loaded()


def remove_control(ids: list, what: str, key: str, button: str, remove) -> None:
    """Remove one saved item: pick its id, confirm, click; `remove(id)` refusing (a
    BargainError) is shown and nothing is removed, else the page reruns without it."""
    from etl.errors import BargainError

    d1, d2, d3 = st.columns([1, 1, 2])
    gone = d1.selectbox(f"Remove {what} #", ids, key=f"{key}_id")
    sure = d2.checkbox(f"Yes, remove {what} #{gone}", key=f"{key}_sure_{gone}")
    if d3.button(button, key=key, disabled=not sure):
        try:
            remove(int(gone))
        except BargainError as exc:
            st.error(md_escape(str(exc)))
        else:
            st.rerun()


def clear_caches() -> None:
    """Forget every cached result, figure and shown table (benchmarks measure pages' first
    runs)."""
    from app_pages import data, show, shown_tables

    st.cache_data.clear()
    data.clear_results()
    show.clear_figures()
    shown_tables.clear()
