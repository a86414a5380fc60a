"""Step progression: each agreement's merit-step rules as data, and pay over a career.

The rules (quoted and cited below) say when an employee may move up the range. Merit steps are
never automatic in either agreement: every timeline here assumes each merit is approved the day
the employee becomes eligible, full-time service (2,080 in-service hours a year, 80 per pay
period) and no unpaid leave, so it shows the fastest path the agreement allows.

`trajectory` follows that timeline through the salary schedule in effect on each date, so the
general and market increases of the agreement are included because the later schedules carry
them. After the agreement's term no schedule is known: the trajectory stops there unless the
caller gives an assumed annual increase (`project_pct`), and then it says which rows are
projections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analysis.warehouse import query
from etl.errors import BargainError
from etl.pay import HOURS_PER_PAY_PERIOD, HOURS_PER_YEAR, MONTHS_PER_YEAR


class NoSalaryTableError(BargainError, ValueError):
    """The agency's agreement prints no salary table, so there is no step pay to show."""


@dataclass(frozen=True)
class Citation:
    """A verbatim quote and where it is: "<file>:<line> §<section>", as in the views."""

    source_ref: str
    quote: str


@dataclass(frozen=True)
class StepRule:
    """How employees of one agreement move through the steps of their range."""

    agency: str
    agreement_id: str
    steps: tuple[str, ...]  # the range, bottom to top
    step_pct: float  # nominal percent between adjacent steps
    hire_step: str  # where a new hire starts
    first_advance_hours: int  # in-service hours in the class before the first advance
    advance_hours: int  # in-service hours at each later step before the next advance
    steps_per_advance: int  # steps gained per advance (capped at the top step)
    automatic: bool  # False: each advance needs an approved evaluation
    condition: str  # what besides time the advance needs
    citations: tuple[Citation, ...]  # the text the rule is read from
    notes: tuple[str, ...] = field(default=())

    @property
    def top_step(self) -> str:
        return self.steps[-1]

    @property
    def source_ref(self) -> str:
        """The distinct cited lines, in order, joined with '; '."""
        return "; ".join(dict.fromkeys(c.source_ref for c in self.citations))


STEP_RULES: dict[str, StepRule] = {
    "Sonoma": StepRule(
        agency="Sonoma",
        agreement_id="sonoma-seiu707-2002-2008",
        steps=tuple("ABCDEFGHI"),
        step_pct=2.5,
        hire_step="A",
        first_advance_hours=1040,
        advance_hours=2080,
        steps_per_advance=2,
        automatic=False,
        condition="written approval in a performance evaluation rated satisfactory or better",
        citations=(
            Citation(
                "sonoma_seiu707_mou_2002_2008.txt:388 §3.2",
                "The salary range shall consist of nine salary steps, each approximately 2-1/2% "
                'apart and identified with the letters "A" through "I".',
            ),
            Citation(
                "sonoma_seiu707_mou_2002_2008.txt:658 §8.16.1",
                "Merit increases within a range shall not be automatic.",
            ),
            Citation(
                "sonoma_seiu707_mou_2002_2008.txt:658 §8.16.1",
                "computing the new salary step rate which is most closely equivalent to five "
                "percent (5%) higher than the previous base hourly rate.",
            ),
            Citation(
                "sonoma_seiu707_mou_2002_2008.txt:660 §8.16.2",
                "Each employee shall be considered for an initial merit increase when the "
                "employee's total inservice hours within the current class equals 1,040 hours. "
                "Each such employee shall be considered for subsequent merit increases when the "
                "employee's total inservice hours at each step to which advanced equals 2,080 "
                "hours.",
            ),
        ),
        notes=(
            "Steps are about 2.5% apart (Art. 3.2), so a merit of about 5% moves two steps "
            "(A to C, C to E, ...); from H the next merit stops at I, the top of the range.",
            "8.17 dates a merit from the start of the pay period in or after which the employee "
            "becomes eligible; monthly rows ignore that shift of up to 14 days.",
        ),
    ),
    "Mendocino": StepRule(
        agency="Mendocino",
        agreement_id="mendocino-seiu1021-2015-2017",
        steps=("1", "2", "3", "4", "5"),
        step_pct=5.0,
        hire_step="1",
        first_advance_hours=26 * HOURS_PER_PAY_PERIOD,
        advance_hours=26 * HOURS_PER_PAY_PERIOD,
        steps_per_advance=1,
        automatic=False,
        condition="an overall rating equivalent to satisfactory, or above",
        citations=(
            Citation(
                "mendocino_seiu1021_mou_2015_2017.txt:1043 §7.5",
                "Each step represents a five percent (5%) increase in salary above the previous "
                "step.",
            ),
            Citation(
                "mendocino_seiu1021_mou_2015_2017.txt:1044 §7.5",
                "Step 1 shall be paid upon initial employment",
            ),
            Citation(
                "mendocino_seiu1021_mou_2015_2017.txt:1045 §7.5",
                "Step 2 shall be authorized upon receiving an overall rating equivalent to "
                "satisfactory, or above, after completion of twenty-six (26) pay periods of "
                "employment at Step 1.",
            ),
            Citation(
                "mendocino_seiu1021_mou_2015_2017.txt:1048 §7.5",
                "Step 5 shall be authorized upon receiving an overall rating equivalent to "
                "satisfactory, or above, after completion of twenty six (26) pay periods of "
                "employment at Step 4.",
            ),
        ),
        notes=(
            "26 biweekly pay periods are 52 weeks (364 days); the monthly timeline counts them "
            "as 12 months.",
            "7.6/7.7 allow hiring at a higher step for extraordinary qualifications "
            "(pass start_step).",
        ),
    ),
}

NO_TABLE_AGENCIES: dict[str, str] = {
    "Contra Costa": (
        "Contra Costa's agreement (AFSCME Local 2700 Letter of Understanding, 1993-1995) has no "
        "salary table and no step rules: its wages move in salary levels (see wage_increases), "
        "so there is no step pay or career trajectory to compute"
    ),
}

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

TERM_SQL = "SELECT term_start, term_end FROM agreements WHERE agreement_id = ?"

GENERAL_INCREASES_SQL = """
SELECT effective_date, pct, source_ref FROM wage_increases
WHERE agreement_id = ? AND kind = 'general' AND effective_date IS NOT NULL
ORDER BY effective_date
"""


# Rules and timelines -------------------------------------------------------------------------


def step_rule(agency: str) -> StepRule:
    """The step rule of an agency's agreement; a clear error for one without step pay."""
    if agency in STEP_RULES:
        return STEP_RULES[agency]
    if agency in NO_TABLE_AGENCIES:
        raise NoSalaryTableError(NO_TABLE_AGENCIES[agency])
    raise ValueError(f"unknown agency {agency!r}; step rules exist for {sorted(STEP_RULES)}")


def hours_to_months(hours: float) -> float:
    """Full-time months needed to work `hours` in-service hours (2,080 hours a year)."""
    return hours * MONTHS_PER_YEAR / HOURS_PER_YEAR


def step_timeline(agency: str, start_step: str | None = None) -> pd.DataFrame:
    """The steps a full-time employee passes through, fastest path the agreement allows.

    One row per step reached: step, months_from_hire (to reach it), months_at_step and
    hours_at_step (in-service hours before the next advance; NaN at the top step, where the
    employee stays), is_top, source_ref.
    """
    rule = step_rule(agency)
    start = rule.hire_step if start_step is None else str(start_step)
    if start not in rule.steps:
        raise ValueError(f"{agency} steps are {', '.join(rule.steps)}; got {start_step!r}")
    idx, top = rule.steps.index(start), len(rule.steps) - 1
    rows, months, first = [], 0.0, True
    ref = rule.source_ref
    while idx < top:
        hours = rule.first_advance_hours if first else rule.advance_hours
        rows.append(
            {
                "step": rule.steps[idx],
                "months_from_hire": months,
                "months_at_step": hours_to_months(hours),
                "hours_at_step": float(hours),
                "is_top": False,
                "source_ref": ref,
            }
        )
        months += hours_to_months(hours)
        idx = min(idx + rule.steps_per_advance, top)
        first = False
    rows.append(
        {
            "step": rule.top_step,
            "months_from_hire": months,
            "months_at_step": math.nan,
            "hours_at_step": math.nan,
            "is_top": True,
            "source_ref": ref,
        }
    )
    return pd.DataFrame(rows)


def time_to_top(agency: str, start_step: str | None = None) -> float:
    """Months from hire to the top step on the fastest path (Sonoma 42, Mendocino 48)."""
    return float(step_timeline(agency, start_step)["months_from_hire"].iloc[-1])


def rules_table() -> pd.DataFrame:
    """One row per agreement with step rules: the facts a bargaining team compares."""
    rows = []
    for rule in STEP_RULES.values():
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
                "months_to_top": time_to_top(rule.agency),
                "automatic": rule.automatic,
                "condition": rule.condition,
                "source_ref": rule.source_ref,
            }
        )
    return pd.DataFrame(rows)


def step_at(timeline: pd.DataFrame, months_from_hire: float) -> str:
    """The step held `months_from_hire` months after hire, given a step_timeline()."""
    reached = timeline[timeline["months_from_hire"] <= months_from_hire]
    if reached.empty:
        raise ValueError("months_from_hire must not be negative")
    return str(reached["step"].iloc[-1])


# Classes and schedules -----------------------------------------------------------------------


def _require_schedule(con: duckdb.DuckDBPyConnection, agency: str) -> None:
    step_rule(agency)  # unknown agency / no-table agency: clear error first
    if int(query(con, SCHEDULE_COUNT_SQL, [agency])["n"].iloc[0]) == 0:
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
    rates = query(con, CLASS_RATES_SQL, [agency, class_code])
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
    rates = rates.assign(effective_date=pd.to_datetime(rates["effective_date"]).dt.date)
    return rates.reset_index(drop=True)


def _schedule_on(rates: pd.DataFrame, when: date) -> date:
    dates = sorted(rates["effective_date"].unique())
    earlier = [d for d in dates if d <= when]
    if not earlier:
        raise ValueError(
            f"{when} is before the first {rates['class_code'].iloc[0]} schedule ({dates[0]}); "
            "the agreement does not say what was paid then"
        )
    return earlier[-1]


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
    rule = step_rule(agency)
    rates = _class_rates(con, agency, class_code, unit)
    sched = _schedule_on(rates, _as_date(effective_date))
    out = rates[rates["effective_date"] == sched].copy()
    out["basis"] = out["is_derived"].map(_basis)
    out["schedule_date"] = sched
    out["order"] = out["step"].map({s: i for i, s in enumerate(rule.steps)})
    cols = ["step", "hourly", "biweekly", "monthly", "annual", "basis", "derivation"]
    cols += ["schedule_date", "class_code", "class_title", "bargaining_unit", "source_ref"]
    return out.sort_values("order")[cols].reset_index(drop=True)


# Trajectories --------------------------------------------------------------------------------


def _add_months(start: date, n: int) -> date:
    return (pd.Timestamp(start) + pd.DateOffset(months=n)).date()


def _anniversaries(since: date, until: date) -> int:
    """How many anniversaries of `since` fall after it and on or before `until`."""
    n = 0
    while _add_months(since, 12 * (n + 1)) <= until:
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
) -> pd.DataFrame:
    """Month-by-month pay of an employee hired into a class on `hire_date`.

    Rows for month_index 0..months (inclusive): date (hire date + n months), step (from
    step_timeline), hourly, annual, schedule_date (the schedule used), basis ('printed',
    'derived' or 'projected'), source_ref, event (hire / merit / new schedule / projected
    increase). Each month uses the schedule in effect on its date, so the agreement's general
    and market increases appear when their schedules take effect.

    After the agreement's term (the last schedule stays in effect until the term ends) pay is
    unknown: with `project_pct` (percent a year, e.g. 3.0) rates grow from the last schedule,
    compounded on each anniversary of the last general increase, flagged 'projected'; without
    it the rows stop at the term end and `attrs['notes']` says so. `as_of_schedule` pins every
    month to the schedule in effect on that date: step progression alone, no increases.
    """
    if months < 0:
        raise ValueError("months must be 0 or more")
    hire_date = _as_date(hire_date)
    as_of_schedule = _as_date(as_of_schedule) if as_of_schedule is not None else None
    if as_of_schedule is not None and project_pct is not None:
        raise ValueError("as_of_schedule pins one schedule; it cannot be combined with project_pct")
    rule = step_rule(agency)
    timeline = step_timeline(agency, start_step)
    rates = _class_rates(con, agency, class_code, unit)
    first_sched = min(rates["effective_date"])
    last_sched = max(rates["effective_date"])
    if hire_date < first_sched and as_of_schedule is None:
        raise ValueError(
            f"hire date {hire_date} is before the first {agency} schedule for class {class_code} "
            f"({first_sched}); the agreement does not say what was paid then"
        )
    agreement_id = str(rates["agreement_id"].iloc[0])
    term = query(con, TERM_SQL, [agreement_id])
    term_end = term["term_end"].iloc[0] if not term.empty else None
    term_end = (
        pd.Timestamp(term_end).date() if term_end is not None and pd.notna(term_end) else None
    )
    known_end = max(last_sched, term_end) if term_end else last_sched
    increases = query(con, GENERAL_INCREASES_SQL, [agreement_id])
    gi_dates = [pd.Timestamp(d).date() for d in increases["effective_date"]]
    gi_dates = [d for d in gi_dates if d <= known_end]
    last_gi = max(gi_dates) if gi_dates else last_sched
    pinned = _schedule_on(rates, as_of_schedule) if as_of_schedule is not None else None

    by_key = {(r.effective_date, r.step): r for r in rates.itertuples()}
    rows: list[dict] = []
    notes: list[str] = []
    prev_step = prev_sched = prev_n = None
    for i in range(months + 1):
        when = _add_months(hire_date, i)
        step = step_at(timeline, i)
        n_proj = 0
        if pinned is not None:
            sched = pinned
        elif when <= known_end:
            sched = _schedule_on(rates, when)
        elif project_pct is None:
            notes.append(
                f"Pay is shown to {known_end}, the end of the agreement's term: no schedule is "
                "known after it (set a projection rate to continue)."
            )
            break
        else:
            sched = last_sched
            n_proj = _anniversaries(last_gi, when)
        rate = by_key.get((sched, step))
        if rate is None:
            raise ValueError(f"class {class_code} has no step {step} in the {sched} schedule")
        hourly = float(rate.hourly)
        basis = _basis(rate.is_derived)
        if pinned is None and when > known_end:
            hourly = round(hourly * (1 + project_pct / 100) ** n_proj, 2)
            basis = PROJECTED
        events = []
        if i == 0:
            events.append(f"hire at step {step}")
        elif step != prev_step:
            events.append(f"merit to step {step}")
        if i > 0 and sched != prev_sched:
            events.append(f"schedule of {sched}")
        if basis == PROJECTED and n_proj != (prev_n or 0):
            events.append(f"projected +{project_pct:g}% (anniversary {n_proj} of {last_gi})")
        rows.append(
            {
                "month_index": i,
                "date": when,
                "step": step,
                "hourly": hourly,
                "annual": round(hourly * HOURS_PER_YEAR, 2),
                "schedule_date": sched,
                "basis": basis,
                "source_ref": rate.source_ref,
                "event": "; ".join(events),
            }
        )
        prev_step, prev_sched, prev_n = step, sched, n_proj
    out = pd.DataFrame(
        rows,
        columns=[
            "month_index",
            "date",
            "step",
            "hourly",
            "annual",
            "schedule_date",
            "basis",
            "source_ref",
            "event",
        ],
    )
    if project_pct is not None and (out["basis"] == PROJECTED).any():
        notes.append(
            f"Rows after {known_end} are projected: the {last_sched} schedule grown "
            f"{project_pct:g}% a year, compounded on each anniversary of the last general "
            f"increase ({last_gi})."
        )
        if _anniversaries(last_gi, known_end) > 0:
            notes.append(
                f"The {_add_months(last_gi, 12)} anniversary falls inside the term, which prints "
                f"no increase for it; the projection applies it from the first month after "
                f"{known_end}."
            )
    if pinned is not None:
        notes.append(f"Every month uses the {pinned} schedule: step progression only.")
    notes.append(
        f"Assumes every merit is approved on the first eligible date ({rule.condition}), "
        "full-time service and no unpaid leave."
    )
    out.attrs["notes"] = notes
    out.attrs["known_end"] = known_end
    return out
