"""Entry point: page config, the database check, and navigation. Pages live in app_pages/."""

from __future__ import annotations

import streamlit as st

from app_pages import common

st.set_page_config(page_title="Bargaining analytics", page_icon=":material/balance:", layout="wide")

common.ensure_database_ui()

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("app_pages/schedules.py", title="Salary schedules", icon=":material/table_chart:"),
    st.Page("app_pages/steps.py", title="Step progression", icon=":material/trending_up:"),
    st.Page("app_pages/market_gap.py", title="Market gap", icon=":material/bar_chart:"),
    st.Page("app_pages/surveys.py", title="Survey comparisons", icon=":material/hub:"),
    st.Page("app_pages/premiums.py", title="Premiums and benefits", icon=":material/receipt_long:"),
    st.Page("app_pages/costing.py", title="Costing", icon=":material/calculate:"),
    st.Page("app_pages/sources.py", title="Sources and audit", icon=":material/search:"),
]
nav = st.navigation(PAGES)
common.sidebar()
nav.run()
