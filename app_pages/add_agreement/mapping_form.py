"""The mapping step: a dropdown per column of each table read (what the column holds), the
reader's proposal pre-filled with its reason, and a date input beside each pay column."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.add_agreement import choices as ch
from app_pages.common import initial
from app_pages.show import md_escape
from etl import defaults


def _first_rows(t) -> pd.DataFrame:
    width = max(len(cells) for _, cells in t.first_rows)
    rows = [[t.place(n), *cells, *[""] * (width - len(cells))] for n, cells in t.first_rows]
    letters = [c.letter for c in sorted(t.columns, key=lambda c: c.index)]
    names = [f"{letters[i]}" if i < len(letters) else f"col {i + 1}" for i in range(width)]
    return pd.DataFrame(rows, columns=["Row", *names])


def _column_row(p: dict, digest: str, proposed_reason: str) -> None:
    where = (p["file"], p["sheet"] or "", p["column"])
    use_key, date_key = ch.widget_key("use", digest, *where), ch.widget_key("date", digest, *where)
    options = ch.use_options(p["use"])
    c1, c2, c3, c4 = st.columns([3, 3, 2, 5], vertical_alignment="center")
    c1.text(f"{p['letter']}: {p['column']}")
    use = c2.selectbox(
        f"What column {p['letter']} holds",
        options,
        format_func=lambda u: ch.USE_LABELS[u] + (f" {p['step']}" if u == "step_column" else ""),
        key=use_key,
        label_visibility="collapsed",
        **initial(use_key, index=options.index(p["use"])),
    )
    if use == "pay":
        c3.date_input(
            f"Date the pay in column {p['letter']} took effect",
            min_value=defaults.EARLIEST_DATE,
            max_value=defaults.LATEST_DATE,
            format="MM/DD/YYYY",
            key=date_key,
            label_visibility="collapsed",
            **initial(date_key, value=p["date"] if pd.notna(p["date"]) else None),
        )
    if use != p["use"]:
        why = f"Your choice; the reader proposed: {ch.USE_LABELS[p['use']].lower()}."
    else:
        why = proposed_reason[:1].upper() + proposed_reason[1:]
    c4.caption(md_escape(why))


def draw(detection, proposed: pd.DataFrame, digest: str) -> pd.DataFrame:
    """The dropdowns of every table read; the choices they hold (choices.chosen)."""
    st.subheader("2. Say what each column holds")
    st.caption(
        "The reader's proposal is filled in, with its reason. Change a column's dropdown where "
        "it is wrong; give each pay column the date its pay took effect."
    )
    for t in detection.tables:
        if not t.used:
            continue
        st.markdown(f"**{md_escape(t.name)}**: {md_escape(t.reads_as)}")
        if t.first_rows:
            with st.expander("The first rows as read"):
                st.dataframe(
                    _first_rows(t), hide_index=True, width="stretch", key=f"agr_first_{t.name}"
                )
        h1, h2, h3, h4 = st.columns([3, 3, 2, 5])
        for h, text in zip(
            (h1, h2, h3, h4), ("Column", "Holds", "Pay effective", "Why"), strict=True
        ):
            h.caption(f"**{text}**")
        mine = proposed[(proposed["file"] == t.file) & (proposed["sheet"] == (t.sheet or ""))]
        for p in mine.to_dict("records"):
            _column_row(p, digest, p["reason"])
    return ch.chosen(proposed, st.session_state, digest)
