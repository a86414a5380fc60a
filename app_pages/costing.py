"""Costing: what a proposal costs over a roster, fiscal year by fiscal year, against the
agreement as written; named scenarios saved, compared, exported and imported. The numbers come
from analysis/costing.py; the builder's tables are converted by analysis/costing_compare.py."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from analysis import charts, costing, market
from analysis import costing_compare as cc
from analysis.roster import (
    ILLUSTRATIVE_ROSTER,
    KNOWN_FLAGS,
    Roster,
    RosterError,
    valid_positions,
)
from analysis.scenario import (
    GAP_BASES,
    MAX_YEARS,
    ONE_TIME_PER,
    PREMIUM_BASES,
    ROLLUP_EXCLUDABLE,
    Scenario,
    ScenarioError,
)
from app_pages import common
from userdata import scenarios

AGENCIES = ["Sonoma", "Mendocino", "Contra Costa"]
# Session-state keys of this page (builder widgets add the version: cost_<name>_v<version>).
VERSION = "cost_v"  # bumped whenever the builder is reloaded from a scenario
BASE = "cost_base"  # the scenario the builder's widgets start from (JSON form)
CURRENT = "cost_scenario"  # the scenario as the builder reads it now (JSON form)
ORIGINS = "cost_origins"  # where each change of CURRENT sits in the builder
FRESH = "cost_fresh"  # the builder was just reloaded (its widgets do not exist yet)
SEEN_AGENCY = "cost_sidebar_agency_seen"
JSON_TEXT = "cost_json_text"
JSON_ERROR = "cost_json_error"
UPLOAD = "cost_roster_upload"  # (file name, bytes) of the last roster uploaded
ROSTER_ID = "cost_roster_id"
FLASH = "cost_flash"  # (kind, message) shown once after a callback
GAP_RESULT = "cost_gap_result"
MODE_SAMPLE = "Built-in illustrative roster (SYNTHETIC)"
MODE_UPLOAD = "Upload a roster (CSV or XLSX)"
GAP_BASIS_LABELS = {
    "below_market": "% below market = (market − own) / market",
    "increase_to_market": "% increase to reach market = (market − own) / own",
}
TABLE_MONEY = {
    c: st.column_config.NumberColumn(c.replace("_", " ") + " ($)", format="dollar")
    for c in (
        "baseline_cost",
        "proposal_cost",
        "incremental_cost",
        "cumulative_increment",
        "value_of_1pct",
        "wage_increment",
        "carried_forward",
        "new_this_year",
        "baseline",
        "proposal",
        "increment",
        "baseline_over_term",
        "increment_over_term",
        "value_of_1pct_year1",
        *(f"increment_{p}" for p in costing.PARTS),
    )
}
TABLE_MONEY["increment_pct"] = st.column_config.NumberColumn(
    "increment (% of baseline)", format="%.2f%%"
)


# State helpers -------------------------------------------------------------------------------


def _k(name: str) -> str:
    """A builder widget's key: changes with the version so a reload re-creates the widgets."""
    return f"cost_{name}_v{st.session_state[VERSION]}"


def _rebase(scenario: dict, flash: tuple[str, str, str] | None = None) -> None:
    """Reload the builder from a scenario (JSON form)."""
    st.session_state[BASE] = scenario
    st.session_state[CURRENT] = scenario
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.session_state[FRESH] = True
    st.session_state.pop(JSON_ERROR, None)
    if flash:
        st.session_state[FLASH] = flash


def _first_date(agency: str) -> date | None:
    dates = common.q("schedule_dates", agency)
    return None if dates.empty else dates["effective_date"].min().date()


def _default_start(agency: str) -> date:
    first = _first_date(agency)
    if first is not None:
        return first
    ag = common.q("agreements")
    rows = ag[ag["agency"] == agency]
    return rows["term_start"].min().date() if len(rows) else date.today()


def _flash(where: str) -> None:
    msg = st.session_state.get(FLASH)
    if msg and msg[0] == where:
        st.session_state.pop(FLASH)
        {"success": st.success, "error": st.error, "info": st.info}[msg[1]](msg[2])


def _init_state() -> None:
    sidebar_agency = st.session_state[common.AGENCY]
    if BASE not in st.session_state:
        st.session_state[VERSION] = 0
        st.session_state[SEEN_AGENCY] = sidebar_agency
        _rebase(cc.default_scenario(sidebar_agency, _default_start(sidebar_agency)))
        return
    if st.session_state.get(SEEN_AGENCY) != sidebar_agency:
        # The sidebar's agency changed since this page last ran: follow it.
        st.session_state[SEEN_AGENCY] = sidebar_agency
        current = st.session_state[CURRENT]
        if current.get("agency") != sidebar_agency:
            _rebase(
                cc.for_agency(current, sidebar_agency, _default_start(sidebar_agency)),
                (
                    "builder",
                    "info",
                    f"Agency set to {sidebar_agency} from the sidebar: "
                    "a fresh proposal (class codes and dates differ between agreements).",
                ),
            )
            return
    if not st.session_state.get(FRESH) and _k("agency") not in st.session_state:
        # Back from another page: Streamlit dropped this page's widget state; reload the
        # builder from the scenario as it was last read.
        _rebase(st.session_state[CURRENT])


# Callbacks (run before the script, so the builder reloads in the same rerun) ------------------


def _on_agency_change() -> None:
    agency = st.session_state[_k("agency")]
    current = st.session_state[CURRENT]
    _rebase(
        cc.for_agency(current, agency, _default_start(agency)),
        (
            "builder",
            "info",
            f"A fresh proposal for {agency}: class codes and dates differ "
            "between agreements, so the changes were reset (save a scenario to keep one).",
        ),
    )


def _apply_json() -> None:
    text = st.session_state.get(JSON_TEXT, "")
    try:
        scenario = Scenario.from_json(text)
    except ScenarioError as exc:
        st.session_state[JSON_ERROR] = exc
        return
    _rebase(scenario.to_dict(), ("json", "success", "JSON applied to the builder."))


def _discard_json() -> None:
    st.session_state.pop(JSON_ERROR, None)


def _fill_gaps(agency: str, comparators: tuple[str, ...], as_of: date, cpi: str) -> None:
    try:
        res = common.cached_call(cc.market_gaps, agency, comparators, as_of, cpi)
    except ValueError as exc:
        st.session_state[FLASH] = ("market", "error", str(exc))
        return
    st.session_state[GAP_RESULT] = {
        "agency": agency,
        "comparators": comparators,
        "as_of": as_of,
        "table": res.table,
        "notes": list(res.notes),
    }
    current = dict(st.session_state[CURRENT])
    changes = [c for c in current.get("changes", []) if c.get("type") != "to_market"]
    old = next((c for c in current.get("changes", []) if c.get("type") == "to_market"), {})
    # The market widgets as they stand (the change itself is left out while it has no gaps).
    threshold = st.session_state.get(_k("mkt_threshold"), market.DEFAULT_THRESHOLD_PCT)
    staged = st.session_state.get(_k("mkt_staged")) == "in stages"
    effective = st.session_state.get(_k("mkt_eff"))
    new = cc.to_market_change(
        cc.gaps_from_market(res.table),
        float(threshold),
        "below_market",
        effective=None if staged else cc.iso_date(effective or old.get("effective") or as_of),
        stages=(old.get("stages") or [{"effective": as_of.isoformat(), "share": 0.5}])
        if staged
        else None,
        label=old.get("label") or f"to market vs {', '.join(comparators)} on {as_of}",
    )
    current["changes"] = [*changes, new]
    n = int((res.table["pct_below_market"] > new.get("threshold", 0)).sum())
    _rebase(
        current,
        (
            "market",
            "success",
            f"Gaps filled for {len(new['gaps'])} matched classes; {n} are "
            f"more than {new.get('threshold', 0):g}% below market.",
        ),
    )


def _save(name_key: str) -> None:
    name = (st.session_state.get(name_key) or "").strip()
    if not name:
        st.session_state[FLASH] = ("saved", "error", "Give the scenario a name to save it.")
        return
    try:
        scenario = Scenario.from_dict({**st.session_state[CURRENT], "name": name})
    except ScenarioError as exc:
        st.session_state[FLASH] = (
            "saved",
            "error",
            f"Not saved: the scenario has problems (see 3.).\n\n```\n{exc}\n```",
        )
        return
    scenarios.save(name, scenario.to_dict())
    st.session_state[BASE] = {**st.session_state[BASE], "name": name}
    st.session_state[FLASH] = ("saved", "success", f"Saved “{name}”.")


def _load(name: str) -> None:
    try:
        scenario = Scenario.from_dict(scenarios.load(name))
    except (KeyError, ScenarioError) as exc:
        st.session_state[FLASH] = ("saved", "error", f"Could not load “{name}”: {exc}")
        return
    st.session_state["cost_save_name"] = name
    _rebase(scenario.to_dict(), ("saved", "success", f"Loaded “{name}” into the builder."))


def _delete(name: str) -> None:
    scenarios.delete(name)
    st.session_state[FLASH] = ("saved", "success", f"Deleted “{name}”.")


def _import(scenario: dict) -> None:
    _rebase(scenario, ("saved", "success", "Imported scenario loaded into the builder."))


# 1. Roster -----------------------------------------------------------------------------------


def roster_section() -> tuple[Roster | None, bytes | None, str]:
    """The roster to cost, and how to re-read it (bytes or None = illustrative, name)."""
    st.subheader("1. Roster")
    c1, c2 = st.columns([2, 3])
    mode = c1.radio(
        "Whose pay is costed",
        [MODE_SAMPLE, MODE_UPLOAD],
        index=1 if UPLOAD in st.session_state else 0,
        key="cost_roster_mode",
    )
    data, name = None, ILLUSTRATIVE_ROSTER.name
    if mode == MODE_UPLOAD:
        up = c2.file_uploader(
            "Roster file (CSV or XLSX): columns agency, class_code, step, fte, count (or id); "
            "optional next_step_date and yes/no premium flags such as bilingual",
            type=["csv", "xlsx"],
            key="cost_roster_file",
        )
        if up is not None:
            st.session_state[UPLOAD] = (up.name, up.getvalue())
        if UPLOAD not in st.session_state:
            c2.info("Upload a roster, or use the built-in illustrative one.")
            c2.download_button(
                "⬇ Roster template (the illustrative roster, CSV)",
                ILLUSTRATIVE_ROSTER.read_bytes(),
                "roster_template.csv",
                "text/csv",
                key="cost_dl_roster_template",
            )
            return None, None, ""
        name, data = st.session_state[UPLOAD]
        if up is None:
            c2.caption(f"Using {name}, uploaded earlier.")
            c2.button(
                "Forget this roster",
                key="cost_forget_roster",
                on_click=lambda: st.session_state.pop(UPLOAD, None),
            )
    try:
        roster = common.cached_call(cc.load_roster, data, name)
    except RosterError as exc:
        st.error(
            f"**The roster {exc.source} cannot be costed**: {len(exc.problems)} "
            f"problem{'s' if len(exc.problems) != 1 else ''}"
            f"{' (and more)' if exc.truncated else ''}. Nothing was costed. Rows are numbered "
            "as in a spreadsheet (header = row 1); fix them and upload again."
        )
        st.dataframe(
            cc.roster_problems(exc), hide_index=True, width="stretch", key="cost_roster_problems"
        )
        return None, data, name
    if roster.illustrative:
        c2.warning(
            "**SYNTHETIC roster**: invented incumbents in real classes of both agreements, to "
            "try the costing. Not real employees; do not quote its totals."
        )
    summary = cc.roster_summary(roster)
    st.dataframe(
        summary,
        hide_index=True,
        width="stretch",
        column_config={
            "lines": "roster lines",
            "heads": "employees (heads)",
            "fte": st.column_config.NumberColumn("FTE", format="%.2f"),
        },
        key="cost_roster_summary",
    )
    with st.expander(f"Roster preview ({len(roster.rows)} lines, {roster.source})"):
        st.dataframe(roster.rows, hide_index=True, width="stretch", key="cost_roster_preview")
        for note in roster.notes:
            st.caption(note)
    return roster, data, name


# 2. Scenario builder -------------------------------------------------------------------------


def _class_options(agency: str) -> tuple[list[str], dict[str, str]]:
    valid = common.cached_call(valid_positions)
    cl = valid[valid["agency"] == agency].drop_duplicates("class_code")
    titles = dict(zip(cl["class_code"], cl["class_title"], strict=True))
    return sorted(titles), titles


def _changes_editor(kind: str, base_table: pd.DataFrame, config: dict, help_text: str):
    n = len(base_table)
    with st.expander(
        f"{cc.CHANGE_TITLES[kind]} ({n})", expanded=kind == "across_the_board" or n > 0
    ):
        st.caption(help_text)
        return st.data_editor(
            base_table,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config=config,
            key=_k(kind),
        )


def builder(roster: Roster | None) -> dict | None:
    """The builder's widgets; returns the scenario as it reads them (JSON form), or None when
    the chosen agency cannot be costed."""
    base = st.session_state[BASE]
    _flash("builder")
    agency = st.selectbox(
        "Agency (whose agreement is costed)",
        AGENCIES,
        index=AGENCIES.index(base["agency"]) if base["agency"] in AGENCIES else 0,
        key=_k("agency"),
        on_change=_on_agency_change,
        help="Defaults to the sidebar's agency. Changing it starts a fresh proposal.",
    )
    dates = common.q("schedule_dates", agency)
    if dates.empty:
        st.warning(
            f"**{agency} cannot be costed: it has no salary table.** Its loaded documents have "
            f"{common.cached_call(market.what_agency_has, agency)}. Costing needs the rate of "
            "each class and step; pick Sonoma or Mendocino."
        )
        return None
    codes, titles = _class_options(agency)
    start_default = date.fromisoformat(base["start"])
    c1, c2, c3 = st.columns([2, 1, 2])
    start = c1.date_input(
        "Start: first day of the first pay period costed",
        value=start_default,
        min_value=date(1900, 1, 1),
        max_value=date(2200, 12, 31),
        key=_k("start"),
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
        st.markdown("**Roll-ups on pay (ASSUMPTIONS: edit to your agency's rates)**")
        rollups = st.data_editor(
            cc.rollups_to_table(base.get("rollups", {})),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Roll-up", required=True),
                "pct": st.column_config.NumberColumn(
                    "Rate, % of pay", min_value=0.0, max_value=100.0, format="%.2f"
                ),
                "excludes": st.column_config.MultiselectColumn(
                    "Not applied to", options=list(ROLLUP_EXCLUDABLE)
                ),
            },
            key=_k("rollups"),
        )
        st.caption(
            "Placeholders, not from the agreements: retirement 20% (not on overtime or one-time "
            "pay), Social Security 6.2% (no wage-base cap; some agencies do not participate), "
            "Medicare 1.45%."
        )
    with c2:
        st.markdown("**Overtime (hours a year per FTE, by class)**")
        overtime = st.data_editor(
            cc.overtime_to_table(base.get("overtime", {})),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "class_code": st.column_config.SelectboxColumn(
                    "Class (* = every class not listed)",
                    options=["*", *codes],
                    format_func=lambda c: (
                        "* every other class" if c == "*" else f"{c} {titles.get(c) or ''}"
                    ),
                ),
                "hours": st.column_config.NumberColumn(
                    "Overtime hours / FTE / year", min_value=0.0, max_value=4000.0
                ),
            },
            key=_k("overtime"),
        )
        st.caption("Costed at 1.5× the hourly rate in force (baseline and proposal).")

    st.markdown(
        "**The proposal's changes** (percentages compound with each other and with the "
        "agreement's own increases)"
    )
    state = cc.changes_to_tables(base.get("changes", []))
    eff_col = st.column_config.DateColumn(
        "Effective (date)", format="YYYY-MM-DD", default=start_default
    )
    classes_col = st.column_config.MultiselectColumn(
        "Classes (blank = all)", options=codes, format_func=lambda c: f"{c} {titles.get(c) or ''}"
    )
    label_col = st.column_config.TextColumn("Label (shown in tables)")
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


def market_builder(
    agency: str, start: date, base: dict | None, codes: list[str], titles: dict[str, str]
) -> dict | None:
    """The bring-to-market change: gaps from the market comparison, threshold, all at once or
    staged. Returns the change (JSON form) or None."""
    with st.expander(
        f"{cc.CHANGE_TITLES['to_market']} ({0 if base is None else 1})", expanded=base is not None
    ):
        _flash("market")
        on = st.toggle(
            "Bring every class more than a threshold below market up to market",
            value=base is not None,
            key=_k("mkt_on"),
        )
        if not on:
            st.caption(
                "Fills each class's gap from the market comparison (top step vs the other "
                "agency's matched class, aged by CPI when the dates differ)."
            )
            return None
        base = base or {}
        others = [a for a in AGENCIES if a != agency and not common.q("schedule_dates", a).empty]
        c1, c2, c3 = st.columns([2, 1, 2])
        comparators = c1.multiselect(
            "Compare with (agencies)", others, default=others, key=_k("mkt_comp")
        )
        threshold = c2.number_input(
            "Move classes more than this far from market, %",
            min_value=0.0,
            max_value=100.0,
            value=float(base.get("threshold", market.DEFAULT_THRESHOLD_PCT)),
            step=0.5,
            key=_k("mkt_threshold"),
            help="Sonoma 8.19.1 c: more than 2.0% below the average.",
        )
        basis_default = base.get("gap_basis", "below_market" if not base else "increase_to_market")
        gap_basis = c3.selectbox(
            "Gaps are measured as",
            list(GAP_BASES),
            index=list(GAP_BASES).index(basis_default),
            format_func=GAP_BASIS_LABELS.get,
            key=_k("mkt_basis"),
        )
        cpi = st.session_state[common.CPI_SERIES]
        st.button(
            f"Fill gaps: {agency} vs {', '.join(comparators) or '—'} on {start:%m/%d/%Y}",
            key=_k("mkt_fill"),
            disabled=not comparators,
            on_click=_fill_gaps,
            args=(agency, tuple(comparators), start, cpi),
            help="Runs the market comparison (top step to top step, annual) and fills the "
            "gap of every matched class as % below market.",
        )
        gaps_df = st.data_editor(
            cc.gaps_to_table(base.get("gaps", {})),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "class_code": st.column_config.SelectboxColumn(
                    "Class", options=codes, format_func=lambda c: f"{c} {titles.get(c) or ''}"
                ),
                "gap_pct": st.column_config.NumberColumn("Gap, % (see 'measured as')"),
            },
            key=_k("mkt_gaps"),
            height=220,
        )
        staged = st.radio(
            "Close the gap",
            ["all at once", "in stages"],
            index=1 if "stages" in base else 0,
            horizontal=True,
            key=_k("mkt_staged"),
        )
        effective, stages = None, None
        if staged == "all at once":
            eff_default = base.get("effective") or start.isoformat()
            effective = st.date_input(
                "Effective (date)", value=date.fromisoformat(eff_default), key=_k("mkt_eff")
            ).isoformat()
        else:
            stages_df = st.data_editor(
                cc.stages_to_table(
                    base.get("stages") or [{"effective": start.isoformat(), "share": 0.5}]
                ),
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "effective": st.column_config.DateColumn("Effective (date)"),
                    "share_pct": st.column_config.NumberColumn(
                        "Cumulative share of the gap closed by this stage, % of the gap",
                        min_value=0.0,
                        max_value=100.0,
                    ),
                },
                key=_k("mkt_stages"),
            )
            stages = cc.table_to_stages(stages_df)
            st.caption(
                "Each row closes that share of the dollar distance to market (e.g. 50 then 50: "
                "half now, the rest later); the shares add up to at most 100%."
            )
        gaps = cc.table_to_gaps(gaps_df)
        if not gaps:
            st.info(
                "No gaps yet, so no change is costed: fill them from the market comparison, "
                "or type class codes and gaps."
            )
            return None
        change = cc.to_market_change(
            gaps, threshold, gap_basis, effective, stages, base.get("label")
        )
        moves = cc.market_moves(gaps, threshold, gap_basis)
        moved = moves[moves["moved"]]
        st.markdown(
            f"**{len(moved)} of {len(moves)} classes move to market** (gap more than "
            f"{threshold:g}%)" + (":" if len(moved) else ".")
        )
        shown = moved.drop(columns="moved")
        shown.insert(1, "class_title", shown["class_code"].map(titles))
        gap_res = st.session_state.get(GAP_RESULT)
        if gap_res and gap_res["agency"] == agency:
            t = gap_res["table"][
                ["subject_class_code", "own_top_annual", "market", "market_n"]
            ].rename(columns={"subject_class_code": "class_code"})
            shown = shown.merge(t, on="class_code", how="left")
        if moved.empty:
            st.info(
                f"No class of {agency} is more than {threshold:g}% from market on this "
                "comparison, so this change costs nothing. Lower the threshold or compare on "
                "another date."
            )
        else:
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    "gap_pct": st.column_config.NumberColumn("gap, %", format="%.2f"),
                    "increase_pct": st.column_config.NumberColumn(
                        "raise to reach market, %", format="%.2f"
                    ),
                    "own_top_annual": st.column_config.NumberColumn(
                        "own top step, $/yr", format="dollar"
                    ),
                    "market": st.column_config.NumberColumn("market, $/yr", format="dollar"),
                    "market_n": "comparators",
                },
                key=_k("mkt_moves"),
            )
        if gap_res and gap_res["agency"] == agency:
            st.caption(
                f"Market comparison of {gap_res['as_of']:%m/%d/%Y} vs "
                f"{', '.join(gap_res['comparators'])}. " + " ".join(gap_res["notes"])
            )
        return change


def json_editor(scenario: dict) -> None:
    st.caption(
        "The scenario as JSON (format: analysis/scenario.py). Edit and apply to load it into "
        "the builder; the builder writes changes grouped by type."
    )
    _flash("json")
    err = st.session_state.get(JSON_ERROR)
    if err is None:
        st.session_state[JSON_TEXT] = json.dumps(scenario, indent=2)
    else:
        st.error(
            f"Not applied: the JSON has problems (the builder is unchanged).\n\n```\n{err}\n```"
        )
        st.dataframe(
            cc.scenario_problems(err), hide_index=True, width="stretch", key="cost_json_problems"
        )
    with st.form("cost_json_form", border=False):
        st.text_area("Scenario JSON", key=JSON_TEXT, height=420)
        c1, c2, _ = st.columns([1, 1, 3])
        c1.form_submit_button(
            "Apply JSON to the builder", on_click=_apply_json, type="primary", key="cost_json_apply"
        )
        c2.form_submit_button("Discard my edits", on_click=_discard_json, key="cost_json_discard")


# 3. Results ----------------------------------------------------------------------------------


def results(
    scenario: dict | None, roster: Roster | None, data: bytes | None, name: str
) -> costing.CostResult | None:
    st.subheader("3. What it costs")
    if scenario is None:
        st.info("Nothing to cost: the chosen agency has no salary table.")
        return None
    if roster is None:
        st.info("Nothing is costed until the roster is valid (see 1. Roster).")
        return None
    try:
        Scenario.from_dict(scenario)
        result = common.cached_call(
            cc.cost_scenario, data, name, json.dumps(scenario, sort_keys=True)
        )
    except ScenarioError as exc:
        st.error(
            "**The scenario cannot be costed yet.** Fix the fields below (the last column "
            "says where each change is in the builder)."
        )
        st.dataframe(
            cc.scenario_problems(exc, st.session_state.get(ORIGINS)),
            hide_index=True,
            width="stretch",
            key="cost_scenario_problems",
        )
        return None
    except RosterError as exc:
        st.error(str(exc).splitlines()[0])
        st.dataframe(cc.roster_problems(exc), hide_index=True, width="stretch")
        return None

    s = result.scenario
    if result.illustrative_roster:
        st.warning("Costed on the **SYNTHETIC illustrative roster**: the totals are examples.")
    t = cc.term_summary(result)
    m = st.columns(4)
    m[0].metric(
        f"Increment over the term ({s.years} FY)",
        f"${t['total_increment']:,.0f}",
        f"{t['increment_pct_of_baseline']:+.2f}% of the baseline",
        delta_color="off",
        delta_arrow="off",
    )
    m[1].metric("Increment in year 1", f"${t['year1_increment']:,.0f}")
    m[2].metric(
        "Value of 1% (year 1)",
        f"${t['value_of_1pct_year1']:,.0f}",
        help="A 1% across-the-board increase on the baseline for a full year: wages, the "
        "percent premiums and overtime it raises, and the roll-ups on them.",
    )
    m[3].metric(
        "Employees costed",
        f"{result.heads:,} heads",
        f"{result.fte:,.2f} FTE",
        delta_color="off",
        delta_arrow="off",
    )

    notes = cc.annotate_notes(result.notes, st.session_state.get(ORIGINS))
    caution = [n for n in notes if cc.is_caution(n)]
    with st.container(border=True):
        st.markdown("**Read before quoting these numbers**")
        for n in caution:
            st.markdown(f"- ⚠️ {common.md_escape(n)}")
        for n in notes:
            if n not in caution:
                st.markdown(f"- {common.md_escape(n)}")

    c1, c2 = st.columns(2)
    c1.plotly_chart(
        charts.cost_bars(result.by_year, f"{s.agency}: baseline and proposal, $ per fiscal year"),
        width="stretch",
        key="cost_chart_bars",
    )
    c2.plotly_chart(
        charts.increment_waterfall(
            cc.increment_parts(result.by_year),
            f"Where the ${t['total_increment']:,.0f} increment over the term comes from",
        ),
        width="stretch",
        key="cost_chart_waterfall",
    )

    tab_year, tab_class, tab_comp, tab_parts = st.tabs(
        ["By fiscal year", "By class", "Compounding", "Parts (long form)"]
    )
    with tab_year:
        st.dataframe(
            result.by_year,
            hide_index=True,
            width="stretch",
            column_config=TABLE_MONEY,
            key="cost_by_year",
        )
        st.caption(
            "Baseline = the agreement as written; proposal = baseline plus the changes. "
            "increment_* columns split the increment into its parts (they add up to it)."
        )
    with tab_class:
        st.dataframe(
            result.by_class,
            hide_index=True,
            width="stretch",
            column_config=TABLE_MONEY,
            key="cost_by_class",
        )
    with tab_comp:
        st.dataframe(
            result.compounding,
            hide_index=True,
            width="stretch",
            column_config=TABLE_MONEY,
            key="cost_compounding",
        )
        st.caption(
            "carried_forward = what the increases in force at the end of the previous year cost "
            "this year; new_this_year = this year's changes (compounding on the earlier ones); "
            "rate_factor_end = proposal / baseline wage rate at the year's end."
        )
    with tab_parts:
        st.dataframe(result.parts, hide_index=True, width="stretch", column_config=TABLE_MONEY)

    stem = cc.file_stem(scenario)
    c1, c2, _ = st.columns([1, 2, 2])
    c1.download_button(
        "⬇ By year (CSV)",
        lambda: costing.cost_tables_to_csv(result)["by_year.csv"],
        f"{stem}_by_year.csv",
        "text/csv",
        key="cost_dl_csv",
        on_click="ignore",
    )
    c2.download_button(
        "⬇ Workbook: all tables + assumptions (XLSX)",
        lambda: costing.to_xlsx(result),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="cost_dl_xlsx",
        on_click="ignore",
    )
    return result


# 4. Named scenarios ----------------------------------------------------------------------------


def saved_section(scenario: dict | None, data: bytes | None, name: str, roster_ok: bool) -> None:
    st.subheader("4. Saved scenarios")
    st.caption(
        "Saved in your user-data file (apart from the agreement database), so they survive "
        "rebuilds and restarts."
    )
    _flash("saved")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input(
        "Save the current scenario as (name)",
        key="cost_save_name",
        placeholder="e.g. County LBFO 3-2-2",
    )
    c2.button(
        "💾 Save",
        key="cost_save",
        on_click=_save,
        args=("cost_save_name",),
        disabled=scenario is None,
        type="primary",
    )

    saved = scenarios.listing()
    if saved.empty:
        st.info("No saved scenarios yet.")
    else:
        bodies = {n: scenarios.load(n) for n in saved["name"]}
        listing = saved.assign(scenario=[cc.describe(bodies[n]) for n in saved["name"]])
        st.dataframe(listing, hide_index=True, width="stretch", key="cost_saved_table")
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        pick = c1.selectbox("Saved scenario", list(saved["name"]), key="cost_pick")
        c2.button("Load into the builder", key="cost_load", on_click=_load, args=(pick,))
        c3.button("🗑 Delete", key="cost_delete", on_click=_delete, args=(pick,))

        st.markdown("**Compare saved scenarios** (each costed on the roster above)")
        chosen = st.multiselect(
            "Scenarios to compare (two or more)", list(saved["name"]), key="cost_compare"
        )
        if len(chosen) >= 2 and not roster_ok:
            st.info("Comparisons need a valid roster.")
        elif len(chosen) >= 2:
            compare(chosen, bodies, data, name)
        elif chosen:
            st.caption("Pick at least one more.")

    st.markdown("**Export / import scenario JSON**")
    c1, c2 = st.columns([1, 2])
    if scenario is not None:
        c1.download_button(
            "⬇ Current scenario (JSON)",
            json.dumps(scenario, indent=2),
            f"{cc.file_stem(scenario)}.json",
            "application/json",
            key="cost_dl_json",
        )
    up = c2.file_uploader("Import a scenario (JSON)", type=["json"], key="cost_import")
    if up is not None:
        try:
            imported = Scenario.from_json(up.getvalue().decode("utf-8-sig"))
        except UnicodeDecodeError:
            c2.error(f"{up.name} is not a text file.")
        except ScenarioError as exc:
            c2.error(f"{up.name} is not a valid scenario; nothing was loaded.")
            c2.dataframe(cc.scenario_problems(exc), hide_index=True, width="stretch")
        else:
            d = imported.to_dict()
            c2.caption(f"{up.name}: {cc.describe(d)}")
            c2.button(
                "Load the imported scenario into the builder",
                key="cost_import_load",
                on_click=_import,
                args=(d,),
            )


def compare(names: list[str], bodies: dict, data: bytes | None, roster_name: str) -> None:
    results, failed = {}, []
    for n in names:
        try:
            results[n] = common.cached_call(
                cc.cost_scenario, data, roster_name, json.dumps(bodies[n], sort_keys=True)
            )
        except (ScenarioError, RosterError) as exc:
            failed.append(f"“{n}”: " + " ".join(str(exc).splitlines()[:3]))
    for f in failed:
        st.warning(f"Not compared: {f}")
    if len(results) < 1:
        return
    totals = cc.compare_totals(results)
    long = cc.compare_by_year(results)
    st.dataframe(
        totals, hide_index=True, width="stretch", column_config=TABLE_MONEY, key="cost_cmp_totals"
    )
    st.plotly_chart(
        cc.compare_bars(long, "Increment over the baseline per fiscal year, by scenario"),
        width="stretch",
        key="cost_cmp_chart",
    )
    st.dataframe(
        long, hide_index=True, width="stretch", column_config=TABLE_MONEY, key="cost_cmp_by_year"
    )
    common.download_buttons(long, "scenario_comparison", {"Totals": totals})


# The page ------------------------------------------------------------------------------------

st.title("Costing a proposal")
st.markdown(
    "What a proposal costs **above the agreement as written**, fiscal year by fiscal year, over "
    "a roster: pick the roster, build the proposal (or paste its JSON), read the cost, save it "
    "under a name and compare. Money is in nominal dollars of each year (the sidebar's "
    "real-dollar choice does not apply here)."
)
_init_state()
roster, roster_data, roster_name = roster_section()
roster_id = (roster_name, hash(roster_data), tuple(roster.flags) if roster else ())
if st.session_state.get(ROSTER_ID) not in (None, roster_id) and not st.session_state.get(FRESH):
    # Another roster: its premium flags are options of the builder's tables; reload them from
    # the scenario as it stands so no edit is lost.
    _rebase(st.session_state[CURRENT])
st.session_state[ROSTER_ID] = roster_id

st.subheader("2. The proposal")
tab_builder, tab_json = st.tabs(["Builder", "JSON (power users)"])
with tab_builder:
    built = builder(roster)
st.session_state[FRESH] = False
if built is not None:
    st.session_state[CURRENT] = built
else:
    st.session_state[CURRENT] = {**st.session_state[BASE], "agency": st.session_state[_k("agency")]}
with tab_json:
    json_editor(st.session_state[CURRENT])

result = results(built, roster, roster_data, roster_name)
saved_section(built, roster_data, roster_name, roster is not None)
