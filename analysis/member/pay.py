"""A member's view: "what do I get?" — pay now, the next step and when, pay through the
agreement's term with each increase, in nominal and real dollars, and the same class in the
other agencies. Every figure carries its source_ref.

The step now comes from the hire date (the step rule's fastest path, every merit approved on
time) or from the step the member says they are at; the next step's date is only known from
a hire date (or a date the member gives for their last step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, inflation, steps, trajectory
from analysis.member import class_figures as member_class
from analysis.member import data as member_data
from etl.pay import hours_to_months
from etl.pay_calendar import add_months, whole_months


@dataclass
class MemberPay:
    agency: str
    class_code: str
    class_title: str
    as_of: date
    step: str
    now: pd.Series  # the step's row of pay_by_step (hourly ... annual, schedule_date, source_ref)
    next_step: str | None
    next_date: date | None  # None: at the top, or unknown (no hire date)
    next_pay: pd.Series | None
    through_term: pd.DataFrame  # one row per change: date, step, hourly, annual, real, event
    others: pd.DataFrame  # the matched class in each other agency
    notes: list[str] = field(default_factory=list)


def my_pay(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    as_of: date,
    *,
    hire_date: date | None = None,
    step: str | None = None,
    real_month: date | None = None,
    cpi_series: str = inflation.DEFAULT_SERIES,
) -> MemberPay:
    """Pay now and ahead for a member of `class_code`, from a hire date or a current step."""
    rule = agencies.step_rule(con, agency, as_of)
    timeline = steps.step_timeline(rule)
    notes = [f"Step rule: {steps.describe_rule(rule)}."]
    next_step, next_date = None, None
    if hire_date is not None:
        months = whole_months(hire_date, as_of)
        step = steps.step_at(timeline, max(months, 0))
        ahead = timeline[timeline["months_from_hire"] > max(months, 0)]
        if not ahead.empty:
            next_step = str(ahead["step"].iloc[0])
            next_date = add_months(hire_date, round(float(ahead["months_from_hire"].iloc[0])))
        notes.append(
            "Steps from the hire date assume every merit was approved on its first eligible "
            "date, full-time, with no unpaid leave; your actual step may differ."
        )
    else:
        step = step or rule.hire_step
        next_step, hours = member_class.next_step(rule, step)
        if next_step is not None:
            notes.append(
                f"The next step comes after {hours_to_months(hours):g} months at "
                "this step (give your hire date to see when)."
            )
    # The class's rows as the class figures read them (once per agency and warehouse build),
    # not one query per use: pay now, at the next step and through the term.
    rates = member_data.class_rows(con, agency, class_code, None)
    by_step = steps.steps_on(rates, rule, as_of).set_index("step")
    now = by_step.loc[step]
    next_pay = None
    if next_step is not None:
        when = next_date or as_of
        at_next = steps.steps_on(rates, agencies.step_rule(con, agency, when), when)
        next_pay = at_next.set_index("step").loc[next_step]
    start = hire_date or as_of
    path = _through_term(con, agency, class_code, start, as_of, step, hire_date is None, rates)
    month = real_month or inflation.latest_month(cpi_series)
    if not path.empty:
        path = inflation.adjust_series(path, "annual", "date", month, cpi_series)
        path["annual_real"] = path["annual_real"].round(0)
    share = rule.steps.index(step) / max(len(rule.steps) - 1, 1)
    others = member_class.elsewhere(con, agency, class_code, (share,), month, cpi_series, notes)
    notes.append(f"Real dollars: {inflation.label(cpi_series, month)}.")
    return MemberPay(
        agency=agency,
        class_code=class_code,
        class_title=str(now.get("class_title") or ""),
        as_of=as_of,
        step=step,
        now=now,
        next_step=next_step,
        next_date=next_date,
        next_pay=next_pay,
        through_term=path,
        others=others,
        notes=notes,
    )


def _through_term(con, agency, class_code, start, as_of, step, from_step, rates) -> pd.DataFrame:
    """The trajectory's rows where pay changes (a step or a new schedule), to the term end."""
    t = trajectory.trajectory(
        con, agency, class_code, start, 15 * 12, start_step=step if from_step else None, rates=rates
    )
    dates = pd.to_datetime(t["date"])
    ahead = t[dates > pd.Timestamp(as_of)]
    held = t[dates <= pd.Timestamp(as_of)].tail(1)  # the row in force on the as-of date
    if held.empty and ahead.empty:
        return ahead
    if not held.empty and pd.Timestamp(held["date"].iloc[0]) < pd.Timestamp(as_of):
        held = held.assign(date=as_of, event="")  # pay on the date itself, not its last change
    t = pd.concat([held, ahead])
    changed = t["hourly"].ne(t["hourly"].shift()) | (t.index == t.index[0])
    out = t[changed].copy()
    out["date"] = pd.to_datetime(out["date"])
    first = out.index[0]  # from a step given, the path starts on the as-of date, not at a hire
    out.loc[first, "event"] = "" if from_step else out.loc[first, "event"]
    out.loc[first, "event"] = out.loc[first, "event"] or "on the as-of date"
    return out[
        ["date", "step", "hourly", "annual", "schedule_date", "basis", "event", "source_ref"]
    ]
