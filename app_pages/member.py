"""My pay: a member's view — pay today, the next step and when, pay through the agreement's
term with each increase (nominal and real), and the same class elsewhere. Laid out in one
column so it reads on a phone."""

import pandas as pd
import streamlit as st

from analysis import agencies, inflation, warehouse
from analysis.member import class_figures as member_class
from analysis.member import pay as member
from analysis.member import total as member_total
from app_pages import benefit_rates as rate_files
from app_pages import common
from etl import defaults, pay
from etl.citations import join_refs
from exports import handout
from exports.site import manifest as site_manifest

st.title("My pay")
c = common.choices()
if not c.has_salary_table:
    st.info(f"{c.agency} has no salary table; pick an agency with one in the sidebar (☰).")
    st.stop()

classes = common.cached(warehouse.classes, c.agency)
classes = classes[~classes["payroll_only"].fillna(False).astype(bool)].drop_duplicates("class_code")
titles = dict(zip(classes["class_code"], classes["class_title"], strict=True))
code = st.selectbox(
    f"My class ({c.agency})",
    list(titles),
    format_func=lambda k: f"{titles[k]} ({k})",
    key=f"me_class_{c.agency}",
)
how = st.radio("I know", ["my hire date", "my step"], horizontal=True, key="me_how")
rule = common.cached(agencies.step_rule, c.agency, c.as_of)
hire, step = None, None
if how == "my hire date":
    # Any date the app takes is accepted here and checked below: a field bounded by the as-of
    # date kept its last value when a later one was typed, and the page computed with it.
    hire = st.date_input(
        "Hired into this class on",
        value=c.as_of,
        min_value=defaults.EARLIEST_DATE,
        max_value=defaults.LATEST_DATE,
        key=f"me_hire_{c.agency}",
        format="MM/DD/YYYY",
        help=f"On or before the as-of date ({c.as_of:%m/%d/%Y}). To see a later hire, move "
        "the sidebar's date.",
    )
    if hire > c.as_of:
        st.warning(
            f"The hire date {hire:%m/%d/%Y} is after the as-of date ({c.as_of:%m/%d/%Y}): "
            "there is no pay to show yet. Move the sidebar's date past the hire, or enter an "
            "earlier hire date."
        )
        st.stop()
    st.caption(
        f"Figures for a hire on {hire:%m/%d/%Y}"
        + (", the as-of date: enter your hire date to see your step." if hire == c.as_of else ".")
    )
else:
    step = st.selectbox("My step", list(rule.steps), key=f"me_step_{c.agency}")

try:
    me = common.cached(
        member.my_pay,
        c.agency,
        code,
        c.as_of,
        hire_date=hire,
        step=step,
        real_month=c.real_month,
        cpi_series=c.cpi_series,
    )
except ValueError as exc:
    st.warning(common.md_escape(str(exc)))
    st.stop()
# Everything `me` and the class figures are computed from: the key of the page's own tables.
INPUTS = (c.agency, code, c.as_of, hire, step, c.real_month, c.cpi_series)


def money(hourly: float) -> str:
    return f"${pay.convert(hourly, 'hourly', c.basis):,.2f} {c.unit.removeprefix('$ ')}"


def in_real(hourly: float, when) -> str:
    """The headline's real equivalent, when the sidebar asks for real dollars (the headline
    itself is what the schedule pays: nominal)."""
    if not c.real:
        return ""
    f = inflation.factor(when, c.real_month, c.cpi_series)
    return f" · in {c.dollars_label()}: {money(hourly * f)} (derived: × {f:.4f})"


st.metric(
    f"On {c.as_of:%m/%d/%Y} (the as-of date), step {me.step}" + (", nominal" if c.real else ""),
    money(me.now["hourly"]),
    f"schedule of {me.now['schedule_date']:%m/%d/%Y}",
    delta_color="off",
    delta_arrow="off",
)


def cited(row) -> str:
    """A headline rate's source, and how it was derived when the schedule does not print it
    (a step computed from the printed one)."""
    how = row.get("derivation") if row.get("basis") == "derived" else None
    return f"Source: {row['source_ref']}" + (f" · derived: {how}" if how else "")


st.caption(common.md_escape(cited(me.now) + in_real(me.now["hourly"], c.as_of)))
if me.next_step is None:
    st.metric("Next step", "You are at the top step")
else:
    rise = me.next_pay["hourly"] / me.now["hourly"] - 1
    st.metric(
        f"Next step: {me.next_step}" + (", nominal" if c.real else ""),
        money(me.next_pay["hourly"]),
        (f"from {me.next_date:%m/%d/%Y}, " if me.next_date else "") + f"+{rise:.1%}",
        delta_color="off",
        delta_arrow="off",
    )
    real_next = in_real(me.next_pay["hourly"], me.next_date or c.as_of)
    st.caption(common.md_escape(cited(me.next_pay) + real_next))

site_dir, site_url = defaults.site_dir(), defaults.site_url()
published = site_manifest.page_for(site_dir, c.agency, code) if site_dir and site_url else None
if published:
    st.link_button(
        "This class on the members' site (every step, printable)",
        site_manifest.page_url(site_url, published),
        icon=":material/open_in_new:",
    )

st.subheader("Through the agreement's term")
if me.through_term.empty:
    st.caption("The agreement's schedules end before this date: no later pay is known.")
else:
    t = me.through_term
    path = common.derived(
        "my_pay_path",
        (*INPUTS, c.basis),
        lambda: pd.DataFrame(
            {
                "date": t["date"].dt.date,
                "step": t["step"],
                f"{c.basis} (nominal)": pay.convert_series(t["hourly"], "hourly", c.basis).round(2),
                f"{c.basis} (real)": pay.convert_series(t["annual_real"], "annual", c.basis).round(
                    2
                ),
                "what changes": t["event"],
                "source_ref": t["source_ref"],
            }
        ),
    )
    common.table(
        path,
        f"my_pay_{c.agency}_{code}",
        money=(f"{c.basis} (nominal)", f"{c.basis} (real)"),
        cited=True,
        key="me_path",
    )

# The class's own figures, the members' site's definition (analysis/member/class_figures.py).
try:
    fig = common.cached(
        member_class.class_figures,
        c.agency,
        code,
        None,
        c.as_of,
        real_month=c.real_month,
        cpi_series=c.cpi_series,
    )
except ValueError as exc:
    fig = None
    st.caption(common.md_escape(str(exc)))
st.subheader("Every increase over the term")
if fig is not None and not fig.increases.empty:
    inc = fig.increases
    top = inc["top_step"].iloc[0]
    common.table(
        common.derived(
            "my_pay_increases",
            (*INPUTS, c.basis),
            lambda: pd.DataFrame(
                {
                    "date": inc["date"],
                    "what changes": ["; ".join(w) or "schedule" for w in inc["what"]],
                    f"step {top}, {c.basis} (nominal)": pay.convert_series(
                        inc["top_hourly"], "hourly", c.basis
                    ).round(2),
                    f"step {top}, {c.basis} (real)": pay.convert_series(
                        inc["top_annual_real"], "annual", c.basis
                    ).round(2),
                    # as text: the first schedule has no change to show (not "None")
                    "change at the top step": [
                        "(the first schedule)" if pd.isna(x) else f"{x:+.2f}%"
                        for x in inc["change_pct"]
                    ],
                    "source_ref": inc["source_ref"],
                }
            ),
        ),
        f"increases_{c.agency}_{code}",
        money=(f"step {top}, {c.basis} (nominal)", f"step {top}, {c.basis} (real)"),
        cited=True,
        key="me_increases",
    )
    st.caption(common.md_escape(f"Real: {fig.real_label}. The change is computed from the rates."))
named = fig.premiums if fig is not None else None
if named is not None:
    named = common.derived(
        "my_pay_premiums",
        INPUTS,
        lambda: named[named["applies"].isin(["this class", "its unit"])][
            ["premium", "basis", "value", "usd_per_hour_top", "eligibility", "source_ref"]
        ],
    )
if named is not None and not named.empty:
    with st.expander(f"Premiums written for this class or its unit ({len(named)})"):
        common.table(
            named,
            f"premiums_{c.agency}_{code}",
            key="me_premiums",
        )

st.subheader("The same class elsewhere")
if me.others.empty:
    st.caption("No comparable class in the other agencies' schedules.")
else:
    o = me.others
    elsewhere = common.derived(
        "my_pay_elsewhere",
        (*INPUTS, c.basis),
        lambda: pd.DataFrame(
            {
                "agency": o["agency"],
                "class": o["class_title"] + " (" + o["class_code"] + ")",
                "step": o["step"],
                f"{c.basis} (real)": pay.convert_series(o["annual_real"], "annual", c.basis).round(
                    2
                ),
                "schedule": pd.to_datetime(o["schedule_date"]).dt.date,
                "source_ref": o["source_ref"],
            }
        ),
    )
    common.table(
        elsewhere, f"elsewhere_{c.agency}_{code}", money=(f"{c.basis} (real)",), key="me_others"
    )
    st.caption(
        "Each at the same place in its range, on its own agency's date, in real dollars so "
        "different eras compare."
    )
st.subheader("Total compensation")
rates = rate_files.rows()
mine = rates[rates["agency"] == c.agency]
tier, plan = (None, None)
if not mine.empty:
    tier, plan = rate_files.tier_plan("me", rates, [c.agency])
total = common.cached(
    member_total.total_compensation,
    c.agency,
    code,
    c.as_of,
    hire_date=hire,
    step=me.step if hire is None else None,
    rates=mine,
    tier=tier,
    plan=plan,
)
if not total.priced:
    st.info(
        f"Health and retirement are not in this total: no premium rate sheet or retirement "
        f"rate of {c.agency} is imported (Premiums and benefits page, Total compensation). "
        "What the agreement prices by itself is counted.",
        icon=":material/info:",
    )
parts = total.table()
parts[f"{c.basis}"] = pay.convert_series(parts["annual"], "annual", c.basis).round(2)
common.table(
    parts[["part", c.basis]],
    f"my_total_{c.agency}_{code}",
    money=(c.basis,),
    readable=False,
    key="me_total",
)
st.caption("**Included:** " + common.md_escape("; ".join(total.included) or "pay only"))
st.caption(
    "**Not included:** " + common.md_escape("; ".join(total.not_included) or "nothing listed")
)
st.caption("Sources: " + common.md_escape(join_refs(total.refs)))
for note in me.notes:
    st.caption(common.md_escape(note))

comparators = common.cached(agencies.default_comparators, c.agency, None, c.as_of)
st.download_button(
    "Handout of my class (print-ready HTML)",
    lambda: (
        common.cached(
            handout.class_handout,
            c.agency,
            [code],
            c.as_of,
            list(comparators),
            prepared_by=common.actor(),
        ).html
    ),
    f"handout_{c.agency}_{code}_{c.as_of}.html",
    "text/html",
    key="me_handout",
    on_click="ignore",
    icon=":material/print:",
)
