"""Step progression: time to the top step, pay at each step, and a new hire's pay month by
month, for classes of any agencies, in the sidebar's pay basis and dollars."""

import pandas as pd
import streamlit as st

from analysis import agencies, inflation, steps, trajectory, warehouse
from app_pages import common
from etl import pay
from etl.citations import join_refs
from figures import charts

st.title("Step progression")
c = common.choices()
with_table = common.cached(agencies.names, salary_table=True)


def _class_options(with_table: list[str]) -> dict[str, tuple[str, str]]:
    options: dict[str, tuple[str, str]] = {}
    for agency in with_table:
        cl = common.cached(warehouse.classes, agency)
        for r in cl[~cl["payroll_only"].fillna(False).astype(bool)].itertuples():
            options[f"{agency} · {r.class_title} ({r.class_code})"] = (agency, r.class_code)
    return options


# Built once per warehouse build: a thousand options, read on every run.
options = common.derived("steps_options", tuple(with_table), lambda: _class_options(with_table))
subject = c.agency if c.agency in with_table else with_table[0]
mine = [k for k, (a, _) in options.items() if a == subject]
picked = st.multiselect(
    "Classes (type to search; any agency with a salary table)",
    list(options),
    default=mine[:2],
    key=f"steps_classes_{subject}",
    max_selections=8,
)
if not picked:
    st.info("Pick one or more classes to compare.")
    st.stop()

c1, c2 = st.columns(2)
project = c1.number_input(
    "Project beyond the agreement at % a year (0 = stop at the term)",
    0.0,
    10.0,
    0.0,
    0.5,
    key="steps_project",
)
years = c2.slider("Years after hire", 1, 15, 8, key="steps_years")


def in_dollars(df: pd.DataFrame, value_col: str, date_col: str) -> pd.DataFrame:
    """Values (hourly) in the sidebar's basis, then real dollars when chosen."""
    df = df.copy()
    df["value"] = pay.convert_series(df[value_col], "hourly", c.basis).round(2)
    if c.real:
        df = inflation.adjust_series(df, "value", date_col, c.real_month, c.cpi_series)
        df["value"] = df["value_real"].round(2)
    return df


years_of = {a: common.agency_as_of(a).year for a, _ in (options[p] for p in picked)}
if not c.real and max(years_of.values()) - min(years_of.values()) > 2:
    st.warning(
        "These classes are from agreements of different eras "
        f"({', '.join(f'{a} {y}' for a, y in years_of.items())}) shown in nominal dollars: "
        "switch the sidebar to real dollars to compare their pay.",
        icon=":material/warning:",
    )
st.caption(f"Pay in {c.unit}, {c.dollars_label()}.")
PAY_COL = f"{c.basis} pay, {'real' if c.real else 'nominal'}"
NOMINAL_HOURLY = "top step, hourly (nominal)"
# The printed hourly rate beside the sidebar's column only when they differ
SAME_AS_PRINTED = c.basis == "hourly" and not c.real

tab_top, tab_steps, tab_traj = common.tabs(
    ["Time to top step", "Pay by step", "A new hire's pay over time"], key="steps_tab"
)


def _class_part(label: str, agency: str, code: str, when) -> tuple[pd.DataFrame, dict]:
    """One class's pay by step in the sidebar's dollars, and its time-to-top summary row."""
    rule = common.cached(agencies.step_rule, agency, when)
    rows = common.cached(steps.pay_by_step, agency, code, when)
    sched = rows["schedule_date"].iloc[0]
    rows = in_dollars(rows.assign(date=pd.Timestamp(sched)), "hourly", "date")
    rows["step_index"] = range(1, len(rows) + 1)
    rows["label"] = f"{label}, {sched:%m/%d/%Y}"
    rows["is_derived"] = rows["basis"] == steps.DERIVED
    top = rows.iloc[-1]
    summary = {
        "class": label,
        "schedule": f"{sched:%m/%d/%Y}",
        "top step": rule.top_step,
        "months to top step": steps.time_to_top(rule),
        f"top step, {c.basis}": top["value"],
    }
    if not SAME_AS_PRINTED:  # the rate as printed, beside the converted one
        summary[NOMINAL_HOURLY] = top["hourly"]
    return rows, {
        **summary,
        "derived": "derived" if top["basis"] == steps.DERIVED else "",
        "step rule": steps.describe_rule(rule),
        "source_ref": join_refs([top["source_ref"], rule.source_ref]),
    }


summary, by_step, trajs = [], [], []
for label in picked:
    agency, code = options[label]
    when = common.agency_as_of(agency)
    # Built once per class and dollars (the inputs in the key), not on every run.
    rows, row = common.derived(
        "steps_class",
        (label, agency, code, when, c.basis, c.real, c.real_month, c.cpi_series),
        lambda label=label, agency=agency, code=code, when=when: _class_part(
            label, agency, code, when
        ),
    )
    by_step.append(rows)
    summary.append(row)
    sched = rows["schedule_date"].iloc[0]
    if tab_traj.open:  # month-by-month pay only when its tab is shown
        hire = max(when, sched)
        t = common.cached(trajectory.trajectory, agency, code, hire, years * 12, project or None)
        t = in_dollars(t.assign(label=label, date=pd.to_datetime(t["date"])), "hourly", "date")
        trajs.append(t)

with tab_top:
    if tab_top.open:
        for r in summary:
            st.metric(
                r["class"],
                f"{r['months to top step'] / 12:g} years to step {r['top step']}",
                f"then ${r[f'top step, {c.basis}']:,.2f} {c.unit.removeprefix('$ ')} "
                f"on the {r['schedule']} schedule",
                delta_color="off",
                delta_arrow="off",
            )
        st.caption(
            "Merit steps are not automatic in the agreements: the times assume every merit is "
            "approved on the first eligible date, full-time, no unpaid leave. Each step rule is "
            "quoted in Sources (view step_rules)."
        )
        common.table(
            pd.DataFrame(summary),
            "time_to_top",
            money=(f"top step, {c.basis}", NOMINAL_HOURLY),
            cited=True,
        )

with tab_steps:
    if tab_steps.open:
        long = pd.concat(by_step, ignore_index=True)
        common.chart(
            common.figure(charts.step_lines, long, c.basis, f"Pay by step, {c.dollars_label()}"),
            "steps_by_step",
            "Each class's schedule in force on its agency's sidebar date (named in the legend). "
            "Derived steps are marked in the table. Sources: each row's source line.",
        )
        cols = ["label", "step", "hourly", "value", "is_derived", "derivation", "source_ref"]
        cols = [k for k in cols if not (SAME_AS_PRINTED and k == "hourly")]
        shown = long[cols].rename(columns={"value": PAY_COL})
        common.table(shown, "pay_by_step", money=("hourly", PAY_COL), cited=True)

with tab_traj:
    if tab_traj.open:
        traj = pd.concat(trajs, ignore_index=True)
        common.chart(
            common.figure(
                charts.trajectory_lines,
                traj,
                "value",
                c.unit,
                f"A new hire's pay by month, {c.dollars_label()}",
            ),
            "steps_trajectory",
            "Hired on each agency's sidebar date; includes the general increases carried by later "
            "schedules (printed, derived from the text, or projected at the rate above). "
            + " ".join(sorted({n for t in trajs for n in t.attrs.get("notes", [])})),
        )
        cols = ["label", "month_index", "date", "step", "hourly", "value", "schedule_date"]
        cols += ["basis", "event", "source_ref"]
        cols = [k for k in cols if not (SAME_AS_PRINTED and k == "hourly")]
        shown = traj[cols].rename(columns={"value": PAY_COL, "basis": "printed / derived"})
        common.table(shown, "trajectory", money=("hourly", PAY_COL), cited=True)
