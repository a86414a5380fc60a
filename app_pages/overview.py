"""Overview: the agreements loaded, what the warehouse holds, the audit, and what each page
answers."""

import streamlit as st

from app_pages import common

st.title("Comparative bargaining analytics")
st.markdown(
    "Salary schedules, wage increases, premiums, benefit shares and survey lists read from the "
    "published agreements of **Sonoma** (SEIU 707, 2002–2008), **Mendocino** (SEIU 1021, "
    "2015–2017) and **Contra Costa** (AFSCME 2700, 1993–1995) counties. Every number links to "
    "the line of the agreement it came from. The agreements are from different eras: dollars "
    "are **nominal** unless a page says they are adjusted for inflation."
)

st.subheader("Agreements loaded")
cov = common.q("coverage")
st.dataframe(
    common.display(cov),
    hide_index=True,
    width="stretch",
    column_config={
        "union_name": "union",
        "printed_dates": st.column_config.NumberColumn(
            "printed schedule dates", help="Schedules printed in the agreement"
        ),
        "schedule_dates": st.column_config.NumberColumn(
            "all schedule dates", help="Including schedules derived from the text's increases"
        ),
    },
)
st.caption(
    "Contra Costa's letter of understanding has no salary table or class list: its wages move "
    "in salary levels (1 level = ×1.001), so it appears in wage increases, benefits, premiums "
    "and provisions, not in pay comparisons. Sonoma's range numbers are cents per hour of step "
    "A (Art. 3.2); steps B–I and the 2005–2007 schedules are derived and marked so."
)

st.subheader("Arithmetic audit of the printed tables")
summary = common.q_sources("audit_summary")
c = st.columns(max(len(summary), 1))
CHECKS = {
    "a_step_change": "A-step changes",
    "step_ratio": "5% steps",
    "biweekly_80x": "biweekly = 80 × hourly",
}
for col, r in zip(c, summary.itertuples(), strict=False):
    col.metric(
        f"{r.agency}: {CHECKS.get(r.check, r.check)}",
        f"{r.n:,} {r.status}",
        help="A-step changes: each printed A step against the previous printed date × the 8.1 "
        "general increase × the class's Appendix B adjustment.",
    )
unexplained = int(summary[summary["status"] == "unexplained"]["n"].sum())
st.caption(
    f"{unexplained} printed value{'s are' if unexplained != 1 else ' is'} not explained by "
    "the agreement's own increases — see "
    "Sources and audit. Sonoma: each A step against the previous date × the 8.1 general "
    "increase × the class's Appendix B adjustment. Mendocino: 5% steps and biweekly = 80 × "
    "hourly."
)

st.subheader("What each page answers")
pages = [
    (
        "app_pages/schedules.py",
        "Salary schedules",
        "What does a class earn at each step, on each date, hourly to annual?",
    ),
    (
        "app_pages/steps.py",
        "Step progression",
        "How long to the top step, and what does a new hire earn year by year, in today's dollars?",
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
        "Which premiums does each agency pay, in $/hour and % of base; who pays what share of "
        "health premiums; telework, merit and reopener rules side by side.",
    ),
    (
        "app_pages/costing.py",
        "Costing",
        "What does a proposal cost, year by year, against the agreement as written?",
    ),
    (
        "app_pages/sources.py",
        "Sources and audit",
        "Where does a number come from? The agreement text around any value, and the audit.",
    ),
]
for path, title, question in pages:
    c1, c2 = st.columns([1, 3])
    c1.page_link(path, label=title)
    c2.markdown(question)
