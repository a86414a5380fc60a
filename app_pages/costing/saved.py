"""Costing, section 4: named scenarios saved, loaded, compared, exported and imported."""

from __future__ import annotations

import json

import streamlit as st

from analysis.costing import compare as cc
from analysis.roster.reader import RosterError
from analysis.scenario import ScenarioError, scenario_from_bytes
from app_pages import common
from app_pages.costing.results import MONEY
from app_pages.costing.state import _delete, _flash, _import, _load, _save
from figures import charts
from userdata import scenarios

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
    saved = scenarios.listing()
    typed = (st.session_state.get("cost_save_name") or "").strip()
    if typed and typed in set(saved["name"]):
        st.checkbox(
            f"Replace the saved “{common.md_escape(typed)}” (saving over it loses the earlier one)",
            key="cost_save_replace",
        )
    c2.button(
        "Save",
        icon=":material/save:",
        key="cost_save",
        on_click=_save,
        args=("cost_save_name",),
        disabled=scenario is None,
        type="primary",
    )

    if saved.empty:
        st.info("No saved scenarios yet.")
    else:
        bodies = {n: scenarios.load(n) for n in saved["name"]}
        listing = saved.assign(scenario=[cc.describe(bodies[n]) for n in saved["name"]])
        common.table(listing, "saved_scenarios", readable=False, key="cost_saved_table")
        c1, c2, c3 = st.columns([3, 1, 1], vertical_alignment="bottom")
        pick = c1.selectbox("Saved scenario", list(saved["name"]), key="cost_pick")
        c2.button("Load into the builder", key="cost_load", on_click=_load, args=(pick,))
        c3.button(
            "Delete", icon=":material/delete:", key="cost_delete", on_click=_delete, args=(pick,)
        )

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
            imported = scenario_from_bytes(up.getvalue())
        except ScenarioError as exc:
            c2.error(f"{common.md_escape(up.name)} is not a valid scenario; nothing was loaded.")
            c2.dataframe(cc.scenario_problems(exc), hide_index=True, width="stretch")
        else:
            d = imported.to_dict()
            c2.caption(common.md_escape(f"{up.name}: {cc.describe(d)}"))
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
            results[n] = common.cached(
                cc.cost_scenario, data, roster_name, json.dumps(bodies[n], sort_keys=True)
            )
        except (ScenarioError, RosterError) as exc:
            failed.append(f"“{n}”: " + " ".join(str(exc).splitlines()[:3]))
    for f in failed:
        st.warning(f"Not compared: {common.md_escape(f)}")
    if len(results) < 1:
        return
    totals = cc.compare_totals(results)
    long = cc.compare_by_year(results)
    common.table(totals, "scenario_totals", money=MONEY, key="cost_cmp_totals")
    st.plotly_chart(
        common.figure(
            charts.compare_bars, long, "Increment over the baseline per fiscal year, by scenario"
        ),
        width="stretch",
        key="cost_cmp_chart",
    )
    common.table(
        long, "scenario_comparison", money=MONEY, key="cost_cmp_by_year", sheets={"Totals": totals}
    )
