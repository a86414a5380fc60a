"""Step progression: the steps an employee passes through under an agreement's step rule
(analysis/agencies.step_rule), a class's pay at each step, and finding a class by code or
title.

The rules (quoted and cited in the registry) say when an employee may move up the range. Merit
steps are not automatic in the published agreements: every timeline here assumes each merit is
approved the day the employee becomes eligible, full-time service (2,080 in-service hours a
year, 80 per pay period) and no unpaid leave, so it shows the fastest path the agreement
allows. analysis/trajectory.py follows that path through the schedules month by month.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis import agencies
from analysis.agencies import NoSalaryTableError
from analysis.warehouse import memo, query
from etl.pay import hours_to_months
from etl.records import StepRule

__all__ = ["NoSalaryTableError", "find_class", "pay_by_step", "step_timeline", "time_to_top"]


PRINTED, DERIVED, PROJECTED = "printed", "derived", "projected"


# Queries -------------------------------------------------------------------------------------

SCHEDULE_COUNT_SQL = "SELECT count(*) AS n FROM salary_schedule WHERE agency = ?"

CLASSES_SQL = """
SELECT class_code, any_value(class_title) AS class_title,
       string_agg(DISTINCT coalesce(bargaining_unit, ''), ', ') AS units
FROM salary_schedule WHERE agency = ?
GROUP BY class_code ORDER BY class_code
"""

CLASS_RATES_SQL = """
SELECT agreement_id, bargaining_unit, class_code, class_title, effective_date, step,
       hourly, biweekly, monthly, annual, is_derived, derivation, source_ref
FROM salary_schedule
WHERE agency = ? AND class_code = ?
ORDER BY effective_date, bargaining_unit, length(step), step
"""


# Rules and timelines -------------------------------------------------------------------------


def step_timeline(rule: StepRule, start_step: str | None = None) -> pd.DataFrame:
    """The steps a full-time employee passes through, fastest path the agreement allows.

    One row per step reached: step, months_from_hire (to reach it), months_at_step and
    hours_at_step (in-service hours before the next advance; NaN at the top step, where the
    employee stays), is_top, source_ref.
    """
    ref = rule.source_ref
    rows = [
        {
            "step": step,
            "months_from_hire": months,
            "months_at_step": hours_to_months(hours),  # NaN at the top
            "hours_at_step": hours,
            "is_top": math.isnan(hours),
            "source_ref": ref,
        }
        for step, months, hours in rule.path(start_step)
    ]
    return pd.DataFrame(rows)


def time_to_top(rule: StepRule, start_step: str | None = None) -> float:
    """Months from hire to the top step on the fastest path the rule allows."""
    return float(step_timeline(rule, start_step)["months_from_hire"].iloc[-1])


def rules_table(rules: list[StepRule]) -> pd.DataFrame:
    """One row per agreement with step rules: the facts a bargaining team compares."""
    rows = []
    for rule in rules:
        rows.append(
            {
                "agency": rule.agency,
                "agreement_id": rule.agreement_id,
                "steps": "–".join((rule.steps[0], rule.top_step)),
                "n_steps": len(rule.steps),
                "step_pct": rule.step_pct,
                "hire_step": rule.hire_step,
                "first_advance_months": hours_to_months(rule.first_advance_hours),
                "advance_months": hours_to_months(rule.advance_hours),
                "steps_per_advance": rule.steps_per_advance,
                "months_to_top": time_to_top(rule),
                "automatic": rule.automatic,
                "condition": rule.condition,
                "source_ref": rule.source_ref,
            }
        )
    return pd.DataFrame(rows)


def step_at(timeline: pd.DataFrame, months_from_hire: float) -> str:
    """The step held `months_from_hire` months after hire, given a step_timeline()."""
    return stepper(timeline)(months_from_hire)


def stepper(timeline: pd.DataFrame) -> Callable[[float], str]:
    """step_at for one timeline, read once: the trajectory asks once per month (a filtered
    frame per ask took about 1 ms)."""
    months = [float(m) for m in timeline["months_from_hire"]]
    names = [str(s) for s in timeline["step"]]
    # step_timeline() adds up hours, so months ascend; bisect would answer wrongly otherwise
    if any(b < a for a, b in zip(months, months[1:], strict=False)):
        raise ValueError("a step timeline's months_from_hire must not decrease")

    def at(months_from_hire: float) -> str:
        reached = bisect.bisect_right(months, months_from_hire)
        if not reached:
            raise ValueError("months_from_hire must not be negative")
        return names[reached - 1]

    return at


# Classes and schedules -----------------------------------------------------------------------


def _require_schedule(con: duckdb.DuckDBPyConnection, agency: str) -> None:
    agencies.require_salary_table(con, agency)  # unknown / no-table agency: clear error first
    count = memo(con, f"schedule_count:{agency}", lambda: query(con, SCHEDULE_COUNT_SQL, [agency]))
    if int(count["n"].iloc[0]) == 0:
        raise NoSalaryTableError(f"the warehouse holds no salary schedule for {agency}")


def find_class(con: duckdb.DuckDBPyConnection, agency: str, text: str) -> str:
    """Resolve a class code or a (case-insensitive, partial) class title to one class code.

    An exact code wins, then an exact title, then a unique partial title match; anything else
    raises ValueError listing the candidates.
    """
    _require_schedule(con, agency)
    needle = str(text).strip()
    if not needle:
        raise ValueError("give a class code or part of a class title")
    classes = query(con, CLASSES_SQL, [agency])
    titles = classes["class_title"].fillna("").str.casefold()
    for hit in (
        classes["class_code"].str.casefold() == needle.casefold(),
        titles == needle.casefold(),
        titles.str.contains(needle.casefold(), regex=False),
    ):
        found = classes[hit]
        if len(found) == 1:
            return str(found["class_code"].iloc[0])
        if len(found) > 1:
            listing = "; ".join(
                f"{r.class_code} {r.class_title or '(no title)'}" for r in found.itertuples()
            )
            raise ValueError(
                f"{needle!r} matches {len(found)} {agency} classes: {listing}. "
                "Give the class code or more of the title."
            )
    raise ValueError(
        f"no {agency} class with a salary schedule matches {needle!r} "
        "(try a class code such as the ones in the schedule browser, or part of a title)"
    )


def _class_rates(
    con: duckdb.DuckDBPyConnection, agency: str, class_code: str, unit: str | None
) -> pd.DataFrame:
    _require_schedule(con, agency)
    rates = one_unit(query(con, CLASS_RATES_SQL, [agency, class_code]), agency, class_code, unit)
    return rates.assign(effective_date=pd.to_datetime(rates["effective_date"]).dt.date)


def one_unit(rates: pd.DataFrame, agency: str, class_code: str, unit: str | None) -> pd.DataFrame:
    """A class's schedule rows in one bargaining unit: `unit`, or its only one. ValueError when
    the class has no rows, is not in `unit`, or is in several units and none was chosen."""
    if rates.empty:
        raise ValueError(f"{agency} has no salary schedule for class {class_code!r}")
    units = sorted(rates["bargaining_unit"].dropna().unique())
    if unit is not None:
        rates = rates[rates["bargaining_unit"] == unit]
        if rates.empty:
            raise ValueError(f"class {class_code} is not in unit {unit!r}; its units: {units}")
    elif len(units) > 1:
        raise ValueError(
            f"{agency} class {class_code} appears in several bargaining units ({units}); "
            "pass unit= to choose one"
        )
    return rates.reset_index(drop=True)


def schedule_dates(rates: pd.DataFrame) -> list[date]:
    """A class's schedule dates, ascending (its rows as CLASS_RATES_SQL reads them)."""
    return sorted(set(rates["effective_date"]))


def _schedule_on(rates: pd.DataFrame, when: date, dates: list[date] | None = None) -> date:
    """The schedule in effect on `when`; `dates` the class's schedule_dates when already read."""
    dates = schedule_dates(rates) if dates is None else dates
    earlier = bisect.bisect_right(dates, when)
    if not earlier:
        raise ValueError(
            f"{when} is before the first {rates['class_code'].iloc[0]} schedule ({dates[0]}); "
            "the agreement does not say what was paid then"
        )
    return dates[earlier - 1]


def _as_date(value: date | str | pd.Timestamp) -> date:
    """A plain date from a date, datetime, Timestamp or ISO string (widgets pass all of them)."""
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a date: {value!r}") from exc


def _basis(is_derived: bool) -> str:
    return DERIVED if bool(is_derived) else PRINTED


def pay_by_step(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    effective_date: date,
    unit: str | None = None,
) -> pd.DataFrame:
    """Every step of a class in the schedule in effect on `effective_date`, in all pay bases.

    Columns: step, hourly, biweekly, monthly, annual, basis ('printed' | 'derived'),
    derivation, schedule_date, class_code, class_title, bargaining_unit, source_ref.
    """
    rule = agencies.step_rule(con, agency, _as_date(effective_date))
    rates = _class_rates(con, agency, class_code, unit)
    return steps_on(rates, rule, _as_date(effective_date))


def steps_on(rates: pd.DataFrame, rule: StepRule, when: date) -> pd.DataFrame:
    """pay_by_step over a class's rows already read (CLASS_RATES_SQL, dates as dates): the
    schedule in effect on `when`, its steps in the rule's order."""
    sched = _schedule_on(rates, when)
    # Positions, then one take of the columns shown: a member's page asks this about ten
    # times per class, and each filtered, sorted frame copy cost a few milliseconds.
    at = np.flatnonzero((rates["effective_date"] == sched).to_numpy())
    order = {s: i for i, s in enumerate(rule.steps)}
    rank = [order.get(s, len(order)) for s in rates["step"].to_numpy()[at]]  # unknown: last
    out = rates[_STEP_COLUMNS].take(at[np.argsort(rank, kind="stable")]).reset_index(drop=True)
    out.insert(5, "basis", [_basis(d) for d in out["is_derived"]])
    out.insert(7, "schedule_date", sched)
    return out.drop(columns="is_derived")


_STEP_COLUMNS = ["step", "hourly", "biweekly", "monthly", "annual", "derivation", "class_code"]
_STEP_COLUMNS += ["class_title", "bargaining_unit", "source_ref", "is_derived"]


def describe_rule(rule: StepRule) -> str:
    """A step rule in plain words, from its data (for captions and the handout)."""
    first = hours_to_months(rule.first_advance_hours)
    later = hours_to_months(rule.advance_hours)
    per = "one step" if rule.steps_per_advance == 1 else f"{rule.steps_per_advance} steps"
    pct = f", steps about {rule.step_pct:g}% apart" if rule.step_pct else ""
    auto = "automatic" if rule.automatic else f"not automatic ({rule.condition})"
    text = (
        f"{len(rule.steps)} steps, {rule.steps[0]} to {rule.top_step}{pct}; hired at "
        f"{rule.hire_step}; first advance after {rule.first_advance_hours:,} in-service hours "
        f"({first:g} months), then every {rule.advance_hours:,} hours ({later:g} months), "
        f"{per} at a time; {auto}"
    )
    if not rule.stated:
        text += " — a default assumed at import, not stated in the agreement"
    return text


def top_pay(con: duckdb.DuckDBPyConnection, agency: str, class_code: str, as_of: date) -> pd.Series:
    """The top step of a class in the schedule in force on `as_of` (or the first schedule,
    when `as_of` precedes it): step, hourly ... annual, basis, schedule_date, source_ref. The
    one "top pay" the pages, the handout and `bargain steps` show for a date."""
    rates = _class_rates(con, agency, class_code, None)
    when = _as_date(as_of)
    first = min(rates["effective_date"])
    rows = pay_by_step(con, agency, class_code, max(when, first))
    return rows.iloc[-1]
