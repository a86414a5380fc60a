"""Entry point: page config, the database check, and navigation. Pages live in app_pages/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import common

# A local icon: a Material icon here would make the browser fetch it from Google's servers.
ICON = str(Path(__file__).resolve().parent / "app_pages" / "static" / "icon.png")
st.set_page_config(page_title="Bargaining analytics", page_icon=ICON, layout="wide")

common.ensure_database_ui()

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("app_pages/member.py", title="My pay", icon=":material/person:"),
    st.Page("app_pages/schedules.py", title="Salary schedules", icon=":material/table_chart:"),
    st.Page("app_pages/steps.py", title="Step progression", icon=":material/trending_up:"),
    st.Page("app_pages/market_gap.py", title="Market gap", icon=":material/bar_chart:"),
    st.Page("app_pages/surveys.py", title="Survey comparisons", icon=":material/hub:"),
    st.Page("app_pages/premiums.py", title="Premiums and benefits", icon=":material/receipt_long:"),
    st.Page(
        "app_pages/costing/page.py",
        title="Costing",
        url_path="costing",
        icon=":material/calculate:",
    ),
    st.Page("app_pages/agreements.py", title="Add an agreement", icon=":material/upload_file:"),
    st.Page("app_pages/clauses.py", title="Clauses", icon=":material/find_in_page:"),
    st.Page("app_pages/sources.py", title="Sources and audit", icon=":material/search:"),
    st.Page("app_pages/your_data.py", title="Your data", icon=":material/folder_shared:"),
]
nav = st.navigation(PAGES)
common.run_page(nav)
