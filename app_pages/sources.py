"""Sources and audit: the source line behind every number, and the arithmetic audit."""

import streamlit as st

from analysis import sources
from app_pages import common

st.title("Sources and audit")
st.caption(
    "Every value in the warehouse names the agreement, article/section and line it came from. "
    "Pick a row to read the text around it."
)

tab_rows, tab_audit, tab_docs = st.tabs(["Cited values", "Arithmetic audit", "Documents"])

with tab_rows:
    c1, c2, c3 = st.columns([1, 1, 2])
    view = c1.selectbox(
        "Table",
        sources.CITED_VIEWS,
        key="src_view",
        help="The public views of the warehouse; every row carries source_ref.",
    )
    agency = c2.selectbox(
        "Agency", ["All", "Sonoma", "Mendocino", "Contra Costa"], key="src_agency"
    )
    text = c3.text_input("Filter rows containing", key="src_filter")
    rows = common.q_sources("cited_rows", view, None if agency == "All" else agency)
    if text:
        mask = rows.astype(str).apply(lambda col: col.str.contains(text, case=False, regex=False))
        rows = rows[mask.any(axis=1)]
    st.caption(f"{len(rows):,} rows")
    shown = rows.drop(columns=["source_doc", "source_line"], errors="ignore")
    event = st.dataframe(
        common.display(shown),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="src_table",
    )
    common.download_buttons(shown, f"{view}_sources")
    picked = event.selection.rows if event is not None else []
    ref = (
        rows["source_ref"].iloc[picked[0]]
        if picked
        else st.text_input(
            "…or paste a source reference",
            key="src_ref",
            placeholder="e.g. sonoma_seiu707_mou_2002_2008.txt:619 §8.1",
        )
    )
    if ref:
        common.show_source(ref, expanded=True)

with tab_audit:
    st.markdown(
        "Each printed Sonoma A step is checked against the previous printed date × the 8.1 "
        "general increase × that class's Appendix B adjustment; each Mendocino grade against "
        "5% steps and biweekly = 80 × hourly. **Unexplained** rows are where the printed table "
        "and the text disagree: check them before relying on the number."
    )
    summary = common.q_sources("audit_summary")
    st.dataframe(summary, hide_index=True)
    only = st.radio("Show", ["unexplained", "explained", "all"], horizontal=True, key="aud_status")
    audit = common.q_sources("audit_rows", None if only == "all" else only, None)
    st.caption(f"{len(audit):,} check{'s' if len(audit) != 1 else ''}")
    common.cited_table(audit, "aud_table", f"audit_{only}")

with tab_docs:
    st.dataframe(common.q_sources("documents"), hide_index=True, width="stretch")
