"""Overview: the agreements loaded, what the warehouse holds, the audit, and what each page
answers."""

import streamlit as st

from analysis import agencies, sources, warehouse
from app_pages import common

st.title("Comparative bargaining analytics")
table = common.cached(agencies.agencies)
published = table[table["kind"].str.contains("published")]
imported = table[table["kind"].str.contains("imported")]
st.markdown(
    f"Salary schedules, wage increases, premiums, benefit shares and survey lists read from "
    f"{len(published)} published agreements"
    + (f" and {len(imported)} you imported" if len(imported) else "")
    + ". Every number links to the line of the agreement (or the row of your file) it came "
    "from. The agreements are from different eras: dollars are **nominal** unless a page says "
    "they are adjusted for inflation."
)
common.not_applying(
    "Pay basis", "dollars", reason="this page counts what is loaded; it shows no pay."
)

st.subheader("Agreements loaded")
cov = common.cached(warehouse.coverage)
common.table(cov, "agreements_loaded")
st.caption(
    "Printed schedule dates are printed in the agreement; all schedule dates include those "
    "derived from the text's increases (marked derived wherever they appear)."
)
for r in table[~table["has_salary_table"]].itertuples():
    st.caption(f"{r.agency}: no salary table — {r.no_table_reason}.")

st.subheader("Arithmetic audit of the printed tables")
checks = common.cached(sources.audit_by_check)
common.table(
    checks.rename(columns={"explained": "Explained", "unexplained": "Not explained"}),
    "audit_by_check",
    key="overview_audit",
)
st.caption(
    "Each printed value checked against what the agreement's own increases and step rules "
    "say it should be (Sources and audit page)."
)
unexplained = int(checks["unexplained"].sum())
st.caption(
    f"{unexplained} printed value{'s are' if unexplained != 1 else ' is'} not explained by "
    "the agreement's own increases — see Sources and audit."
)

st.subheader("What each page answers")
PAGES = [
    ("app_pages/member.py", "My pay", "What do I get now, at my next step, and through the term?"),
    (
        "app_pages/schedules.py",
        "Salary schedules",
        "What does a class earn at each step, on each date, hourly to annual?",
    ),
    (
        "app_pages/steps.py",
        "Step progression",
        "How long to the top step, and what does a new hire earn year by year?",
    ),
    (
        "app_pages/market_gap.py",
        "Market gap",
        "How far below (or above) the market is each benchmark class, and how was it matched?",
    ),
    (
        "app_pages/surveys.py",
        "Survey comparisons",
        "Who surveys whom, which comparators have data, and adding outside survey data.",
    ),
    (
        "app_pages/premiums.py",
        "Premiums and benefits",
        "Which premiums each agency pays, who pays what share of health premiums, time off and "
        "total compensation, and provisions side by side.",
    ),
    (
        "app_pages/costing/page.py",
        "Costing",
        "What does a proposal cost, year by year, against the agreement as written?",
    ),
    (
        "app_pages/agreements.py",
        "Add an agreement",
        "Bring in any salary table (PDF, CSV or XLSX) as an agency of its own, and an "
        "agreement's text to search.",
    ),
    (
        "app_pages/clauses.py",
        "Clauses",
        "What does each agreement say about a topic (bilingual pay, call-back, layoff)?",
    ),
    (
        "app_pages/sources.py",
        "Sources and audit",
        "Where does a number come from? The text around any value, whole documents, the audit.",
    ),
    ("app_pages/your_data.py", "Your data", "What you saved and imported, and who changed what."),
]
for path, title, question in PAGES:
    c1, c2 = st.columns([1, 3])
    c1.page_link(path, label=title)
    c2.markdown(question)
