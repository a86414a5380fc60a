"""Salary schedules: any agency, unit and effective date, in any pay basis, nominal or real."""

import streamlit as st

from analysis import agencies, inflation, warehouse
from app_pages import common

st.title("Salary schedules")
c = common.choices()
if not c.has_salary_table:
    reason = common.cached(agencies.agencies).set_index("agency").loc[c.agency, "no_table_reason"]
    st.info(
        f"{c.agency} has no salary table: {reason}. Its wage increases, premiums and benefit "
        "shares are on the other pages; pick an agency with a salary table in the sidebar."
    )
    st.stop()

dates = common.cached(warehouse.schedule_dates, c.agency)
options = [d.date() for d in dates["effective_date"]]
derived = dict(zip(options, dates["all_derived"], strict=True))
on = [d for d in options if d <= c.as_of] or options[:1]
eff = on[-1]
c1, c2, c3 = st.columns([1, 1, 2])
c1.selectbox(
    "Schedule (sets the sidebar's date)",
    options,
    index=options.index(eff),
    format_func=lambda d: f"{d:%m/%d/%Y}" + (" (derived)" if derived[d] else ""),
    key=f"sched_pick_{c.agency}_{eff}",
    on_change=lambda: common.set_as_of(c.agency, st.session_state[f"sched_pick_{c.agency}_{eff}"]),
)
units = common.cached(warehouse.bargaining_units, c.agency)
unit = c2.selectbox("Bargaining unit", ["All", *units], key="sched_unit")
search = c3.text_input("Class title or code contains", key="sched_search")

wide, example = common.cached(
    warehouse.schedule_table, c.agency, eff, None if unit == "All" else unit, search, c.basis
)
steps = [col for col in wide.columns if col not in warehouse.WIDE_INFO_COLUMNS]
if c.real:
    wide = inflation.to_real(wide, steps, eff, c.real_month, c.cpi_series)
st.caption(
    f"{len(wide):,} classes · schedule of {eff:%m/%d/%Y} · {c.basis} pay, {c.unit} · "
    + (wide.attrs["real"] if c.real else "nominal dollars of the schedule's date")
)
if derived[eff]:
    st.warning(
        "This schedule is not printed in the agreement: it is derived from the increases its "
        "text states (see How derived, below, and Sources)."
    )
if not example.empty:
    st.caption(
        f"How derived, e.g. {example['class_title'].iloc[0]}: {example['derivation'].iloc[0]}"
    )
common.table(wide, f"schedule_{c.agency}_{eff}_{c.basis}", money=tuple(steps), cited=True)
