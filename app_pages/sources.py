"""Sources and audit: the text behind every number, whole documents with line numbers and
search, and the arithmetic audit."""

import streamlit as st

from analysis import agencies, sources
from app_pages import common
from etl import defaults, pay

st.title("Sources and audit")
common.keep_state("src_view", "src_agency", "src_filter", "src_doc", "aud_status")
st.caption(
    "Every value in the warehouse names the agreement, article/section and line it came from "
    "(or the file, sheet and row of an agreement you imported). Pick a row to read the text "
    "around it."
)
common.not_applying("Pay basis", "dollars", reason="values are shown as their source prints them.")

tab_rows, tab_doc, tab_audit = common.tabs(
    ["Cited values", "Read a document", "Arithmetic audit"], key="src_tab"
)

with tab_rows:
    if tab_rows.open:
        c1, c2, c3 = st.columns([1, 1, 2])
        view = c1.selectbox(
            "Table",
            sources.CITED_VIEWS,
            key="src_view",
            help="The public views of the warehouse; every row carries its source.",
        )
        agency = c2.selectbox("Agency", ["All", *common.cached(agencies.names)], key="src_agency")
        text = c3.text_input("Filter rows containing", key="src_filter")
        of = None if agency == "All" else agency
        total, rows = common.cached(sources.cited_preview, view, of, text, defaults.MAX_TABLE_ROWS)
        st.caption(f"{total:,} rows")
        hidden = ["source_doc", "source_line"]
        picked = common.table(
            rows.drop(columns=hidden, errors="ignore"),
            f"{view}_sources",
            cited=True,
            key="src_table",
            money=tuple(m for m in pay.PAY_BASES if m in rows.columns),  # $13.60, not 13.6
            total_rows=total,
            all_rows=lambda: common.cached(sources.cited_rows, view, of, text).drop(
                columns=hidden, errors="ignore"
            ),
        )
        if picked is None:
            ref = st.text_input(
                "…or paste a source reference",
                key="src_ref",
                placeholder="e.g. sonoma_seiu707_mou_2002_2008.txt:619 §8.1",
            )
            if ref:
                common.show_source(ref, expanded=True)

with tab_doc:
    if tab_doc.open:
        docs = common.cached(sources.documents)
        c1, c2 = st.columns([2, 2])
        doc = c1.selectbox(
            "Document",
            docs["doc"].tolist(),
            format_func=lambda d: f"{d} — {docs.set_index('doc').loc[d, 'description'] or ''}",
            key="src_doc",
        )
        search = c2.text_input("Lines containing", key="src_doc_search")
        lines = common.cached(sources.document_lines, doc, search)
        meta = docs.set_index("doc").loc[doc]
        st.caption(
            f"{meta['agency']} · {meta['kind']} · {meta['n_lines']:,} lines · sha256 "
            f"{meta['sha256'][:12]}… · showing {len(lines):,} line(s)"
        )
        st.code(
            "\n".join(f"{r.line_no:>6} | {r.text}" for r in lines.head(5000).itertuples())
            or "(none)",
            language=None,
            wrap_lines=True,
            height=600,
        )
        if len(lines) > 5000:
            st.caption("The first 5,000 matching lines are shown; narrow the search to see others.")
        common.table(docs, "documents", key="src_docs")

with tab_audit:
    if tab_audit.open:
        st.markdown(
            "Each printed value is checked against what the agreement's own increases and step "
            "rules say it should be. **Unexplained** rows are where the printed table and the text "
            "disagree: check them before relying on the number."
        )
        summary = common.cached(sources.audit_summary)
        common.table(summary, "audit_summary", key="aud_summary")
        only = st.radio(
            "Show", ["unexplained", "explained", "all"], horizontal=True, key="aud_status"
        )
        audit = common.cached(sources.audit_rows, None if only == "all" else only, None)
        st.caption(f"{len(audit):,} check{'s' if len(audit) != 1 else ''}")
        common.table(audit, f"audit_{only}", cited=True, key="aud_table")
