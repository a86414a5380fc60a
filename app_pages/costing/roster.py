"""Costing, section 1: the roster to cost (the built-in synthetic one or an upload)."""

from __future__ import annotations

import streamlit as st

from analysis.costing import compare as cc
from analysis.roster.reader import ILLUSTRATIVE_ROSTER, Roster, RosterError
from app_pages import common
from app_pages.costing.state import MODE_SAMPLE, MODE_UPLOAD, UPLOAD

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
        roster = common.cached(cc.load_roster, data, name)
    except RosterError as exc:
        st.error(
            f"**The roster {common.md_escape(exc.source)} cannot be costed**: {exc.total:,} "
            f"problem{'s' if exc.total != 1 else ''}"
            f"{f' (the first {len(exc.problems)} listed)' if exc.truncated else ''}. Nothing "
            "was costed. Rows are numbered as in a spreadsheet (header = row 1); fix them and "
            "upload again."
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
    summary = common.cached(cc.loaded_roster_summary, data, name)
    common.table(summary, "roster_summary", key="cost_roster_summary")
    preview = st.expander(
        f"Roster preview ({len(roster.rows)} lines, {common.md_escape(roster.source)})",
        key="cost_roster_preview_open",
        on_change="rerun",
    )
    if preview.open:  # drawn only while open: a long roster's table costs every run
        with preview:
            common.table(roster.rows, "roster_preview", key="cost_roster_preview")
            for note in roster.notes:
                st.caption(common.md_escape(note))
    return roster, data, name
