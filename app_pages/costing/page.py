"""Costing: what a proposal costs over a roster, fiscal year by fiscal year, against the
agreement as written; named scenarios saved, compared, exported and imported. The numbers come
from analysis/costing/engine.py; the builder's tables are converted by
analysis/costing/compare.py; each section of the page is a module of its own
(app_pages/costing/)."""

import streamlit as st

from app_pages import common
from app_pages.costing.builder import builder
from app_pages.costing.results import json_editor, results
from app_pages.costing.roster import roster_section
from app_pages.costing.saved import saved_section
from app_pages.costing.state import BASE, CURRENT, FRESH, ROSTER_ID, _init_state, _k, _rebase

# The page ------------------------------------------------------------------------------------

st.title("Costing a proposal")
st.markdown(
    "What a proposal costs **above the agreement as written**, fiscal year by fiscal year, over "
    "a roster: pick the roster, build the proposal (or paste its JSON), read the cost, save it "
    "under a name and compare."
)
common.not_applying(
    "Pay basis",
    "dollars",
    reason="a budget is costed in nominal dollars of each fiscal year, per year; the sidebar's "
    "agency and date start a new proposal.",
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
