"""Market gap: where each benchmark class stands against the comparators at the top, middle
or first step, and how each class was matched (editable; decisions are kept with the user's
data)."""

import pandas as pd
import streamlit as st

from analysis import agencies, inflation, match_editing
from analysis.crosswalk import match as crosswalk
from analysis.market import gap as market
from analysis.market import gcc as gcc_market
from analysis.market import total as market_total
from app_pages import benefit_rates as rate_files
from app_pages import common, survey_review
from etl import defaults, pay
from exports import handout
from figures import charts
from userdata import class_matches, gcc, survey_data

st.title("Market gap")
c = common.choices()
if not c.has_salary_table:
    st.info(
        f"{c.agency} has no salary table, so it cannot be the subject of a market gap. Pick an "
        "agency with a salary table in the sidebar; its increases, health subvention and "
        "premiums are on the Premiums and benefits page."
    )
    st.stop()

decisions = class_matches.listing()
uploaded = survey_data.rows()
upload_agencies = sorted(uploaded["agency"].unique()) if not uploaded.empty else []
gcc_rows = gcc.rows()
gcc_summary = gcc_market.agencies_summary(gcc_rows)
gcc_label = {r["agency"]: gcc_market.describe(r) for r in gcc_summary.to_dict("records")}
with_table = [a for a in common.cached(agencies.names, salary_table=True) if a != c.agency]
survey_agencies = [a for a in dict.fromkeys([*upload_agencies, *gcc_label]) if a not in with_table]
defaults_for_subject = common.cached(
    agencies.default_comparators,
    c.agency,
    survey_agencies,
    c.as_of,
    always=gcc.agencies_for(c.agency),
)
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
comparators = c1.multiselect(
    "Comparators (agencies with pay data, survey data you uploaded, State Controller imports)",
    with_table + survey_agencies,
    default=defaults_for_subject,
    key=f"gap_comparators_{c.agency}",
    format_func=lambda a: f"{a} ({gcc_label[a]})" if a in gcc_label else a,
)
stat = c2.radio("Market rate", ["mean", "median"], horizontal=True, key="gap_stat")
position = c3.radio(
    "Step compared", list(market.STEP_POSITIONS), horizontal=True, key="gap_position"
)
threshold = c4.number_input(
    "Flag when more than … % below market",
    0.0,
    50.0,
    defaults.DEFAULT_THRESHOLD_PCT,
    0.5,
    key="gap_threshold",
    help="Reopeners use 'more than 2.0% below the average' (Sonoma 8.19.1 c).",
)
adjust = st.radio(
    "Comparators whose agreement does not cover the as-of date",
    ["cpi", "none"],
    horizontal=True,
    key="gap_adjust",
    format_func={
        "cpi": f"bring to the date by CPI ({inflation.SERIES_NAMES[c.cpi_series]})",
        "none": "compare nominal, unadjusted",
    }.get,
)
k1, k2, k3 = st.columns([2, 1, 1])
measure = k1.radio(
    "Compare",
    ["pay", "total compensation"],
    horizontal=True,
    key="gap_measure",
    help="Total compensation adds employer-paid benefits and the value of paid time off, "
    "item by item, where each agency's source prices them.",
)
total = measure == "total compensation"
if total:
    years = k2.number_input(
        "Years of service (paid time off)",
        0,
        40,
        defaults.DEFAULT_YEARS_OF_SERVICE,
        key="gap_years",
    )
    common_only = k3.toggle(
        "Same items on both sides",
        True,
        key="gap_common_only",
        help="On: an item counts only when every agency compared prices it, so both sides "
        "hold the same things. Off: each side holds what its source prices (the notes say "
        "which totals lack what).",
    )
    rates = rate_files.rows()
    tier, plan = rate_files.tier_plan("gap", rates, [c.agency, *with_table])
    st.caption(
        "Health and retirement of an agreement are priced from the rate sheets and employer "
        f"rates imported on Premiums and benefits ({len(rates)} rows); a State Controller "
        "comparator's from the costs its employer reported."
    )
if not comparators:
    listed = common.cached(agencies.survey_list, c.agency)
    st.info(
        f"No agency with pay data is in {c.agency}'s survey list"
        + (f" ({', '.join(listed)})" if listed else "")
        + f", and no other agreement here is of {c.as_of:%Y}'s era: pick a comparator above to "
        "compare across eras (its pay is brought to the date by CPI and the page says so), or "
        "upload survey data for the survey agencies on the Survey comparisons page."
    )
    st.stop()

gap_args = dict(
    stat=stat,
    threshold_pct=threshold,
    adjust=adjust,
    cpi_series=c.cpi_series,
    user_decisions=decisions,
    survey_rows=uploaded,
    gcc_rows=gcc_rows,
    position=position,
)
try:
    if total:
        res = common.cached(
            market_total.total_gap,
            c.agency,
            tuple(comparators),
            c.as_of,
            years=years,
            common_only=common_only,
            benefit_rates=rates,
            tier=tier,
            plan=plan,
            **gap_args,
        )
    else:
        res = common.cached(market.run_gap, c.agency, tuple(comparators), c.as_of, **gap_args)
except ValueError as exc:
    st.warning(str(exc))
    st.stop()

for note in res.notes:
    st.caption(f"• {common.md_escape(note)}")
if total:
    with st.expander("What each agency's total holds"):
        common.table(res.coverage, f"total_items_{c.agency}", key="gap_total_items")
table = res.table
if table.empty:
    st.warning(
        "No benchmark class could be compared with these comparators. A comparator without a "
        "salary table cannot price a class; upload survey data on the Survey comparisons "
        "page, or confirm class matches below."
    )
else:
    far = res.detail[
        (pd.to_datetime(res.detail["schedule_date"]) - pd.Timestamp(c.as_of)).abs().dt.days > 730
    ]
    for comp in far["comparator_agency"].unique():
        when = pd.to_datetime(far[far["comparator_agency"] == comp]["schedule_date"]).iloc[0]
        st.warning(
            f"{comp}'s pay is from its {when:%m/%d/%Y} schedule, more than two years from "
            f"{c.as_of:%m/%d/%Y}: it is brought to the date by "
            + ("CPI" if adjust == "cpi" else "nothing (nominal)")
            + ", not by its own increases. Read a cross-era comparison with care.",
            icon=":material/warning:",
        )
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
    common.chart(
        common.figure(
            charts.gap_bars,
            table,
            threshold,
            c.agency,
            stat,
            f"{c.as_of:%m/%d/%Y}",
            position,
            measure,
        ),
        "gap_bars",
        f"{position.capitalize()} step to {position} step. % below market = (market − own) / "
        f"market; % increase to reach market = (market − own) / own. {c.agency}'s pay from its "
        f"schedule of {table['own_schedule_date'].iloc[0]:%m/%d/%Y}; comparators as described "
        "above. Sources: each row's source lines.",
    )
    items = [f"own_{i}" for i in res.items] if total else []
    money = [
        "own_top_annual",
        "market",
        "market_min",
        "market_max",
        *(["own_pay_annual", *items] if total else []),
    ]
    shown = table.copy()
    for col in money:
        shown[col] = pay.convert_series(shown[col], "annual", c.basis).round(2)
    if c.real:
        shown = inflation.to_real(shown, money, c.as_of, c.real_month, c.cpi_series)
    unit = f"{c.basis}, {'real' if c.real else 'nominal'}"
    cols = {
        "pct_below_market": "% below market",
        "pct_increase_to_market": "% increase to reach market",
        "subject_class_code": "Class code",
        "subject_title": "Class title",
        "own_top_step": "Own step",
        "own_top_annual": f"Own {measure} ({unit})",
        **(
            {
                "own_pay_annual": f"Own pay ({unit})",
                **{f"own_{i}": f"Own {market_total.ITEMS[i]} ({unit})" for i in res.items},
            }
            if total
            else {}
        ),
        "market": f"Market {stat}{' total' if total else ''} ({unit})",
        "market_n": "Comparators",
        "market_min": f"Lowest ({unit})",
        "market_max": f"Highest ({unit})",
        "flag": f"More than {threshold:g}% below",
        "tied_classes": "Tied classes (same range)",
        "own_source_ref": "source_ref",
    }
    shown = shown[list(cols)].rename(columns=cols)
    st.caption(
        f"Pay in {c.unit} ({c.dollars_label()}). Tied classes share the benchmark's range, so "
        "a range adjustment carries them along; linked classes are not stated in the text."
    )
    picked = common.table(
        shown,
        f"market_gap_{c.agency}_{c.as_of}",
        money=tuple(v for k, v in cols.items() if k in money),
        cited=True,
        sheets={"comparators": res.detail, "notes": pd.DataFrame({"note": res.notes})},
        key="gap_table",
    )
    if picked is not None:
        code = picked["Class code"]
        st.session_state["gap_match_class"] = code
        for r in res.detail[res.detail["subject_class_code"] == code].itertuples():
            st.caption(
                f"{r.comparator_agency} {r.comparator_class_code or ''} "
                f"{r.comparator_title}: ${r.annual:,.0f} a year ({r.brought_by})"
                + (f"; total ${r.total_as_of:,.0f} ({r.items_note})" if total else "")
            )
            if isinstance(r.source_ref, str) and "§" in r.source_ref:
                common.show_source(r.source_ref)

gcc_comps = [a for a in comparators if a in gcc_label]
if gcc_comps:
    st.subheader("Benefits market (State Controller)")
    benefits = common.cached(
        gcc_market.benefits_market,
        c.agency,
        c.as_of,
        tuple(gcc_comps),
        gcc_rows=gcc_rows,
        user_decisions=decisions,
    )
    st.caption(
        "Employer costs per matched class, in dollars a year, as reported by the employer for "
        "the calendar year shown, not audited: retirement = DefinedBenefitPlanContribution + "
        "EmployeesRetirementCostCovered, health = HealthDentalVision, each the median "
        "incumbent of the position, then the median across the comparators. Part-time and "
        "full-time employees are not told apart."
    )
    common.table(
        benefits,
        f"benefits_market_{c.agency}_{c.as_of}",
        key="gap_benefits",
        money=(
            "retirement_market_median",
            "health_market_median",
            "deferred_comp_market_median",
        ),
    )


if not table.empty:
    st.markdown("**A handout for the table**")
    h1, h2 = st.columns([3, 1], vertical_alignment="bottom")
    flagged = table[table["flag"]]["subject_class_code"].tolist()
    for_handout = h1.multiselect(
        "Classes (one page or two each, with every source)",
        table["subject_class_code"].tolist(),
        default=flagged[:1] or table["subject_class_code"].tolist()[:1],
        format_func=dict(zip(table["subject_class_code"], table["subject_title"], strict=True)).get,
        max_selections=6,
        key=f"gap_handout_{c.agency}",
    )
    if for_handout:
        h2.download_button(
            "Handout (print-ready HTML)",
            lambda: (
                common.cached(
                    handout.class_handout,
                    c.agency,
                    list(for_handout),
                    c.as_of,
                    list(comparators),
                    prepared_by=common.actor(),
                    **gap_args,
                    **(
                        dict(
                            total=dict(
                                years=years,
                                common_only=common_only,
                                benefit_rates=rates,
                                tier=tier,
                                plan=plan,
                            )
                        )
                        if total
                        else {}
                    ),
                ).html
            ),
            f"handout_{c.agency}_{c.as_of}.html",
            "text/html",
            key="gap_handout_dl",
            on_click="ignore",
            icon=":material/print:",
        )

st.subheader("How each class was matched")
st.caption(
    "Exact title matches, curated overrides (data/reference/class_matches.csv, with reasons), "
    "fuzzy matches above a threshold, and your own decisions — which win over everything and "
    "are kept with your data (they survive every rebuild)."
)
comp_for_match = st.selectbox("Comparator", comparators or ["—"], key="gap_match_comp")
if comp_for_match not in with_table and comp_for_match != "—":
    survey_review.review(
        c.agency, comp_for_match, gcc_rows=gcc_rows, survey_rows=uploaded, decisions=decisions
    )
elif comp_for_match != "—":
    xw = common.cached(crosswalk.crosswalk, c.agency, comp_for_match, user_decisions=decisions)
    show = st.radio("Show", ["matched", "unmatched", "all"], horizontal=True, key="gap_show")
    view = xw if show == "all" else xw[xw["comparator_class_code"].notna() == (show == "matched")]
    common.table(view, f"matches_{c.agency}_{comp_for_match}", key="gap_xwalk")
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
    st.text(
        f"Now: {row['comparator_title'] or 'no comparable class'} "
        f"({row['method']}, score {row['score']:.0f}) — {row['reason']}"
    )
    opts = common.cached(match_editing.options, c.agency, code, comp_for_match, row)
    e1, e2 = st.columns([3, 2])
    choice = e1.selectbox(
        "Comparable class (best candidates first)",
        list(opts),
        format_func=opts.get,
        key=f"gap_edit_choice_{comp_for_match}_{code}",
    )
    reason = e2.text_input("Reason (kept with the decision)", key="gap_edit_reason", max_chars=300)
    b1, b2, b3 = st.columns(3)
    who = common.actor()
    if b1.button("Use this class", key="gap_edit_save"):
        decision = match_editing.decision_for(choice, row)
        class_matches.save(c.agency, code, comp_for_match, choice, decision, reason, actor=who)
        st.toast(f"Saved: {labels[code]} ↔ {opts[choice]} ({decision}).")
        st.rerun()
    if b2.button("No comparable class", key="gap_edit_reject"):
        class_matches.save(c.agency, code, comp_for_match, None, "rejected", reason, actor=who)
        st.rerun()
    if b3.button("Forget my decision", key="gap_edit_reset"):
        class_matches.delete(c.agency, code, comp_for_match, actor=who)
        st.rerun()
    if not decisions.empty:
        with st.expander(f"Your saved decisions ({len(decisions)})"):
            common.table(decisions, "class_match_decisions")
