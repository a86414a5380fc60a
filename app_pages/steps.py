"""Step progression: pay by step and a new hire's pay month by month, across agencies,
in nominal or real dollars."""

import pandas as pd
import streamlit as st

from analysis import agencies, charts, inflation, steps, trajectory
from app_pages import common
from etl import pay

st.title("Step progression")
basis = st.session_state[common.PAY_BASIS]
real = st.session_state[common.DOLLARS] == "real"
unit = charts.BASIS_UNIT[basis]

options: dict[str, tuple[str, str]] = {}
for agency in ("Sonoma", "Mendocino"):
    cl = common.q("classes", agency)
    for r in cl[~cl["payroll_only"].fillna(False)].itertuples():
        options[f"{agency} · {r.class_title} ({r.class_code})"] = (agency, r.class_code)
default = [k for k in options if k.startswith("Sonoma · ACCOUNT CLERK II (")] + [
    k for k in options if k.startswith("Mendocino · ACCOUNT CLERK II (")
]
picked = st.multiselect(
    "Classes (type to search; Contra Costa has no salary table)",
    list(options),
    default=default,
    key="steps_classes",
    max_selections=8,
)
if not picked:
    st.info("Pick one or more classes to compare.")
    st.stop()

series = st.session_state[common.CPI_SERIES]
c1, c2, c3 = st.columns(3)
project = c1.number_input(
    "Project beyond the agreement at % a year (0 = stop at the term)",
    0.0,
    10.0,
    0.0,
    0.5,
    key="steps_project",
)
years = c2.slider("Years after hire", 1, 15, 8, key="steps_years")
if real:
    latest = inflation.latest_month(series)
    ref = c3.date_input("Real dollars of month", latest, max_value=latest, key="steps_ref")
    st.caption(f"Showing {inflation.label(series, ref)}.")
else:
    ref = None
    c3.caption("Nominal dollars: switch to real in the sidebar to adjust for inflation.")


def _to_basis(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["value"] = pay.convert_series(df["hourly"], "hourly", basis).round(2)
    if real:
        df = inflation.adjust_series(df, "value", "date", ref, series)
        df["value"] = df["value_real"].round(2)
    return df


tab_top, tab_traj, tab_steps = st.tabs(
    ["Time to top step", "A new hire's pay over time", "Pay by step"]
)

summary, trajs = [], []
for label in picked:
    agency, code = options[label]
    hire = common.q("schedule_dates", agency)["effective_date"].min().date()
    t = common.cached_call(trajectory.trajectory, agency, code, hire, years * 12, project or None)
    t = t.assign(label=label, date=pd.to_datetime(t["date"]))
    t = _to_basis(t)
    trajs.append(t)
    rule = common.cached_call(agencies.step_rule, agency)
    timeline = steps.step_timeline(rule)
    months = steps.time_to_top(rule)
    at_top = t[t["month_index"] == months]
    row = {
        "class": label,
        "hired": hire,
        "months to top step": months,
        "years to top step": months / 12,
        "top step": timeline["step"].iloc[-1],
    }
    latest = inflation.latest_month(series)
    if not at_top.empty:
        r = at_top.iloc[0]
        when, pay_note = (
            r["date"].date(),
            f"{pd.Timestamp(r['schedule_date']):%m/%d/%Y} ({r['basis']})",
        )
        nominal_annual, src = r["annual"], r["source_ref"]
    else:
        # The agreement ends before a new hire reaches the top: show the top step of the last
        # known schedule, and say so.
        last = common.q("schedule_dates", agency)["effective_date"].max()
        sched = common.q("schedule", agency, last.date(), None, code)
        top_row = sched[(sched["class_code"] == code) & (sched["step"] == row["top step"])].iloc[0]
        when = last.date()
        nominal_annual, src = top_row["annual"], top_row["source_ref"]
        pay_note = (
            f"agreement ends before the top step is reached; top step of the last "
            f"known schedule, {last:%m/%d/%Y}"
        )
    row.update(
        {
            "annual at top, nominal": nominal_annual,
            "as of": when,
            "schedule": pay_note,
            f"annual at top, in {latest:%b %Y} dollars": round(
                inflation.adjust(nominal_annual, when, latest, series), 0
            ),
            "source": src,
        }
    )
    summary.append(row)

with tab_top:
    st.markdown(
        "Merit steps are **not automatic**: the times below assume every merit is approved on "
        "the first eligible date, full-time. Sonoma (8.16.2): first merit after 1,040 hours in "
        "the class, then one per 2,080 hours at each step; each merit ≈ 5% = two 2.5% steps. "
        "Mendocino (7.5): one step per 26 pay periods with a satisfactory rating."
    )
    table = pd.DataFrame(summary)
    for r in summary:
        if "annual at top, nominal" in r:
            latest = [k for k in r if k.startswith("annual at top, in ")][0]
            st.metric(
                r["class"],
                f"{r['years to top step']:g} years to step {r['top step']}",
                f"then ${r['annual at top, nominal']:,.0f}/yr nominal = ${r[latest]:,.0f} "
                f"{latest.removeprefix('annual at top, ')}",
                delta_color="off",
                delta_arrow="off",
            )
    st.dataframe(common.display(table), hide_index=True, width="stretch")
    st.caption(
        "Today's dollars use CPI-U San Francisco–Oakland–Hayward (BLS CUURS49BSA0), the latest "
        "published month. Sources: the step rules' sections and each rate's source line."
    )
    common.download_buttons(table, "time_to_top")

with tab_traj:
    traj = pd.concat(trajs, ignore_index=True)
    fig = charts.trajectory_lines(
        traj,
        "value",
        unit,
        f"A new hire's pay by month, {'real' if real else 'nominal'} dollars, {basis}",
    )
    st.plotly_chart(fig, width="stretch")
    notes = {n for t in trajs for n in t.attrs.get("notes", [])}
    st.caption(
        "Hired on each agreement's first schedule date; includes the general increases carried "
        "by later schedules (printed, derived from the text, or projected at the rate above). "
        + " ".join(sorted(notes))
    )
    cols = [
        "label",
        "month_index",
        "date",
        "step",
        "hourly",
        "value",
        "schedule_date",
        "basis",
        "event",
        "source_ref",
    ]
    st.dataframe(common.display(traj[cols]), hide_index=True, width="stretch")
    common.download_buttons(traj[cols], "trajectory")

with tab_steps:
    rows = []
    for label in picked:
        agency, code = options[label]
        dates = common.q("schedule_dates", agency)
        printed = dates[~dates["all_derived"]]["effective_date"].max()
        eff = st.session_state.get(f"steps_eff_{agency}", printed)
        long = common.q("schedule", agency, pd.Timestamp(eff).date(), None, code)
        long = long[long["class_code"] == code]
        order = {s: i + 1 for i, s in enumerate(sorted(long["step"], key=lambda s: (len(s), s)))}
        long = long.assign(
            label=f"{label}, {pd.Timestamp(eff):%m/%d/%Y}",
            step_index=long["step"].map(order),
            value=long[basis],
            date=pd.Timestamp(eff),
        )
        if real:
            long = inflation.adjust_series(long, "value", "date", ref, series)
            long["value"] = long["value_real"].round(2)
        rows.append(long)
    by_step = pd.concat(rows, ignore_index=True)
    st.plotly_chart(
        charts.step_lines(
            by_step,
            basis,
            f"Pay by step ({'real' if real else 'nominal'}), "
            "latest printed schedule of each agreement",
        ),
        width="stretch",
    )
    st.caption(
        "Sonoma steps B–I are derived at 2.5% per step from the printed A step (Art. "
        "3.2); Mendocino steps 1–5 are printed in Attachment B."
    )
    cols = ["label", "step", "hourly", "value", "is_derived", "derivation", "source_ref"]
    st.dataframe(by_step[cols], hide_index=True, width="stretch")
    common.download_buttons(by_step[cols], "pay_by_step")
