"""The bulk review of one survey agency's title matches (a State Controller import or a
survey template upload): a table with a confirm / reject column, saved in one transaction
as class-match decisions (userdata.class_matches.save_many), which then apply wherever the
agency is a comparator."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.market import survey_matches
from app_pages import common
from etl import labels
from userdata import class_matches

ACTIONS = ["", "confirm", "reject"]


def review(
    subject: str,
    agency: str,
    *,
    gcc_rows: pd.DataFrame,
    survey_rows: pd.DataFrame,
    decisions: pd.DataFrame,
) -> None:
    """The review table of `agency`'s titles against `subject`'s classes."""
    every = st.toggle(
        "Also the classes with no matching title (to pick one by hand)",
        False,
        key=f"rev_all_{agency}",
    )
    rows = common.cached(
        survey_matches.review_rows,
        subject,
        agency,
        gcc_rows=gcc_rows,
        survey_rows=survey_rows,
        user_decisions=decisions,
        include_unmatched=every,
    )
    titles = survey_matches.survey_titles(agency, gcc_rows, survey_rows)
    if rows.empty:
        st.info(f"No {subject} class matches a title of {agency} automatically.")
        return
    shown = rows.assign(
        method=rows["method"].map(lambda m: labels.label("method", m)),
        action="",
        note="",
    )
    st.caption(
        f"{len(rows)} {subject} classes. Mark each match to **confirm** or **reject**, or pick "
        f"another {agency} title and confirm it; then save once. Your decisions win over the "
        "automatic match everywhere this agency is a comparator."
    )
    key = f"rev_editor_{subject}_{agency}_{every}"
    edited = st.data_editor(
        shown,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=[c for c in shown.columns if c not in ("comparator_title", "action", "note")],
        column_config={
            "subject_class_code": st.column_config.TextColumn("Class code"),
            "subject_title": st.column_config.TextColumn("Class title"),
            "comparator_title": st.column_config.SelectboxColumn(
                f"{agency} title", options=titles, help="The title that stands for the class"
            ),
            "automatic_title": st.column_config.TextColumn("Automatic match"),
            "method": st.column_config.TextColumn("Matched by"),
            "score": st.column_config.NumberColumn("Similarity", format="%.1f"),
            "reason": st.column_config.TextColumn("Why"),
            "decision": st.column_config.TextColumn("Your saved decision"),
            "action": st.column_config.SelectboxColumn("Confirm or reject", options=ACTIONS),
            "note": st.column_config.TextColumn("Reason (kept with the decision)", max_chars=300),
        },
    )
    common.download_buttons(labels.readable(rows), f"review_{subject}_{agency}")
    to_save = survey_matches.review_decisions(subject, agency, edited)
    skipped = int(((edited["action"] == "confirm") & edited["comparator_title"].isna()).sum())
    if skipped:
        st.caption(f"{skipped} row(s) marked confirm have no title to confirm; they are skipped.")
    if st.button(
        f"Save {len(to_save)} decision(s)", key=f"rev_save_{agency}", disabled=not to_save
    ):
        class_matches.save_many(to_save, actor=common.actor())
        del st.session_state[key]  # the saved marks are now decisions, not edits
        st.toast(f"Saved {len(to_save)} decision(s) for {agency}.")
        st.rerun()
