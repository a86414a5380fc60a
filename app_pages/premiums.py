"""Premiums and benefits: premiums as $ per hour and % of a base rate across agencies, who pays
what, benefit shares side by side, and the non-money provisions compared."""

import pandas as pd
import streamlit as st

from analysis import (
    agencies,
    compensation,
    inflation,
    premium_compare,
    total_comp,
    triggers,
    warehouse,
)
from app_pages import benefit_rates as rate_files
from app_pages import common
from etl import defaults, labels, pay
from figures import charts

st.title("Premiums and benefits")


def benefit_count(rates: pd.DataFrame) -> str:
    if rates.empty:
        return "none imported"
    return f"{len(rates)} rows from {rates['import_id'].nunique()} file(s)"


c = common.choices()
common.keep_state(
    "prem_agencies_",
    "prem_chart_cats",
    "prem_a",
    "prem_b_",
    "tc_years",
    "tc_tier",
    "tc_plan",
    "ben_kinds",
    "prov_topic",
)
with_table = common.cached(agencies.names, salary_table=True)
all_agencies = common.cached(agencies.names)
base_agency = c.agency if c.agency in with_table else with_table[0]

# The base rate the premiums are priced on, shared by the tabs below.
classes = common.cached(warehouse.classes, base_agency)
classes = classes[~classes["payroll_only"].fillna(False).astype(bool)]
labels_ = {r.class_code: f"{r.class_title} ({r.class_code})" for r in classes.itertuples()}
c1, c2, c3 = st.columns([2, 1, 1])
code = c1.selectbox(
    f"Base rate: {base_agency} class",
    list(labels_),
    format_func=labels_.get,
    key=f"prem_class_{base_agency}",
)
step_list = common.cached(warehouse.steps, base_agency)
step = c2.selectbox("Step", step_list, index=len(step_list) - 1, key=f"prem_step_{base_agency}")
rate = common.cached(compensation.base_rate, base_agency, code, step, c.as_of)
base_hourly = c3.number_input(
    "Base $/hour",
    min_value=defaults.MIN_HOURLY,
    max_value=defaults.MAX_HOURLY,
    value=float(rate["hourly"]),
    step=0.01,
    key=f"prem_base_{code}_{step}_{c.as_of}",
    help="Pre-filled from the schedule; type another rate to test it.",
)
st.caption(
    f"Base: {labels_[code]} step {step}, ${rate['hourly']:,.2f}/h on the schedule of "
    f"{rate['effective_date']:%m/%d/%Y}{' (derived)' if rate['is_derived'] else ''} — "
    f"{rate['source_ref']}. Rates in force on {c.as_of:%m/%d/%Y}. Shown for {base_agency}; "
    "pick agencies below to add others (their percent premiums on this same base, their "
    "dollar amounts in their own agreement's dollars)."
)

tab_prem, tab_who, tab_ben, tab_total, tab_prov = common.tabs(
    ["Premiums", "Who pays what", "Benefit shares", "Total compensation", "Non-money provisions"],
    key="prem_tab",
)

with tab_prem:
    if tab_prem.open:
        st.markdown(
            "Every premium with a stated rate, as **dollars per hour** and as **% of a base rate** "
            "you choose (a per-pay-period premium is spread over 80 hours, a yearly allowance over "
            "2,080)."
        )
        picked = st.multiselect(
            "Agencies",
            all_agencies,
            key=f"prem_agencies_{base_agency}",
            **common.initial(f"prem_agencies_{base_agency}", all_agencies, default=[base_agency]),
        )
        norm = common.cached(compensation.premiums_normalized, base_hourly, c.as_of, None, True)
        shown = norm[norm["agency"].isin(picked)].copy()
        shown[f"{c.basis} equivalent"] = pay.convert_series(
            shown["usd_per_hour"], "hourly", c.basis
        ).round(2)
        if c.real:
            st.caption(
                ":material/info: Real dollars do not apply to premiums: each is shown in its own "
                "agreement's dollars, with its effective date."
            )
        plot = shown.dropna(subset=["usd_per_hour"])
        cats = sorted(plot["category"].unique())
        whole = "overtime / holiday / callback"
        chart_cats = st.multiselect(
            "Categories to chart",
            cats,
            key="prem_chart_cats",
            **common.initial("prem_chart_cats", cats, default=[x for x in cats if x != whole]),
            help="Overtime, holiday and callback rows are whole rates (150% of base), not add-ons, "
            "so they are left out of the chart unless you add them.",
        )
        common.chart(
            common.figure(
                charts.premium_bars,
                plot[plot["category"].isin(chart_cats)],
                base_hourly,
                common.cached(agencies.colors),
            ),
            "premium_bars",
            "Sources: each premium's article, in the table below. Per-event payments (e.g. per "
            "exam) have no hourly equivalent and are listed in the table only.",
        )
        cols = ["agency", "category", "premium", "basis", "value", "effective_date", "usd_per_hour"]
        cols += [f"{c.basis} equivalent", "pct_of_base", "computed_as", "eligibility", "source_ref"]
        common.table(
            shown[cols],
            f"premiums_{base_agency}",
            money=("usd_per_hour", f"{c.basis} equivalent"),
            cited=True,
            key="prem_table",
        )

with tab_who:
    if tab_who.open:
        common.not_applying(
            "Pay basis",
            "dollars",
            reason="premiums are compared per hour, in each agreement's own dollars, the way "
            "they are paid.",
        )
        st.markdown(
            "Each kind of premium, as each agreement states it, priced in $ per hour on that "
            "agency's own rate for the class you chose on the Premiums tab (its matched class in "
            "the other agency, on that agency's own date)."
        )
        c1, c2 = st.columns(2)
        a = c1.selectbox(
            "Agency",
            all_agencies,
            key="prem_a",
            **common.initial("prem_a", index=all_agencies.index(c.agency)),
        )
        others = [x for x in all_agencies if x != a]
        b = c2.selectbox("…compared with", others, key=f"prem_b_{a}")
        sides = {}
        for side in (a, b):
            when = common.agency_as_of(side)
            base = common.cached(premium_compare.base_for, side, base_agency, code, -1, when)
            hourly = base["hourly"] if base else base_hourly
            sides[side] = common.cached(compensation.premiums_normalized, hourly, when, side, True)
            st.caption(
                f"{side}: "
                + (
                    f"base ${base['hourly']:,.2f}/h, class {base['class_code']} "
                    f"step {base['step']}, "
                    f"schedule of {base['effective_date']:%m/%d/%Y} ({base['source_ref']})"
                    if base
                    else f"no comparable class with pay, so percent premiums are priced on the "
                    f"{base_agency} base ${base_hourly:,.2f}/h"
                )
                + f"; rates in force on {when:%m/%d/%Y}."
            )
        who = premium_compare.who_pays_what(sides[a], sides[b], a, b)
        only_a = who[who["paid_by"] == a]
        st.markdown(
            f"**{len(only_a)} kind{'s' if len(only_a) != 1 else ''} of premium {a} pays that {b} "
            f"does not**" + (": " + "; ".join(only_a["category"]) if len(only_a) else ".")
        )
        common.table(who, f"who_pays_what_{a}_{b}", readable=False)

with tab_ben:
    if tab_ben.open:
        common.not_applying(
            "Pay basis",
            "dollars",
            reason="shares are percentages of premiums the texts do not price.",
        )
        ben = common.cached(compensation.benefit_shares)
        kinds = sorted(ben["benefit"].unique())
        pick = st.multiselect(
            "Benefits",
            kinds,
            format_func=lambda k: labels.label("benefit", k),
            key="ben_kinds",
            **common.initial(
                "ben_kinds",
                kinds,
                default=[
                    k
                    for k in kinds
                    if k in ("medical", "health_combined", "dental", "vision", "deferred_comp")
                ],
            ),
        )
        sel = ben[ben["benefit"].isin(pick)]
        share = sel.dropna(subset=["employee_pct"]).copy()
        if not share.empty:
            share["label"] = premium_compare.share_labels(share)
            share = share.drop_duplicates(subset=["label", "employer_pct", "employee_pct"])
            common.chart(
                common.figure(charts.share_bars, share),
                "benefit_shares",
                "Sources: each row's article (table below). Where the text states only one side, "
                "the other is 100 minus it (see the note column).",
            )
        common.table(sel, "benefit_shares", cited=True, key="ben_table")

with tab_total:
    if tab_total.open:
        st.markdown(
            "Base pay at the step reached after the years of service (every merit on time), the "
            "employer-paid benefits, and paid time off valued at the class's rate, for the class "
            "chosen on the Premiums tab and its matched class elsewhere, each on its own "
            "agency's date. Health and retirement are priced from the premium rate sheets and "
            "employer rates you import below (the agreement's share of the premium of the plan "
            "and tier chosen; the employer rate × pay)."
        )
        rates = rate_files.rows()
        yos = st.slider(
            "Years of service",
            0,
            30,
            key="tc_years",
            **common.initial("tc_years", value=defaults.DEFAULT_YEARS_OF_SERVICE),
        )
        tier, plan = rate_files.tier_plan("tc", rates, with_table)
        dates = {a: common.agency_as_of(a) for a in with_table}
        tc = common.cached(
            total_comp.across_agencies,
            base_agency,
            code,
            dates,
            yos,
            rates=rates,
            tier=tier,
            plan=plan,
        )
        money = ["base_annual", "employer_benefits_annual", "time_off_value_annual", "total_annual"]
        shown = tc.copy()
        for col in money:
            shown[col] = pay.convert_series(shown[col], "annual", c.basis).round(2)
        if c.real and not shown.empty:
            parts = [
                inflation.to_real(shown[shown["agency"] == a], money, d, c.real_month, c.cpi_series)
                for a, d in zip(shown["agency"], shown["effective_date"], strict=True)
            ]
            shown = pd.concat(parts, ignore_index=True)
        elif shown["effective_date"].map(lambda d: pd.Timestamp(d).year).nunique() > 1:
            st.warning(
                "These agencies' dates are years apart and the dollars are nominal: switch the "
                "sidebar to real dollars to compare them.",
                icon=":material/warning:",
            )
        st.caption(
            f"In {c.unit} ({c.dollars_label()}). Employer benefits: what the note lists "
            "(each priced item with its plan, tier, share and rate); not priced: what the "
            "agreement and your rate files do not price, and why."
        )
        cols = ["agency", "class_code", "class_title", "effective_date", "step", *money]
        cols += ["time_off_hours", "missing", "note", "matched_by", "source_refs"]
        common.table(
            shown[cols].rename(columns={"source_refs": "source_ref"}),
            f"total_compensation_{base_agency}_{code}_{yos}y",
            money=tuple(money),
            cited=True,
            key="tc_table",
            column_config={
                labels.header(m): st.column_config.NumberColumn(labels.header(m), format="dollar")
                for m in money
            },
        )
        with st.expander(
            f"Your benefit rates ({benefit_count(rates)}): import, list, remove",
            expanded=rates.empty,
        ):
            rate_files.section()
        st.markdown("**Paid time off a year, by years of service**")
        pto = common.cached(total_comp.time_off_by_service, tuple(all_agencies))
        common.table(pto, "paid_time_off_by_service", cited=True, key="pto_table")
        st.caption(
            "Vacation by the agency's largest bargaining unit where it differs by unit; holidays "
            "are 8 hours a day; sick leave is the accrual. Occasional leaves (bereavement, jury, "
            "voting …) and unpaid time off are not counted."
        )

with tab_prov:
    if tab_prov.open:
        common.not_applying("Pay basis", "dollars", reason="provisions are text.")
        prov = common.cached(warehouse.provisions)
        topics = sorted(prov["topic"].unique())
        topic = st.selectbox(
            "Topic",
            topics,
            format_func=lambda t: labels.label("topic", t),
            key="prov_topic",
            **common.initial(
                "prov_topic", index=topics.index("telework") if "telework" in topics else 0
            ),
        )
        sub = prov[prov["topic"] == topic]
        with_topic = [a for a in all_agencies if (sub["agency"] == a).any()] or all_agencies[:1]
        for col, ag in zip(st.columns(len(with_topic)), with_topic, strict=True):
            with col:
                st.markdown(f"**{common.md_escape(ag)}**")
                for r in sub[sub["agency"] == ag].itertuples():
                    st.text(r.summary)
                    st.caption(r.source_ref)
        if topic == "reopener":
            for clause in common.cached(triggers.reopeners).to_dict("records"):
                st.markdown(
                    f"**{common.md_escape(clause['agency'])} {clause['section']}: CPI reopener**"
                )
                st.caption(f"“{clause['quote']}” — {clause['source_ref']}")
                check = common.cached(triggers.cpi_reopener, clause, c.cpi_series)
                common.table(check, f"cpi_reopener_{clause['agency']}", cited=True)
        missing = [a for a in all_agencies if a not in with_topic]
        if missing:
            st.caption(f"No {topic} provision in the loaded documents of {', '.join(missing)}.")
        common.table(sub, f"provisions_{topic}", cited=True)
