"""Your data: what you saved and imported (kept apart from the rebuilt reference data), and
the log of who changed what."""

import streamlit as st

from app_pages import common
from etl import defaults
from userdata import agreements, benefit_rates, class_matches, scenarios, store, survey_data

st.title("Your data")
st.caption(
    "What you saved and imported, kept apart from the agreement database: it survives every "
    f"rebuild, restart and upgrade. You are “{common.actor()}” (the name your sign-in proxy "
    f"passes, else local). File: {defaults.user_db_path().name}."
)


def listing(df, name: str, key: str, what: str) -> None:
    """A kept table, or a line saying there is none yet (not an empty table to download)."""
    if df.empty:
        st.caption(f"No {what} yet.")
    else:
        common.table(df, name, readable=False, key=key)


common.not_applying("Pay basis", "dollars", reason="this page lists records, not pay.")

tab_log, tab_kept = common.tabs(["Who changed what", "What is kept"], key="data_tab")
with tab_log:
    if tab_log.open:
        log = store.changelog()
        if log.empty:
            st.info(
                "Nothing changed yet: each save, upload, import and removal is logged here, "
                "with who made it and when."
            )
        else:
            st.caption(
                f"{len(log):,} change(s), newest first. The log is append-only: entries cannot "
                "be edited or deleted."
            )
            common.table(log, "change_log", readable=False, key="log_table")
with tab_kept:
    if tab_kept.open:
        st.markdown("**Imported agreements**")
        listing(agreements.listing(), "imported_agreements", "kept_agr", "imported agreements")
        st.markdown("**Survey uploads**")
        ups = survey_data.uploads().drop(columns=["sha256"], errors="ignore")
        listing(ups, "survey_uploads_kept", "kept_up", "survey uploads")
        st.markdown("**Benefit rate files** (imported and removed on Premiums and benefits)")
        rate_files = benefit_rates.imports().drop(columns=["sha256"])
        listing(rate_files, "benefit_rate_files_kept", "kept_br", "benefit rate files")
        st.markdown("**Saved scenarios**")
        listing(scenarios.listing(), "saved_scenarios", "kept_sc", "saved scenarios")
        st.markdown("**Class-match decisions**")
        matches = class_matches.listing()
        listing(matches, "class_match_decisions_kept", "kept_cm", "class-match decisions")
