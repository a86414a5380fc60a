"""What an import will store (classes, units, dates, steps, a sample class's pay per date
with where each amount is printed, every rate), and the problems that stop it, each as a
table with its downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import show
from app_pages.add_agreement import tables
from app_pages.show import md_escape
from etl import schedule_import


def problems(found: list, total: int, source: str) -> None:
    """The problems as a table (file, page or sheet, row, column, problem) with its CSV."""
    shown = f"the first {len(found):,} of {total:,} are listed" if total > len(found) else ""
    st.error(
        f"{total:,} problem(s) in the file: nothing is kept until they are fixed"
        + (f" ({shown})." if shown else "."),
        icon=":material/error:",
    )
    df = tables.named(schedule_import.problems_table(found, source))
    show.table(df, "import_problems", key="agr_problems", readable=False)


def _counts(pv: dict) -> None:
    classes, units, dates, steps = pv["classes"], pv["units"], pv["dates"], pv["steps"]
    m = st.columns(4)
    m[0].metric("Classes", f"{len(classes):,}")
    m[1].metric("Bargaining units", f"{max(len(units), 1):,}")
    m[2].metric("Effective dates", f"{len(dates):,}")
    m[3].metric("Steps", f"{len(steps):,}")
    c1, c2, c3 = st.columns(3)
    c1.caption("Units")
    c1.dataframe(tables.named(units), hide_index=True, width="stretch", key="agr_pv_units")
    c2.caption("Effective dates")
    dated = dates.assign(effective_date=dates["effective_date"].map(lambda d: d.isoformat()))
    c2.dataframe(tables.named(dated), hide_index=True, width="stretch", key="agr_pv_dates")
    c3.caption("Steps")
    c3.dataframe(tables.named(steps), hide_index=True, width="stretch", key="agr_pv_steps")


def _sample(got, pv: dict) -> None:
    options = tables.class_options(pv["classes"])
    if not options:
        return
    which = st.selectbox(
        "A class to check against the file",
        options,
        format_func=lambda w: tables.class_label(pv["classes"], w),
        key="agr_sample",
    )
    sample = schedule_import.preview(got, sample=which)["sample"]
    period = sample.attrs.get("period", "hourly")
    st.caption(f"Pay per step and date, {period} as printed:")
    st.dataframe(tables.named(sample), hide_index=True, width="content", key="agr_pv_sample")
    st.caption("Where each amount is printed:")
    places = tables.sample_places(pv["rates"], which)
    st.dataframe(places, hide_index=True, width="stretch", key="agr_pv_places")


def preview(got) -> None:
    """The preview of a read that succeeded, with the rates and classes to download."""
    pv = schedule_import.preview(got)
    st.subheader("3. Check what will be stored")
    _counts(pv)
    st.text("\n".join(got.summary.lines()))
    titles = pv["classes"]["class_title"]
    if len(titles) and not titles.fillna("").astype(str).str.strip().any():
        st.warning(
            "No class has a title: the file has no title column the reader found. The classes "
            "will be stored and shown by code only; if the file does print titles, choose "
            '"Class title" for that column in step 2.',
            icon=":material/warning:",
        )
    for note in got.detection.notes:
        st.caption(md_escape(note))
    st.markdown("**A sample class**")
    _sample(got, pv)
    st.markdown("**Every rate that will be stored**, with where it is printed")
    show.table(
        tables.named(pv["rates"].drop(columns=["source_ref"])),
        "import_preview_rates",
        key="agr_pv_rates",
        readable=False,
    )
    st.markdown("**Every class**")
    show.table(
        tables.named(pv["classes"]), "import_preview_classes", key="agr_pv_classes", readable=False
    )


def first_rows_of_unread(detection) -> None:
    """Tables the reader could not place: their first rows, so a person sees why."""
    for t in detection.tables:
        if t.used or not t.first_rows:
            continue
        with st.expander(md_escape(f"{t.name}: {t.reads_as} (not read)")):
            width = max(len(c) for _, c in t.first_rows)
            st.dataframe(
                pd.DataFrame([[t.place(n), *c, *[""] * (width - len(c))] for n, c in t.first_rows]),
                hide_index=True,
                key=f"agr_unread_{t.name}",
            )
