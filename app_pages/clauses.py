"""Clauses: what the agreements say about a topic (bilingual pay, call-back, telework, layoff
order), searched across every agreement at once, published and imported (analysis/clauses.py,
a full-text index): ranked hits citing the agreement, section, line and page, the matching
words marked, and one topic side by side across the agreements chosen. Agreement texts come
in on Add an agreement."""

import zlib

import streamlit as st

from analysis import agencies, clauses
from app_pages import common
from app_pages.show import show_source
from etl import defaults
from etl.agreement_text.index import around
from userdata import agreement_texts

st.title("Clauses")
common.keep_state("clause_q", "clause_agencies")
st.caption(
    "Search the words of every agreement: the published ones and the texts you imported (Add an "
    'agreement). Words are all required; "a phrase" in quotes stays a phrase; premiums finds '
    "premium; call-back finds call back and callback; a word ending in * is a prefix."
)
common.not_applying(
    "The agency, pay basis, dollars and as of",
    reason="every agreement is searched unless you choose some below; clauses are words, not pay.",
)

texts = tuple(agreement_texts.load_all())
known = list(dict.fromkeys([*common.cached(agencies.names), *(t.agency for t in texts)]))
c1, c2 = st.columns([2, 3])
typed = c1.text_input(
    "Search the agreements",
    key="clause_q",
    max_chars=defaults.MAX_SEARCH_CHARS,
    placeholder='e.g. bilingual, "call back", telework',
)
chosen = c2.multiselect("Agreements of", known, key="clause_agencies", placeholder="all")

if not typed.strip():
    st.info("Type a word or a phrase to see what each agreement says about it.")
    st.stop()
try:
    hits, q = common.cached(clauses.find, typed, tuple(chosen), texts)
except clauses.QueryError as exc:
    st.error(common.md_escape(str(exc)))
    st.stop()

n = hits["agency"].nunique()
st.caption(
    common.md_escape(
        f"{len(hits):,} passage(s) in {n} agreement(s) hold "
        + (f"all of: {', '.join(q.terms)}" if len(q.terms) > 1 else q.terms[0])
        + ", best first (words match their other forms too); the matching words are between "
        "« and »."
    )
)
if hits.empty:
    st.stop()

tab_hits, tab_side = common.tabs(["Ranked hits", "Side by side"], key="clause_tab")
with tab_hits:
    if tab_hits.open:
        shown = hits.assign(text=hits["text"].map(around))
        cols = ["agency", "document", "section", "heading", "line", "page", "text", "source_ref"]
        common.table(shown[cols], "clause_hits", key="clause_hits", readable=False)
        pick = st.selectbox(
            "Read a hit in its agreement",
            range(len(hits)),
            format_func=lambda i: (
                f"{hits['agency'].iloc[i]} §{hits['section'].iloc[i]} line {hits['line'].iloc[i]}"
            ),
            # one widget per search: a new search's hits start at its best one, labelled
            # with its own passages (the old choice kept its old label)
            key=f"clause_pick_{zlib.crc32(repr((typed, chosen)).encode()):08x}",
        )
        hit = hits.iloc[int(pick)]
        if hit["doc"].startswith("text"):  # an imported text: its own lines, as printed
            mine = next(t for t in texts if t.doc == hit["doc"])
            near = [ln for ln in mine.lines if abs(ln.line_no - int(hit["line"])) <= 4]
            st.code(
                "\n".join(
                    f"{'▶' if ln.line_no == int(hit['line']) else ' '} {ln.line_no:>5} "
                    f"{'p. ' + str(ln.page) if ln.page else ''} | {ln.text}"
                    for ln in near
                ),
                language=None,
                wrap_lines=True,
            )
        else:
            show_source(hit["source_ref"].split(" p. ")[0], expanded=True)

with tab_side:
    if tab_side.open:
        side = clauses.side_by_side(hits, per_agency=3)
        names = list(dict.fromkeys(side["agency"]))
        for start in range(0, len(names), 3):
            columns = st.columns(3)
            for col, agency in zip(columns, names[start : start + 3], strict=False):
                with col:
                    st.subheader(common.md_escape(agency))
                    for r in side[side["agency"] == agency].itertuples():
                        st.caption(common.md_escape(f"§{r.section} {r.heading} · {r.source_ref}"))
                        st.text(around(r.text, 400))  # agreement text is never Markdown
