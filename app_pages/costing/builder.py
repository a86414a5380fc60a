"""Costing, section 2: the scenario builder (one table per change type, roll-ups, overtime)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from analysis import agencies, warehouse
from analysis.costing import compare as cc
from analysis.market import gap as market
from analysis.roster.positions import class_options
from analysis.roster.reader import KNOWN_FLAGS, Roster
from analysis.scenario import (
    MAX_OVERTIME_HOURS,
    MAX_YEARS,
    ONE_TIME_PER,
    PREMIUM_BASES,
    ROLLUP_EXCLUDABLE,
)
from app_pages import common
from app_pages.costing.market import market_builder
from app_pages.costing.state import BASE, ORIGINS, _flash, _k, _on_agency_change
from etl.defaults import EARLIEST_DATE, LATEST_DATE, MAX_PCT

# 2. Scenario builder -------------------------------------------------------------------------


def _tables(kind: str, part_json: str):
    """The builder's starting tables for one part of the scenario (JSON text, so cacheable):
    built once per scenario loaded, not on every widget change (each run gets a copy)."""
    build = {
        "rollups": cc.rollups_to_table,
        "overtime": cc.overtime_to_table,
        "changes": cc.changes_to_tables,
    }[kind]
    return common.derived(
        "cost_builder_tables", (kind, part_json), lambda: build(json.loads(part_json))
    )


def _changes_editor(kind: str, base_table: pd.DataFrame, config: dict, help_text: str):
    """One kind of change in a held editor (below), open when it has rows."""
    n = len(base_table)
    return _held_editor(
        kind,
        f"{cc.CHANGE_TITLES[kind]} ({n})",
        base_table,
        config,
        help_text,
        expanded=kind == "across_the_board" or n > 0,
        tidy=lambda value: cc.edited_table(kind, value),
    )


def _held_editor(
    name: str,
    title: str,
    base_table: pd.DataFrame,
    config: dict,
    help_text: str,
    *,
    expanded: bool,
    tidy,
) -> pd.DataFrame:
    """A builder table in an expander whose editor is drawn only while it is open (each
    editor costs several ms per run: Streamlit copies its column settings and converts its
    table). A closed one gives the table as last edited: the edits are held apart from the
    editor's own state, which Streamlit drops while it is not drawn, and the editor starts
    from them (`tidy(edits)`: in the types the editor takes) when opened again. The title is
    fixed while it is edited (a new title would be a new expander, closed again)."""
    key = _k(name)
    start, value = st.session_state.get(f"{key}::held", (base_table, base_table))
    box = st.expander(title, expanded=expanded, key=f"{key}::open", on_change="rerun")
    if not box.open:
        if start is not value:  # just closed: the editor starts from these edits next time
            value = tidy(value)
            st.session_state[f"{key}::held"] = (value, value)
        return value
    with box:
        st.caption(help_text)
        edited = st.data_editor(
            start,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config=config,
            key=key,
        )
    st.session_state[f"{key}::held"] = (start, edited)
    return edited


def _rollups_words(rollups: dict) -> str:
    """The roll-ups in force, in words: 'retirement 20% (not on overtime), medicare 1.45%'."""
    parts = []
    for name, spec in rollups.items():
        pct = spec.get("pct") if isinstance(spec, dict) else spec
        excludes = spec.get("excludes") if isinstance(spec, dict) else None
        rate = "no rate" if pct is None else f"{pct:g}%"
        exempt = ", ".join(str(e).replace("_", "-") for e in excludes or [])
        parts.append(f"{name} {rate}" + (f" (not on {exempt})" if exempt else ""))
    return ", ".join(parts) or "none"


def _overtime_words(overtime: dict, titles: dict) -> str:
    """The overtime hours in force, in words: 'every other class 40 h, 0401 Clerk 100 h'."""
    parts = []
    for code, hours in overtime.items():
        who = "every other class" if code == "*" else f"{code} {titles.get(code) or ''}".strip()
        parts.append(f"{who} {hours:g} h" if hours is not None else f"{who}: no hours")
    return ", ".join(parts) or "none"


def builder(roster: Roster | None) -> dict | None:
    """The builder's widgets; returns the scenario as it reads them (JSON form), or None when
    the chosen agency cannot be costed."""
    base = st.session_state[BASE]
    _flash("builder")
    names = common.cached(agencies.names)
    agency = st.selectbox(
        "Agency (whose agreement is costed)",
        names,
        index=names.index(base["agency"]) if base["agency"] in names else 0,
        key=_k("agency"),
        on_change=_on_agency_change,
        help="Defaults to the sidebar's agency. Changing it starts a fresh proposal.",
    )
    dates = common.cached(warehouse.schedule_dates, agency)
    if dates.empty:
        st.warning(
            f"**{agency} cannot be costed: it has no salary table.** Its loaded documents have "
            f"{common.cached(market.what_agency_has, agency)}. Costing needs the rate of "
            "each class and step; pick Sonoma or Mendocino."
        )
        return None
    codes, titles = common.cached(class_options, agency)
    start_default = date.fromisoformat(base["start"])
    c1, c2, c3 = st.columns([2, 1, 2])
    start = c1.date_input(
        "Start: first day of the first pay period costed",
        value=start_default,
        min_value=EARLIEST_DATE,
        max_value=LATEST_DATE,
        key=_k("start"),
        format="MM/DD/YYYY",
        help="Should be a pay-period start: each fiscal year is 26 biweekly periods from here.",
    )
    years = c2.number_input(
        "Years costed (fiscal years)",
        min_value=1,
        max_value=MAX_YEARS,
        value=int(base.get("years") or cc.DEFAULT_YEARS),
        step=1,
        key=_k("years"),
    )
    step_movement = c3.toggle(
        "Step movement",
        value=bool(base.get("step_movement", False)),
        key=_k("steps"),
        help="Merits granted when due, in the baseline and the proposal: employees move up on "
        "their roster next_step_date and yearly after; without a date the first move is "
        "assumed at mid-year.",
    )
    sched = [d.date() for d in dates["effective_date"]]
    st.caption(
        f"{agency} schedules take effect on "
        + ", ".join(f"{d:%m/%d/%Y}" for d in sched)
        + ". Beyond the last one the baseline stays flat (no increase is assumed)."
    )
    hint = cc.pay_period_hint(sched, start)
    if hint:
        st.info(hint)

    c1, c2 = st.columns(2)
    with c1:
        rollups = _held_editor(
            "rollups",
            "Roll-ups on pay (ASSUMPTIONS: edit to your agency's rates)",
            _tables("rollups", json.dumps(base.get("rollups", {}), sort_keys=True)),
            {
                "name": st.column_config.TextColumn("Roll-up", required=True),
                "pct": st.column_config.NumberColumn(
                    "Rate, % of pay", min_value=0.0, max_value=MAX_PCT, format="%.2f"
                ),
                "excludes": st.column_config.MultiselectColumn(
                    "Not applied to", options=list(ROLLUP_EXCLUDABLE)
                ),
            },
            "Placeholders, not from the agreements: retirement 20% (not on overtime or one-time "
            "pay), Social Security 6.2% (no wage-base cap; some agencies do not participate), "
            "Medicare 1.45%.",
            expanded=False,
            tidy=lambda value: cc.rollups_to_table(cc.table_to_rollups(value)),
        )
        st.caption("Applied: " + common.md_escape(_rollups_words(cc.table_to_rollups(rollups))))
    with c2:
        overtime = _held_editor(
            "overtime",
            "Overtime (hours a year per FTE, by class)",
            _tables("overtime", json.dumps(base.get("overtime", {}), sort_keys=True)),
            {
                "class_code": st.column_config.SelectboxColumn(
                    "Class (* = every class not listed)",
                    options=["*", *codes],
                    format_func=lambda c: (
                        "* every other class" if c == "*" else f"{c} {titles.get(c) or ''}"
                    ),
                ),
                "hours": st.column_config.NumberColumn(
                    "Overtime hours / FTE / year", min_value=0.0, max_value=MAX_OVERTIME_HOURS
                ),
            },
            "Costed at 1.5× the hourly rate in force (baseline and proposal).",
            expanded=False,
            tidy=lambda value: cc.overtime_to_table(cc.table_to_overtime(value)),
        )
        st.caption(
            "Applied: " + common.md_escape(_overtime_words(cc.table_to_overtime(overtime), titles))
        )

    st.markdown(
        "**The proposal's changes** (percentages compound with each other and with the "
        "agreement's own increases)"
    )
    state = _tables("changes", json.dumps(base.get("changes", []), sort_keys=True))
    eff_col = st.column_config.DateColumn(
        "Effective (date)", format="YYYY-MM-DD", default=start_default
    )
    classes_col = st.column_config.MultiselectColumn(
        "Classes (blank = all)", options=codes, format_func=lambda c: f"{c} {titles.get(c) or ''}"
    )
    label_col = st.column_config.TextColumn("Label (shown in tables)", default="")
    tables: dict[str, pd.DataFrame] = {}
    tables["across_the_board"] = _changes_editor(
        "across_the_board",
        state.tables["across_the_board"],
        {
            "effective": eff_col,
            "pct": st.column_config.NumberColumn("Increase, %", format="%.2f", default=1.0),
            "label": label_col,
        },
        "Every class, from the first pay period starting on or after the date.",
    )
    tables["targeted"] = _changes_editor(
        "targeted",
        state.tables["targeted"],
        {
            "effective": eff_col,
            "pct": st.column_config.NumberColumn("Increase, %", format="%.2f"),
            "classes": st.column_config.MultiselectColumn(
                "Classes (required)",
                options=codes,
                format_func=lambda c: f"{c} {titles.get(c) or ''}",
            ),
            "label": label_col,
        },
        "The listed classes only.",
    )
    to_market = market_builder(agency, start, state.to_market, codes, titles)
    flags = sorted(
        set(KNOWN_FLAGS)
        | set(roster.flags if roster is not None else ())
        | {c.get("flag") for c in base.get("changes", []) if c.get("type") == "premium"} - {None}
    )
    tables["premium"] = _changes_editor(
        "premium",
        state.tables["premium"],
        {
            "flag": st.column_config.SelectboxColumn(
                "Roster flag column (yes/no)", options=flags, required=True
            ),
            "basis": st.column_config.SelectboxColumn(
                "Basis", options=list(PREMIUM_BASES), required=True
            ),
            "value": st.column_config.NumberColumn(
                "New level ($/h, $/pay period or % of base)", min_value=0.0
            ),
            "current": st.column_config.NumberColumn("Current level (same unit; 0 = new)"),
            "effective": eff_col,
            "share": st.column_config.NumberColumn(
                "Share of hours covered (0–1)", min_value=0.0, max_value=1.0, default=1.0
            ),
            "classes": classes_col,
            "label": label_col,
        },
        "Paid to employees flagged yes in the roster column named in 'flag'"
        + (f" (this roster's flags: {', '.join(roster.flags) or 'none'})" if roster else "")
        + ". usd_per_pay_period is per 80 hours, prorated by FTE.",
    )
    tables["one_time"] = _changes_editor(
        "one_time",
        state.tables["one_time"],
        {
            "effective": eff_col,
            "amount": st.column_config.NumberColumn("Amount, $", min_value=0.0, format="dollar"),
            "per": st.column_config.SelectboxColumn(
                "Per (FTE or head)", options=list(ONE_TIME_PER), default="fte"
            ),
            "periods": st.column_config.NumberColumn(
                "Paid over (pay periods)", min_value=1, step=1, default=1, format="%d"
            ),
            "classes": classes_col,
            "label": label_col,
        },
        "A lump sum (not on the salary schedule), from the first period on or after the date.",
    )
    tables["add_top_step"] = _changes_editor(
        "add_top_step",
        state.tables["add_top_step"],
        {
            "effective": eff_col,
            "pct": st.column_config.NumberColumn("New step above the old top, %", min_value=0.0),
            "after_periods_at_top": st.column_config.NumberColumn(
                "Pay periods at the old top first", min_value=0, step=1, default=0, format="%d"
            ),
            "classes": classes_col,
            "label": label_col,
        },
        "One added step per class. Employees at the old top move to it once they have been "
        "there the number of pay periods given.",
    )
    if state.kept:
        st.info(
            f"{len(state.kept)} change(s) the builder cannot show (a second bring-to-market "
            "change) are kept as written; edit them in the JSON tab."
        )
    changes, origins = cc.tables_to_changes(
        cc.BuilderState(tables=tables, to_market=to_market, kept=state.kept)
    )
    scenario = {
        "agency": agency,
        "start": start.isoformat(),
        "years": int(years),
        "step_movement": bool(step_movement),
        "rollups": cc.table_to_rollups(rollups),
    }
    ot = cc.table_to_overtime(overtime)
    if ot:
        scenario["overtime"] = ot
    scenario["changes"] = changes
    description = st.text_input(
        "Description (optional, saved with the scenario)",
        value=base.get("description") or "",
        key=_k("description"),
        placeholder="e.g. Union proposal of 3/14: 3% a year, bilingual premium to $50",
    )
    if base.get("name"):
        scenario["name"] = base["name"]
    if description.strip():
        scenario["description"] = description.strip()
    st.session_state[ORIGINS] = origins
    return scenario
