"""Overview: which agreements are loaded and what each page answers."""

import streamlit as st

from app_pages import common

st.title("Comparative bargaining analytics")
st.caption(
    "Salary schedules, wage increases, premiums and benefit shares read from the published "
    "agreements; every number links to the line of the agreement it came from."
)
agreements = common.q("agreements")
st.subheader("Agreements loaded")
st.dataframe(agreements, hide_index=True, width="stretch")
