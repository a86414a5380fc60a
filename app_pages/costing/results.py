"""Costing, section 3: the JSON editor and what the proposal costs."""

from __future__ import annotations

import json

import streamlit as st

from analysis.costing import compare as cc
from analysis.costing import engine as costing
from analysis.roster.reader import Roster, RosterError
from analysis.scenario import ScenarioError, scenario_from_dict
from app_pages import common
from app_pages.costing.state import (
    JSON_ERROR,
    JSON_TEXT,
    ORIGINS,
    _apply_json,
    _discard_json,
    _flash,
)
from exports import costing as costing_exports
from figures import charts

# Money columns of the costing tables (shown as dollars).
MONEY = (
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


RESULT_TABS = ["By fiscal year", "By class", "Compounding", "Parts (long form)"]


def json_editor(scenario: dict) -> None:
    st.caption(
        "The scenario as JSON (format: analysis/scenario/__init__.py). Edit and apply to load it "
        "into the builder; the builder writes changes grouped by type."
    )
    _flash("json")
    err = st.session_state.get(JSON_ERROR)
    if err is None:
        st.session_state[JSON_TEXT] = json.dumps(scenario, indent=2)
    else:
        st.error("Not applied: the JSON has problems (the builder is unchanged).")
        st.code(str(err), language=None, wrap_lines=True)
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
    """Section 3: the cost of the scenario on the roster (None when it cannot be costed)."""
    result = _costed(scenario, roster, data, name)
    if result is None:
        return None
    t = cc.term_summary(result)
    _headline(result, t)
    _notes(result)
    _charts(result, t)
    _tables(result, cc.file_stem(scenario))
    _downloads(result, cc.file_stem(scenario))
    return result


def _costed(scenario, roster, data, name) -> costing.CostResult | None:
    st.subheader("3. What it costs")
    if scenario is None:
        st.info("Nothing to cost: the chosen agency has no salary table.")
        return None
    if roster is None:
        st.info("Nothing is costed until the roster is valid (see 1. Roster).")
        return None
    try:
        scenario_from_dict(scenario)
        result = common.cached(cc.cost_scenario, data, name, json.dumps(scenario, sort_keys=True))
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
        st.error(common.md_escape(str(exc).splitlines()[0]))
        st.dataframe(cc.roster_problems(exc), hide_index=True, width="stretch")
        return None

    return result


def _headline(result: costing.CostResult, t: dict) -> None:
    s = result.scenario
    if result.illustrative_roster:
        st.warning("Costed on the **SYNTHETIC illustrative roster**: the totals are examples.")
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


def _notes(result: costing.CostResult) -> None:
    notes = cc.annotate_notes(result.notes, st.session_state.get(ORIGINS))
    caution = [n for n in notes if cc.is_caution(n)]
    with st.container(border=True):
        st.markdown("**Read before quoting these numbers**")
        for n in caution:
            st.markdown(f"- ⚠️ {common.md_escape(n)}")
        for n in notes:
            if n not in caution:
                st.markdown(f"- {common.md_escape(n)}")


def _charts(result: costing.CostResult, t: dict) -> None:
    s = result.scenario
    c1, c2 = st.columns(2)
    c1.plotly_chart(
        common.figure(
            charts.cost_bars,
            result.by_year,
            f"{s.agency}: baseline and proposal, $ per fiscal year",
        ),
        width="stretch",
        key="cost_chart_bars",
    )
    c2.plotly_chart(
        common.figure(
            charts.increment_waterfall,
            cc.increment_parts(result.by_year),
            f"Where the ${t['total_increment']:,.0f} increment over the term comes from",
        ),
        width="stretch",
        key="cost_chart_waterfall",
    )


def _tables(result: costing.CostResult, stem: str) -> None:
    tab_year, tab_class, tab_comp, tab_parts = common.tabs(RESULT_TABS, key="cost_results_tab")
    with tab_year:
        if tab_year.open:
            common.table(
                result.by_year,
                f"{stem}_by_year",
                money=MONEY,
                key="cost_by_year",
            )
            st.caption(
                "Baseline = the agreement as written; proposal = baseline plus the changes. "
                "The 'Increment: …' columns split the increment into its parts (they add up to "
                "it)."
            )
    with tab_class:
        if tab_class.open:
            common.table(
                result.by_class,
                f"{stem}_by_class",
                money=MONEY,
                key="cost_by_class",
            )
    with tab_comp:
        if tab_comp.open:
            common.table(
                result.compounding,
                f"{stem}_compounding",
                money=MONEY,
                key="cost_compounding",
            )
            st.caption(
                "Carried forward = what the increases in force at the end of the previous year "
                "cost this year; new this year = this year's changes (compounding on the "
                "earlier ones); the last column = proposal / baseline wage rate at the year's "
                "end."
            )
    with tab_parts:
        if tab_parts.open:
            common.table(result.parts, f"{stem}_parts", money=MONEY, key="cost_parts")


def _downloads(result: costing.CostResult, stem: str) -> None:
    c1, c2, _ = st.columns([1, 2, 2])
    c1.download_button(
        "⬇ By year (CSV)",
        lambda: costing_exports.cost_tables_to_csv(result)["by_year.csv"],
        f"{stem}_by_year.csv",
        "text/csv",
        key="cost_dl_csv",
        on_click="ignore",
    )
    c2.download_button(
        "⬇ Workbook: all tables + assumptions (XLSX)",
        lambda: costing_exports.to_xlsx(result),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="cost_dl_xlsx",
        on_click="ignore",
    )
