"""The Costing page's session state and callbacks: the builder reloads from a scenario
(JSON form) whenever one is applied, loaded or imported, and follows the sidebar's agency."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import agencies
from analysis.costing import compare as cc
from analysis.market import gap as market
from analysis.scenario import ScenarioError, scenario_from_dict, scenario_from_json, scenario_name
from app_pages import common
from etl.agency_names import resolve_typed
from userdata import scenarios

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


def _default_start(agency: str) -> date:
    """A new proposal starts on the agency's sidebar date (inside its agreement's term)."""
    return common.agency_as_of(agency)


def _flash(where: str) -> None:
    msg = st.session_state.get(FLASH)
    if msg and msg[0] == where:
        st.session_state.pop(FLASH)
        # Flash texts quote user text (scenario names) escaped where they are composed.
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


def _known_agency(scenario: dict) -> dict:
    """The scenario with its agency as the warehouse spells it, when a typed name denotes
    one (etl.agency_names.resolve_typed, the rule `bargain cost` applies: " sonoma " is
    Sonoma); the builder shows the agency it will cost."""
    found = resolve_typed(scenario.get("agency"), common.cached(agencies.names))
    return {**scenario, "agency": found} if found else scenario


def _apply_json() -> None:
    text = st.session_state.get(JSON_TEXT, "")
    try:
        scenario = scenario_from_json(text)
    except ScenarioError as exc:
        st.session_state[JSON_ERROR] = exc
        return
    _rebase(_known_agency(scenario.to_dict()), ("json", "success", "JSON applied to the builder."))


def _discard_json() -> None:
    st.session_state.pop(JSON_ERROR, None)


def _fill_gaps(agency: str, comparators: tuple[str, ...], as_of: date, cpi: str) -> None:
    try:
        res = common.cached(market.run_gap, agency, comparators, as_of, cpi_series=cpi)
    except ValueError as exc:
        st.session_state[FLASH] = ("market", "error", common.md_escape(exc))
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
    new, moved = cc.to_market_from_gaps(
        res.table,
        st.session_state.get(_k("mkt_threshold"), market.DEFAULT_THRESHOLD_PCT),
        st.session_state.get(_k("mkt_staged")) == "in stages",
        st.session_state.get(_k("mkt_eff")),
        old,
        as_of,
        comparators,
    )
    current["changes"] = [*changes, new]
    _rebase(
        current,
        (
            "market",
            "success",
            f"Gaps filled for {len(new['gaps'])} matched classes; {moved} are "
            f"more than {new.get('threshold', 0):g}% below market.",
        ),
    )


def _save(name_key: str) -> None:
    typed = st.session_state.get(name_key) or ""
    if not typed.strip():
        st.session_state[FLASH] = ("saved", "error", "Give the scenario a name to save it.")
        return
    try:
        name = scenario_name(typed)
        scenario = scenario_from_dict({**st.session_state[CURRENT], "name": name})
    except ScenarioError as exc:
        st.session_state[name_key] = ""  # a refused name is not kept in the field
        st.session_state[FLASH] = (
            "saved",
            "error",
            "Not saved: the scenario has problems (see 3.): "
            + common.md_escape(" ".join(str(exc).split())),
        )
        return
    kept = scenarios.listing()
    earlier = kept[kept["name"] == name]
    if not earlier.empty and not st.session_state.pop("cost_save_replace", False):
        e = earlier.iloc[0]
        st.session_state[FLASH] = (
            "saved",
            "error",
            f"Not saved: “{common.md_escape(name)}” is already saved ({e['saved_at']} by "
            f"{common.md_escape(str(e['saved_by']))}). Tick “Replace” to save over it, or "
            "choose another name.",
        )
        return
    scenarios.save(name, scenario.to_dict(), actor=common.actor())
    st.session_state[BASE] = {**st.session_state[BASE], "name": name}
    what = "Replaced" if not earlier.empty else "Saved"
    st.session_state[FLASH] = ("saved", "success", f"{what} “{common.md_escape(name)}”.")


def _load(name: str) -> None:
    try:
        scenario = scenario_from_dict(scenarios.load(name))
    except (KeyError, ScenarioError) as exc:
        st.session_state[FLASH] = (
            "saved",
            "error",
            f"Could not load “{common.md_escape(name)}”: {common.md_escape(exc)}",
        )
        return
    st.session_state["cost_save_name"] = name
    _rebase(
        _known_agency(scenario.to_dict()),
        ("saved", "success", f"Loaded “{common.md_escape(name)}” into the builder."),
    )


def _delete(name: str) -> None:
    scenarios.delete(name, actor=common.actor())
    st.session_state[FLASH] = ("saved", "success", f"Deleted “{common.md_escape(name)}”.")


def _import(scenario: dict) -> None:
    _rebase(
        _known_agency(scenario), ("saved", "success", "Imported scenario loaded into the builder.")
    )
