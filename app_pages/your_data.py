"""Your data: what you saved and imported (kept apart from the rebuilt reference data), and
the log of who changed what."""

import streamlit as st

from app_pages import common
from etl import defaults
from userdata import agreements, benefit_rates, class_matches, scenarios, store, survey_data

st.title("Your data")
st.caption(
    f"Kept in {defaults.user_db_path().name} (BARGAIN_USER_DB), apart from the agreement "
    "database: it survives every rebuild, restart and upgrade. You are "
    f"“{common.actor()}” (the name your sign-in proxy passes, else local)."
)
common.not_applying("Pay basis", "dollars", reason="this page lists records, not pay.")

tab_log, tab_kept = common.tabs(["Who changed what", "What is kept"], key="data_tab")
with tab_log:
    if tab_log.open:
        log = store.changelog()
        st.caption(
            f"{len(log):,} change(s), newest first. The log is append-only: entries cannot be "
            "edited or deleted."
        )
        common.table(log, "change_log", readable=False, key="log_table")
with tab_kept:
    if tab_kept.open:
        st.markdown("**Imported agreements**")
        common.table(agreements.listing(), "imported_agreements", readable=False, key="kept_agr")
        st.markdown("**Survey uploads**")
        ups = survey_data.uploads().drop(columns=["sha256"], errors="ignore")
        common.table(ups, "survey_uploads_kept", readable=False, key="kept_up")
        st.markdown("**Benefit rate files** (imported and removed on Premiums and benefits)")
        rate_files = benefit_rates.imports().drop(columns=["sha256"])
        common.table(rate_files, "benefit_rate_files_kept", readable=False, key="kept_br")
        st.markdown("**Saved scenarios**")
        common.table(scenarios.listing(), "saved_scenarios", readable=False, key="kept_sc")
        st.markdown("**Class-match decisions**")
        common.table(
            class_matches.listing(), "class_match_decisions_kept", readable=False, key="kept_cm"
        )
