"""Entry point: page config, the database check, and navigation. Pages live in app_pages/."""

from __future__ import annotations

import streamlit as st

from app_pages import common

st.set_page_config(page_title="Bargaining analytics", page_icon="⚖️", layout="wide")

common.ensure_database_ui()

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon="🏠", default=True),
    st.Page("app_pages/schedules.py", title="Salary schedules", icon="💵"),
    st.Page("app_pages/steps.py", title="Step progression", icon="📈"),
    st.Page("app_pages/market_gap.py", title="Market gap", icon="📊"),
    st.Page("app_pages/surveys.py", title="Survey comparisons", icon="🗺️"),
    st.Page("app_pages/premiums.py", title="Premiums and benefits", icon="🧾"),
    st.Page("app_pages/costing.py", title="Costing", icon="🧮"),
    st.Page("app_pages/sources.py", title="Sources and audit", icon="🔎"),
]
nav = st.navigation(PAGES)
common.sidebar()
nav.run()
