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
from analysis.crosswalk import match as crosswalk
from etl.pay import hours_to_months


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


def _add_months(d: date, months: float) -> date:
    return (pd.Timestamp(d) + pd.DateOffset(months=int(round(months)))).date()


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
        months = (as_of.year - hire_date.year) * 12 + as_of.month - hire_date.month
        months -= as_of.day < hire_date.day
        step = steps.step_at(timeline, max(months, 0))
        ahead = timeline[timeline["months_from_hire"] > max(months, 0)]
        if not ahead.empty:
            next_step = str(ahead["step"].iloc[0])
            next_date = _add_months(hire_date, float(ahead["months_from_hire"].iloc[0]))
        notes.append(
            "Steps from the hire date assume every merit was approved on its first eligible "
            "date, full-time, with no unpaid leave; your actual step may differ."
        )
    else:
        step = step or rule.hire_step
        if step not in rule.steps:
            raise ValueError(f"{agency} steps are {', '.join(rule.steps)}; got {step!r}")
        idx = rule.steps.index(step)
        if idx < len(rule.steps) - 1:
            next_step = rule.steps[min(idx + rule.steps_per_advance, len(rule.steps) - 1)]
            notes.append(
                f"The next step comes after {hours_to_months(rule.advance_hours):g} months at "
                "this step (give your hire date to see when)."
            )
    by_step = steps.pay_by_step(con, agency, class_code, as_of).set_index("step")
    now = by_step.loc[step]
    next_pay = None
    if next_step is not None:
        when = next_date or as_of
        next_pay = steps.pay_by_step(con, agency, class_code, when).set_index("step").loc[next_step]
    start = hire_date or as_of
    path = _through_term(con, agency, class_code, start, as_of, step, hire_date is None)
    month = real_month or inflation.latest_month(cpi_series)
    if not path.empty:
        path = inflation.adjust_series(path, "annual", "date", month, cpi_series)
        path["annual_real"] = path["annual_real"].round(0)
    others = _others(con, agency, class_code, step, rule)
    if not others.empty:
        others = inflation.adjust_series(others, "annual", "schedule_date", month, cpi_series)
        others["annual_real"] = others["annual_real"].round(0)
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


def _through_term(con, agency, class_code, start, as_of, step, from_step) -> pd.DataFrame:
    """The trajectory's rows where pay changes (a step or a new schedule), to the term end."""
    t = trajectory.trajectory(
        con, agency, class_code, start, 15 * 12, start_step=step if from_step else None
    )
    t = t[pd.to_datetime(t["date"]) >= pd.Timestamp(as_of)]
    if t.empty:
        return t
    changed = t["hourly"].ne(t["hourly"].shift()) | (t.index == t.index[0])
    out = t[changed].copy()
    out["date"] = pd.to_datetime(out["date"])
    out.loc[out.index[0], "event"] = out.loc[out.index[0], "event"] or "today"
    return out[
        ["date", "step", "hourly", "annual", "schedule_date", "basis", "event", "source_ref"]
    ]


def _others(con, agency, class_code, step, rule) -> pd.DataFrame:
    """The matched class in every other agency with a salary table: its pay at the same
    position in its range (first, top, or the nearest by share of the range), on that
    agency's own date (inside its term)."""
    rows = []
    share = rule.steps.index(step) / max(len(rule.steps) - 1, 1)
    for other in agencies.names(con, salary_table=True):
        if other == agency:
            continue
        xw = crosswalk.crosswalk(con, agency, other)
        hit = xw[(xw["subject_class_code"] == class_code) & xw["comparator_class_code"].notna()]
        if hit.empty:
            continue
        code = hit["comparator_class_code"].iloc[0]
        when = agencies.default_as_of(con, other)
        o_rule = agencies.step_rule(con, other, when)
        o_step = o_rule.steps[round(share * (len(o_rule.steps) - 1))]
        pay = steps.pay_by_step(con, other, code, when).set_index("step").loc[o_step]
        rows.append(
            {
                "agency": other,
                "class_code": code,
                "class_title": hit["comparator_title"].iloc[0],
                "step": o_step,
                "annual": pay["annual"],
                "schedule_date": pay["schedule_date"],
                "matched_by": hit["method"].iloc[0],
                "source_ref": pay["source_ref"],
            }
        )
    cols = ["agency", "class_code", "class_title", "step", "annual", "schedule_date"]
    return pd.DataFrame(rows, columns=[*cols, "matched_by", "source_ref"])


def total_compensation(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    as_of: date,
    *,
    hire_date: date | None = None,
    step: str | None = None,
    rates: pd.DataFrame | None = None,
    tier: str | None = None,
    plan: str | None = None,
):
    """The member's total compensation on `as_of` (analysis.member_total.MemberTotal): the
    pay of the step from the hire date (fastest path) or the step given, the employer's items
    (health and retirement priced from the user's benefit `rates`, at `tier` and `plan`), and
    paid time off at the years since the hire date (else the default years, and a note)."""
    from analysis import member_total
    from etl import defaults

    rule = agencies.step_rule(con, agency, as_of)
    years = member_total.years_from_hire(hire_date, as_of)
    if hire_date is not None:
        months = round((years or 0) * 12)
        step = steps.step_at(steps.step_timeline(rule), months)
    step = step or rule.hire_step
    now = steps.pay_by_step(con, agency, class_code, as_of).set_index("step").loc[step]
    unit = now.get("bargaining_unit")
    got = member_total.my_total(
        con,
        agency,
        class_code,
        as_of,
        float(now["annual"]),
        unit if isinstance(unit, str) else None,
        years if years is not None else defaults.DEFAULT_YEARS_OF_SERVICE,
        rates=rates,
        tier=tier,
        plan=plan,
    )
    if years is None:
        got.included.append(
            f"paid time off at {defaults.DEFAULT_YEARS_OF_SERVICE} years of service (give your "
            "hire date for your own)"
        )
    got.refs.insert(0, str(now["source_ref"]))
    return got
