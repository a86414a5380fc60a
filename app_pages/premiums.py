"""Premiums and benefits: premiums as $/hour and % of a chosen base rate across agencies,
benefit shares side by side, and the non-money provisions compared."""

from datetime import date

import streamlit as st

from analysis import compensation
from app_pages import common
from figures import charts

st.title("Premiums and benefits")
agency = st.session_state[common.AGENCY]

tab_prem, tab_ben, tab_prov = st.tabs(["Premiums", "Benefit shares", "Non-money provisions"])

with tab_prem:
    st.markdown(
        "Every premium with a stated rate, expressed as **dollars per hour** and as **% of a "
        "base rate** you choose (a per-pay-period premium is spread over 80 hours, a yearly "
        "allowance over 2,080)."
    )
    base_agency = agency if agency != "Contra Costa" else "Sonoma"
    classes = common.q("classes", base_agency)
    classes = classes[~classes["payroll_only"].fillna(False)]
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    labels = {r.class_code: f"{r.class_title} ({r.class_code})" for r in classes.itertuples()}
    default = next((c for c, t in labels.items() if "ACCOUNT CLERK II" in t), next(iter(labels)))
    code = c1.selectbox(
        f"Base rate: {base_agency} class",
        list(labels),
        format_func=labels.get,
        index=list(labels).index(default),
        key="prem_class",
    )
    steps = common.q("steps", base_agency)
    step = c2.selectbox("Step", steps, index=len(steps) - 1, key="prem_step")
    as_of = c3.date_input(
        "Rates in force on",
        date(2016, 7, 1) if base_agency == "Mendocino" else date(2004, 7, 1),
        key="prem_asof",
    )
    rate = compensation.base_rate(common.con(), base_agency, code, step, as_of)
    base_hourly = c4.number_input(
        "Base $/hour",
        min_value=1.0,
        max_value=500.0,
        value=float(rate["hourly"]),
        step=0.01,
        key=f"prem_base_{code}_{step}_{as_of}",
        help="Pre-filled from the schedule; type another rate to test it.",
    )
    st.caption(
        f"Base: {labels[code]} step {step}, ${rate['hourly']:,.2f}/h on the schedule of "
        f"{rate['effective_date']:%m/%d/%Y}{' (derived)' if rate['is_derived'] else ''} — "
        f"{rate['source_ref']}. Percent premiums of other agencies are applied to this same "
        "base so they can be compared; fixed-dollar premiums are nominal dollars of their own "
        "agreement's years."
    )
    norm = common.cached_call(compensation.premiums_normalized, base_hourly, as_of, None, True)
    agencies = st.multiselect(
        "Agencies",
        ["Sonoma", "Mendocino", "Contra Costa"],
        default=["Sonoma", "Mendocino", "Contra Costa"],
        key="prem_agencies",
    )
    shown = norm[norm["agency"].isin(agencies)]

    st.subheader("Who pays what")
    cc1, cc2 = st.columns(2)
    a = cc1.selectbox("Premiums paid by", ["Mendocino", "Sonoma", "Contra Costa"], key="prem_a")
    b = cc2.selectbox("…and not by", ["Sonoma", "Mendocino", "Contra Costa"], key="prem_b")
    only = compensation.paid_by_only(norm, a, b)
    if a == b:
        st.info("Pick two different agencies.")
    elif only.empty:
        st.success(f"Every kind of premium {a} pays, {b} pays too.")
    else:
        n = only["category"].nunique()
        st.markdown(
            f"**{n} kind{'s' if n != 1 else ''} of premium {a} pays that {b} does not:** "
            + "; ".join(
                f"{cat} ({', '.join(sorted(set(g['premium'])))})"
                for cat, g in only.groupby("category")
            )
        )
    matrix = compensation.premium_matrix(shown)
    if not matrix.empty:
        pivot = matrix.pivot(index="category", columns="agency", values="premiums").fillna("—")
        st.dataframe(pivot, width="stretch")

    st.subheader("Premiums per hour")
    plot = shown.dropna(subset=["usd_per_hour"])
    cats = sorted(plot["category"].unique())
    whole = "overtime / holiday / callback"
    picked = st.multiselect(
        "Categories to chart",
        cats,
        default=[c for c in cats if c != whole],
        key="prem_chart_cats",
        help="Overtime, holiday and callback rows are whole rates (150% of base), not add-ons, "
        "so they are left out of the chart unless you add them.",
    )
    plot = plot[plot["category"].isin(picked)]
    fig = charts.premium_bars(plot, base_hourly)
    st.plotly_chart(fig, width="stretch")
    st.caption(
        "Sources: Sonoma MOU Art. 7, 9, 10; Mendocino MOU Art. 6, 9, 10; Contra Costa "
        "LOU Proposal #36. Per-event payments (e.g. per exam) have no hourly equivalent "
        "and are listed in the table only."
    )
    cols = [
        "agency",
        "category",
        "premium",
        "basis",
        "value",
        "effective_date",
        "usd_per_hour",
        "pct_of_base",
        "computed_as",
        "eligibility",
        "source_ref",
    ]
    common.cited_table(shown[cols], "prem_table", "premiums_normalized")

with tab_ben:
    ben = common.cached_call(compensation.benefit_shares)
    kinds = sorted(ben["benefit"].unique())
    pick = st.multiselect(
        "Benefits",
        kinds,
        default=[
            k
            for k in kinds
            if k in ("medical", "health_combined", "dental", "vision", "deferred_comp")
        ],
        key="ben_kinds",
    )
    sel = ben[ben["benefit"].isin(pick)]
    share = sel.dropna(subset=["employee_pct"])
    share = share[share["employee_pct"].notna()].copy()
    if not share.empty:
        share["label"] = [
            " · ".join(str(x) for x in (a, b, p, t, d) if isinstance(x, str) and x)
            for a, b, p, t, d in zip(
                share["agency"],
                share["benefit"],
                share["plan"],
                share["tier"],
                share["effective_date"].astype(str).str[:10].replace("NaT", ""),
                strict=True,
            )
        ]
        share = share.drop_duplicates(subset=["label", "employer_pct", "employee_pct"])
        fig = charts.share_bars(share)
        st.plotly_chart(fig, width="stretch")
        st.caption(
            "Sources: Sonoma MOU 12.4 (employees pay 14%, from July 2006 15%, of every "
            "plan and tier), 12.5, 12.6, 8.21.2; Mendocino MOU 11.1; Contra Costa LOU "
            "health plan subvention. Where the text states only one side, the other is "
            "100 minus it (see the note column)."
        )
    common.cited_table(sel, "ben_table", "benefit_shares")

with tab_prov:
    prov = common.q("provisions")
    topics = sorted(prov["topic"].unique())
    topic = st.selectbox(
        "Topic",
        topics,
        index=topics.index("telework") if "telework" in topics else 0,
        key="prov_topic",
    )
    sub = prov[prov["topic"] == topic]
    cols = st.columns(3)
    for col, ag in zip(cols, ["Sonoma", "Mendocino", "Contra Costa"], strict=True):
        with col:
            st.markdown(f"**{ag}**")
            rows = sub[sub["agency"] == ag]
            if rows.empty:
                st.caption(f"No {topic} provision in {ag}'s loaded documents.")
            for r in rows.itertuples():
                st.markdown(f"- {r.summary}")
                st.caption(r.source_ref)
    common.download_buttons(sub, f"provisions_{topic}")
