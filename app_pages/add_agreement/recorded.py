"""Values recorded from an imported agreement's text: a premium, a benefit share or a
time-off rule of an imported salary table's agency, typed into a small form and citing the
line of its imported MOU it is read from (found by its words). Stored with the user's data
(userdata/recorded_values.py), checked by etl/recorded_values.py, then in the warehouse like
a parser's rows: Premiums and benefits shows each with its line."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from etl.errors import InputError
from etl.recorded_values import FIELDS
from userdata import agreement_texts, agreements, recorded_values, warehouse

KIND_LABELS = {"premium": "Premium", "benefit_share": "Benefit share", "time_off": "Time off"}
MAX_LINES_SHOWN = 50


def _lines_with(text: agreement_texts.StoredText, words: str) -> list:
    want = words.lower().split()
    return [ln for ln in text.lines if ln.text.strip() and all(w in ln.text.lower() for w in want)][
        :MAX_LINES_SHOWN
    ]


def _fields(kind: str) -> dict:
    typed = {}
    cols = st.columns(3)
    for k, f in enumerate(FIELDS[kind]):
        key = f"rec_{kind}_{f.name}"
        label = f.label + ("" if f.required else " (optional)")
        with cols[k % 3]:
            if f.vocabulary is not None:
                options = ([] if f.required else [""]) + sorted(f.vocabulary)
                typed[f.name] = st.selectbox(label, options, key=key)
            else:
                typed[f.name] = st.text_input(label, key=key, max_chars=200)
    return typed


def section() -> None:
    st.subheader("Values recorded from an agreement's text")
    st.caption(
        "An imported salary table has pay, not the premiums, benefits and leave its agreement "
        "grants. Record one here from the agreement's imported text: it cites the line you "
        "pick and shows on Premiums and benefits like a published agreement's values."
    )
    done = st.session_state.pop("rec_done", None)
    if done:
        st.success(common.md_escape(done), icon=":material/check_circle:")
    imported = agreements.listing()
    texts = agreement_texts.load_all()
    if imported.empty:
        st.caption("Import a salary table first (above).")
        return
    rows = list(imported[["agreement_id", "agency"]].itertuples(index=False, name=None))
    c1, c2 = st.columns(2)
    agreement_id, agency = c1.selectbox(
        "Agreement", rows, format_func=lambda r: f"{r[1]} ({r[0]})", key="rec_agreement"
    )
    mine = [t for t in texts if t.agency == agency]
    if not mine:
        st.caption(common.md_escape(f"Import {agency}'s agreement text first (above)."))
        _listing()
        return
    text = c2.selectbox(
        "Its text",
        mine,
        format_func=lambda t: f"#{t.text_id} {t.title}",
        key=f"rec_text_{agreement_id}",
    )
    kind = st.radio(
        "What to record",
        list(KIND_LABELS),
        format_func=KIND_LABELS.get,
        horizontal=True,
        key="rec_kind",
    )
    words = st.text_input(
        "Find the line it is read from (words on the line)", key="rec_words", max_chars=200
    )
    lines = _lines_with(text, words) if words.strip() else []
    line = None
    if words.strip() and not lines:
        st.caption("No line of the text holds all those words.")
    elif lines:
        line = st.selectbox(
            "The line",
            lines,
            format_func=lambda ln: (
                f"line {ln.line_no}{f' (p. {ln.page})' if ln.page else ''}: {ln.text[:110]}"
            ),
            key="rec_line",
        )
    typed = _fields(kind)
    if st.button("Record the value", key="rec_save", disabled=line is None):
        try:
            with st.spinner("Keeping the value and rebuilding the database…"):
                value_id, _ = warehouse.record(
                    agreement_id,
                    agency,
                    kind,
                    typed,
                    text.text_id,
                    line.line_no,
                    actor=common.actor(),
                )
        except InputError as exc:
            st.error(
                common.md_escape(
                    "Not recorded: " + "; ".join(f"{p.column}: {p.message}" for p in exc.problems)
                )
            )
        else:
            st.session_state["rec_done"] = (
                f"Recorded as value #{value_id} of {agency}, citing line {line.line_no} of "
                f"{text.title}."
            )
            st.rerun()
    _listing()


def _listing() -> None:
    listing = recorded_values.listing()
    if listing.empty:
        st.caption("No value recorded yet.")
        return
    common.table(listing, "recorded_values", key="rec_listing", readable=False)
    common.remove_control(
        listing["value_id"].tolist(),
        "value",
        "rec_remove",
        "Remove and rebuild",
        lambda i: warehouse.unrecord(i, actor=common.actor()),
    )
