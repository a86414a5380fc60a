"""A new hire's pay month by month: the step rule's fastest path through the salary
schedule in effect on each date, so the agreement's general and market increases appear when
the schedules carrying them take effect. After the agreement's term no schedule is known: the
trajectory stops there unless the caller gives an assumed annual increase (`project_pct`), and
then it says which rows are projections.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from analysis import agencies
from analysis.steps import (
    PROJECTED,
    _as_date,
    _basis,
    _class_rates,
    _schedule_on,
    schedule_dates,
    step_timeline,
    stepper,
)
from analysis.warehouse import memo, query
from etl.pay import HOURS_PER_YEAR
from etl.pay_calendar import add_months

TERM_SQL = "SELECT term_start, term_end FROM agreements WHERE agreement_id = ?"

GENERAL_INCREASES_SQL = """
SELECT effective_date, pct, source_ref FROM wage_increases
WHERE agreement_id = ? AND kind = 'general' AND effective_date IS NOT NULL
ORDER BY effective_date
"""


def _anniversaries(since: date, until: date) -> int:
    """How many anniversaries of `since` fall after it and on or before `until`."""
    n = 0
    while add_months(since, 12 * (n + 1)) <= until:
        n += 1
    return n


def trajectory(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    hire_date: date,
    months: int,
    project_pct: float | None = None,
    as_of_schedule: date | None = None,
    unit: str | None = None,
    start_step: str | None = None,
    rates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Month-by-month pay of an employee hired into a class on `hire_date`.

    Rows for month_index 0..months (inclusive), and a row on the day each schedule takes effect
    between two months (its month_index the month it falls in, its step the one held then):
    date (hire date + n months), step (from step_timeline), hourly, annual, schedule_date (the
    schedule used), basis ('printed', 'derived' or 'projected'), source_ref, event (hire /
    merit / new schedule / projected increase). Each month uses the schedule in effect on its
    date, so the agreement's general and market increases appear when their schedules take
    effect, on their own dates.

    After the agreement's term (the last schedule stays in effect until the term ends) pay is
    unknown: with `project_pct` (percent a year, e.g. 3.0) rates grow from the last schedule,
    compounded on each anniversary of the last general increase, flagged 'projected'; without
    it the rows stop at the term end and `attrs['notes']` says so. `as_of_schedule` pins every
    month to the schedule in effect on that date: step progression alone, no increases.
    `rates`: the class's rows already read (steps._class_rates' rows; `unit` is then unused).
    """
    if months < 0:
        raise ValueError("months must be 0 or more")
    hire_date = _as_date(hire_date)
    as_of_schedule = _as_date(as_of_schedule) if as_of_schedule is not None else None
    if as_of_schedule is not None and project_pct is not None:
        raise ValueError("as_of_schedule pins one schedule; it cannot be combined with project_pct")
    rule = agencies.step_rule(con, agency, hire_date)
    step_of = stepper(step_timeline(rule, start_step))
    if rates is None:
        rates = _class_rates(con, agency, class_code, unit)
    first_sched = min(rates["effective_date"])
    if hire_date < first_sched and as_of_schedule is None:
        raise ValueError(
            f"hire date {hire_date} is before the first {agency} schedule for class {class_code} "
            f"({first_sched}); the agreement does not say what was paid then"
        )
    h = _horizon(con, rates, as_of_schedule, project_pct)
    by_key = {(r.effective_date, r.step): r for r in rates[_RATE_FIELDS].itertuples()}
    rows: list[dict] = []
    notes: list[str] = []
    prev: dict | None = None
    for i in range(months + 1):
        when = add_months(hire_date, i)
        step = step_of(i)
        if prev is not None:  # schedules taking effect between two months: a row on their day
            for sched in h.starting(prev["date"], when):
                rate = _rate(by_key, sched, prev["step"], class_code)
                row = _month(i - 1, sched, prev["step"], sched, rate, h, 0)
                row["event"] = "; ".join(_events(row, prev, 0, h))
                prev = {**row, "n_proj": 0}
                rows.append(row)
        if h.pinned is None and when > h.known_end and project_pct is None:
            notes.append(
                f"Pay is shown to {h.known_end}, the end of the agreement's term: no schedule is "
                "known after it (set a projection rate to continue)."
            )
            break
        sched, n_proj = h.schedule(rates, when)
        rate = _rate(by_key, sched, step, class_code)
        row = _month(i, when, step, sched, rate, h, n_proj)
        row["event"] = "; ".join(_events(row, prev, n_proj, h))
        prev = {**row, "n_proj": n_proj}
        rows.append(row)
    out = pd.DataFrame(rows, columns=_COLUMNS)
    notes += _notes(out, h, rule)
    out.attrs["notes"] = notes
    out.attrs["known_end"] = h.known_end
    return out


def _rate(by_key: dict, sched: date, step: str, class_code: str):
    """The class's rate at `step` in schedule `sched`."""
    rate = by_key.get((sched, step))
    if rate is None:
        raise ValueError(f"class {class_code} has no step {step} in the {sched} schedule")
    return rate


_RATE_FIELDS = ["effective_date", "step", "hourly", "is_derived", "source_ref"]
_COLUMNS = [
    "month_index",
    "date",
    "step",
    "hourly",
    "annual",
    "schedule_date",
    "basis",
    "source_ref",
    "event",
]


@dataclass(frozen=True)
class _Horizon:
    """What is known of the class's pay: schedules to `known_end` (the last schedule or the
    term's end), the last general increase, the pinned schedule, the projection rate."""

    known_end: date
    dates: list[date]  # the class's schedule dates
    last_sched: date
    last_gi: date
    pinned: date | None
    project_pct: float | None

    def starting(self, after: date, before: date) -> list[date]:
        """Schedules taking effect strictly between two dates (within the known pay): a raise
        is paid from its own date, not from the next monthly row."""
        if self.pinned is not None:
            return []
        lo = bisect.bisect_right(self.dates, after)
        hi = bisect.bisect_left(self.dates, min(before, self.known_end + timedelta(days=1)))
        return self.dates[lo:hi]

    def schedule(self, rates: pd.DataFrame, when: date) -> tuple[date, int]:
        """The schedule paid on `when`, and how many projected increases apply on top."""
        if self.pinned is not None:
            return self.pinned, 0
        if when <= self.known_end:
            return _schedule_on(rates, when, self.dates), 0
        return self.last_sched, _anniversaries(self.last_gi, when)


def _horizon(
    con: duckdb.DuckDBPyConnection,
    rates: pd.DataFrame,
    as_of_schedule: date | None,
    project_pct: float | None,
) -> _Horizon:
    dates = schedule_dates(rates)
    last_sched = dates[-1]
    agreement_id = str(rates["agreement_id"].iloc[0])
    # An agreement's term and increases, read once per warehouse connection (a month-by-month
    # path is asked for each class a member looks at).
    term = memo(
        con, f"trajectory:term:{agreement_id}", lambda: query(con, TERM_SQL, [agreement_id])
    )
    term_end = term["term_end"].iloc[0] if not term.empty else None
    term_end = (
        pd.Timestamp(term_end).date() if term_end is not None and pd.notna(term_end) else None
    )
    known_end = max(last_sched, term_end) if term_end else last_sched
    increases = memo(
        con,
        f"trajectory:increases:{agreement_id}",
        lambda: query(con, GENERAL_INCREASES_SQL, [agreement_id]),
    )
    gi_dates = [pd.Timestamp(d).date() for d in increases["effective_date"]]
    gi_dates = [d for d in gi_dates if d <= known_end]
    last_gi = max(gi_dates) if gi_dates else last_sched
    pinned = _schedule_on(rates, as_of_schedule, dates) if as_of_schedule is not None else None
    return _Horizon(known_end, dates, last_sched, last_gi, pinned, project_pct)


def _month(i: int, when: date, step: str, sched: date, rate, h: _Horizon, n_proj: int) -> dict:
    """One month's row (without its events): the rate of the schedule, projected if after
    the known pay."""
    hourly = float(rate.hourly)
    basis = _basis(rate.is_derived)
    if h.pinned is None and when > h.known_end:
        hourly = round(hourly * (1 + h.project_pct / 100) ** n_proj, 2)
        basis = PROJECTED
    return {
        "month_index": i,
        "date": when,
        "step": step,
        "hourly": hourly,
        "annual": round(hourly * HOURS_PER_YEAR, 2),
        "schedule_date": sched,
        "basis": basis,
        "source_ref": rate.source_ref,
    }


def _events(row: dict, prev: dict | None, n_proj: int, h: _Horizon) -> list[str]:
    """What happens in a month: the hire, a merit, a new schedule, a projected increase."""
    step, sched = row["step"], row["schedule_date"]
    if prev is None:
        events = [f"hire at step {step}"]
    else:
        events = [f"merit to step {step}"] if step != prev["step"] else []
        if sched != prev["schedule_date"]:
            events.append(f"schedule of {sched}")
    if row["basis"] == PROJECTED and n_proj != (prev["n_proj"] if prev else 0):
        events.append(f"projected +{h.project_pct:g}% (anniversary {n_proj} of {h.last_gi})")
    return events


def _notes(out: pd.DataFrame, h: _Horizon, rule) -> list[str]:
    notes = []
    if h.project_pct is not None and (out["basis"] == PROJECTED).any():
        notes.append(
            f"Rows after {h.known_end} are projected: the {h.last_sched} schedule grown "
            f"{h.project_pct:g}% a year, compounded on each anniversary of the last general "
            f"increase ({h.last_gi})."
        )
        if _anniversaries(h.last_gi, h.known_end) > 0:
            notes.append(
                f"The {add_months(h.last_gi, 12)} anniversary falls inside the term, which "
                f"prints no increase for it; the projection applies it from the first month "
                f"after {h.known_end}."
            )
    if h.pinned is not None:
        notes.append(f"Every month uses the {h.pinned} schedule: step progression only.")
    notes.append(
        f"Assumes every merit is approved on the first eligible date ({rule.condition}), "
        "full-time service and no unpaid leave."
    )
    return notes
