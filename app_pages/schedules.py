"""Salary schedules: browse any agency, unit and effective date in any pay basis."""

import streamlit as st

from analysis import warehouse
from app_pages import common

st.title("Salary schedules")
agency = st.session_state[common.AGENCY]
basis = st.session_state[common.PAY_BASIS]

dates = common.q("schedule_dates", agency)
if dates.empty:
    st.info(
        f"{agency}'s agreement has no salary table. Its wage increases, premiums and benefit "
        "shares are on the other pages; pick Sonoma or Mendocino in the sidebar for schedules."
    )
    st.stop()

labels = {
    r.effective_date: f"{r.effective_date:%m/%d/%Y}" + (" (derived)" if r.all_derived else "")
    for r in dates.itertuples()
}
c1, c2, c3 = st.columns([1, 1, 2])
eff = c1.selectbox("Effective date", list(labels), format_func=labels.get, key="sched_date")
units = common.q("bargaining_units", agency)
unit = c2.selectbox("Bargaining unit", ["All", *units], key="sched_unit")
search = c3.text_input("Class title or code contains", key="sched_search")

long = common.q("schedule", agency, eff, None if unit == "All" else unit, search)
wide = warehouse.schedule_wide(long, basis)
st.caption(
    f"{len(wide):,} classes · {basis} pay · "
    + (
        "steps B–I are derived at 2.5% per step from the printed A step (range number / 100)"
        if agency == "Sonoma"
        else "steps 1–5 as printed in Attachment B"
    )
)
if labels[eff].endswith("(derived)"):
    st.warning(
        "This schedule is not printed in the agreement: it is derived from the general "
        "increases of the agreement's text (see the derivation column in the export)."
    )
st.dataframe(wide, hide_index=True, width="stretch")
