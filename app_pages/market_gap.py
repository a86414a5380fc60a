"""Market gap: where each benchmark class stands against the comparators, and how each class
was matched (editable; decisions are saved with the user's data)."""

from datetime import date

import pandas as pd
import streamlit as st

from analysis import charts, crosswalk, market, surveys
from app_pages import common
from userdata import class_matches, survey_data

st.title("Market gap")
subject = st.session_state[common.AGENCY]
series = st.session_state[common.CPI_SERIES]

if not len(common.q("schedule_dates", subject)):
    st.info(
        f"{subject}'s agreement has no salary table, so it cannot be the subject of a market "
        "gap. Pick Sonoma or Mendocino in the sidebar; Contra Costa's wage increases, health "
        "subvention and hazard pay are on the Premiums and benefits page."
    )
    st.stop()


@st.cache_data(show_spinner="Matching classes and computing the gap…", max_entries=64)
def _gap(build, subject, comparators, as_of, stat, threshold, adjust, series, decisions, up):
    return market.run_gap(
        common.con(),
        subject,
        list(comparators),
        as_of,
        stat=stat,
        threshold_pct=threshold,
        adjust=adjust,
        cpi_series=series,
        user_decisions=decisions,
        uploaded=up,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _xwalk(build, subject, comparator, decisions):
    return crosswalk.crosswalk(common.con(), subject, comparator, user_decisions=decisions)


decisions = class_matches.listing()
uploaded = survey_data.rows()
upload_agencies = sorted(uploaded["agency"].unique()) if not uploaded.empty else []
loaded = [a for a in ("Sonoma", "Mendocino", "Contra Costa") if a != subject]

dates = common.q("schedule_dates", subject)
printed = dates[~dates["all_derived"]]["effective_date"].max().date()
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
comparators = c1.multiselect(
    "Comparators (agencies in the warehouse, plus survey data you uploaded)",
    loaded + upload_agencies,
    default=[a for a in loaded if a != "Contra Costa"],
    key="gap_comparators",
)
as_of = c2.date_input(
    "As of", printed, key=f"gap_asof_{subject}", min_value=date(1990, 1, 1), max_value=date.today()
)
stat = c3.radio("Market rate", ["mean", "median"], horizontal=True, key="gap_stat")
threshold = c4.number_input(
    "Flag when more than … % below market",
    0.0,
    50.0,
    2.0,
    0.5,
    key="gap_threshold",
    help="Sonoma 8.19.1 c uses 'more than 2.0% below the average'.",
)
adjust = st.radio(
    "Comparators whose agreement does not cover the as-of date",
    ["cpi", "none"],
    horizontal=True,
    key="gap_adjust",
    format_func={
        "cpi": f"bring to the date by CPI ({common.CPI_LABELS[series]})",
        "none": "compare nominal, unadjusted",
    }.get,
)
if not comparators:
    st.info("Pick at least one comparator.")
    st.stop()

wh_comps = [c for c in comparators if c in loaded]
up_comps = [c for c in comparators if c in upload_agencies]
up = None
if up_comps:
    matched = common.cached_call(surveys.match_uploaded, subject, uploaded)
    up = market.uploaded_comparators(matched, up_comps)
try:
    res = _gap(
        common.build_id(),
        subject,
        tuple(wh_comps),
        as_of,
        stat,
        threshold,
        adjust,
        series,
        decisions,
        up,
    )
except ValueError as exc:
    st.warning(str(exc))
    st.stop()

for note in res.notes:
    st.caption(f"• {note}")
table = res.table
if table.empty:
    st.warning(
        "No benchmark class could be compared with these comparators. "
        "A comparator without a salary table cannot price a class; upload survey data on the "
        "Survey comparisons page, or confirm class matches below."
    )
else:
    n_flag = int(table["flag"].sum())
    m1, m2, m3 = st.columns(3)
    m1.metric("Benchmark classes compared", len(table))
    m2.metric(f"More than {threshold:g}% below market", n_flag)
    med = table["pct_below_market"].median()
    m3.metric(
        f"Median class vs the market {stat}",
        f"{abs(med):.1f}% {'below' if med > 0 else 'above'}",
        help="% below market = (market − own) / market, median over the benchmark classes.",
    )
    fig = charts.gap_bars(table, threshold, subject, stat, f"{as_of:%m/%d/%Y}")
    st.plotly_chart(fig, width="stretch")
    st.caption(
        f"Top step to top step, annual pay. % below market = (market − own) / market; % "
        f"increase to reach market = (market − own) / own. {subject}'s top steps from its "
        f"schedule of {table['own_schedule_date'].iloc[0]:%m/%d/%Y}; comparators as described "
        "above. Sources: each row's own_source_ref and the comparator source_ref below."
    )
    cols = [
        "subject_class_code",
        "subject_title",
        "own_top_step",
        "own_top_annual",
        "market",
        "market_n",
        "market_min",
        "market_max",
        "pct_below_market",
        "pct_increase_to_market",
        "flag",
        "tied_classes",
        "own_source_ref",
    ]
    ev = st.dataframe(
        table[cols],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="gap_table",
        column_config={
            "own_top_annual": st.column_config.NumberColumn("own top ($/yr)", format="$%.0f"),
            "market": st.column_config.NumberColumn(f"market {stat} ($/yr)", format="$%.0f"),
            "pct_below_market": st.column_config.NumberColumn("% below market", format="%.2f"),
            "pct_increase_to_market": st.column_config.NumberColumn(
                "% increase to reach market", format="%.2f"
            ),
            "tied_classes": st.column_config.TextColumn(
                "tied classes (same range)",
                help="Classes sharing the benchmark's range; a "
                "range adjustment carries them along. Linked classes are not stated.",
            ),
        },
    )
    common.download_buttons(
        market.wide_table(res),
        f"market_gap_{subject}_{as_of}",
        sheets={"comparators": res.detail, "notes": pd.DataFrame({"note": res.notes})},
    )
    if ev is not None and ev.selection.rows:
        picked = table.iloc[ev.selection.rows[0]]
        st.session_state["gap_match_class"] = picked["subject_class_code"]
        common.show_source(picked["own_source_ref"])
        for r in res.detail[
            res.detail["subject_class_code"] == picked["subject_class_code"]
        ].itertuples():
            st.caption(
                f"{r.comparator_agency} {r.comparator_class_code or ''} "
                f"{r.comparator_title}: ${r.annual:,.0f} ({r.brought_by})"
            )
            if isinstance(r.source_ref, str) and "§" in r.source_ref:
                common.show_source(r.source_ref)

st.subheader("How each class was matched")
st.caption(
    "Exact title matches, curated overrides (data/reference/class_matches.csv, with reasons), "
    "fuzzy matches above a threshold, and your own decisions — which win over everything and "
    "are saved with your data (they survive every rebuild)."
)
comp_for_match = st.selectbox(
    "Comparator", [c for c in wh_comps if c != "Contra Costa"] or ["—"], key="gap_match_comp"
)
if comp_for_match != "—":
    xw = _xwalk(common.build_id(), subject, comp_for_match, decisions)
    show = st.radio("Show", ["matched", "unmatched", "all"], horizontal=True, key="gap_show")
    view = xw if show == "all" else xw[xw["comparator_class_code"].notna() == (show == "matched")]
    st.dataframe(view, hide_index=True, width="stretch", key="gap_xwalk")
    labels = {
        r.subject_class_code: f"{r.subject_title} ({r.subject_class_code})" for r in xw.itertuples()
    }
    current = st.session_state.get("gap_match_class")
    code = st.selectbox(
        "Edit the match of",
        list(labels),
        format_func=labels.get,
        index=list(labels).index(current) if current in labels else 0,
        key="gap_edit_class",
    )
    row = xw[xw["subject_class_code"] == code].iloc[0]
    st.markdown(
        f"Now: **{row['comparator_title'] or 'no comparable class'}** "
        f"({row['method']}, score {row['score']:.0f}) — {row['reason']}"
    )
    cands = crosswalk.candidates(common.con(), subject, code, comp_for_match, limit=8)
    current_code = row["comparator_class_code"]
    opts = {}
    if isinstance(current_code, str):
        opts[current_code] = f"{row['comparator_title']} ({current_code}) — current match"
    opts |= {
        r.comparator_class_code: f"{r.comparator_title} ({r.comparator_class_code}) — "
        f"score {r.score:.0f}{' · ' + r.note if isinstance(r.note, str) and r.note else ''}"
        for r in cands.itertuples()
        if r.comparator_class_code not in opts
    }
    all_comp = common.q("classes", comp_for_match)
    for r in all_comp.itertuples():
        opts.setdefault(r.class_code, f"{r.class_title} ({r.class_code})")
    e1, e2 = st.columns([3, 2])
    choice = e1.selectbox(
        "Comparable class (best candidates first)",
        list(opts),
        format_func=opts.get,
        key=f"gap_edit_choice_{comp_for_match}_{code}",
    )
    reason = e2.text_input("Reason (kept with the decision)", key="gap_edit_reason", max_chars=300)
    b1, b2, b3 = st.columns(3)
    if b1.button("Use this class", key="gap_edit_save"):
        decision = "confirmed" if choice == row["comparator_class_code"] else "manual"
        class_matches.save(subject, code, comp_for_match, choice, decision, reason)
        st.success(f"Saved: {labels[code]} ↔ {opts[choice]} ({decision}).")
        st.rerun()
    if b2.button("No comparable class", key="gap_edit_reject"):
        class_matches.save(subject, code, comp_for_match, None, "rejected", reason)
        st.rerun()
    if b3.button("Forget my decision", key="gap_edit_reset"):
        class_matches.delete(subject, code, comp_for_match)
        st.rerun()
    if not decisions.empty:
        with st.expander(f"Your saved decisions ({len(decisions)})"):
            st.dataframe(decisions, hide_index=True, width="stretch")
            common.download_buttons(decisions, "class_match_decisions")
