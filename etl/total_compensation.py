"""Total compensation of a class: base pay at the step held after a number of years of
service, the employer-paid benefits, and the value of paid time off. The one definition: the
build writes the `total_compensation` view with it (the agreements alone, at the default years
of service) and the analysis runs it for any other years and with the user's benefit rates.

Pure functions over frames shaped like the public views (`salary_schedule`, `benefit_shares`,
`premiums`, `time_off`), a StepRule and, optionally, the user's benefit rates
(etl/benefit_pricing.RATE_COLUMNS) with the tier and plan chosen.

Why the user's rates are applied at query time, not in the build: rates are user data kept in
SQLite, and a premium sheet is imported, replaced and removed far more often than an
agreement; the tier and plan are a choice of each question (a page, `bargain gap --total
--tier`), so a view could hold only one of them; and pricing one agency on one date is a few
milliseconds, where a rebuild is seconds and blocks every other session. So the view holds
what the agreements price by themselves, and `analysis.total_comp.for_agency(..., rates=)` and
`analysis.market.total` call this same function with the rates (read from user data by the
page or command) to price health and retirement too. Both say per item what was priced.

What is priced, and how (each row says so in `note`, with its lines and rate rows in
`source_refs`, and names in `missing` what it could not price — never a guess):
- base pay: the class's rate at the step the step rule's fastest path reaches after the years
  of service (every merit approved on time), in the schedule in force on the date, × 2,080;
- employer benefits (etl/employer_costs.py), those in force on the date asked (the schedule's
  date in the view): deferred compensation as the unit's percent of
  pay, the housing-assistance match, an allowance paid to every employee of the class (Sonoma
  18.8), and, with the user's rates, the agreement's share of each premium imported and each
  employer rate in % of pay (retirement); each item to the cent (half up), summed;
- paid time off: the hours a year of vacation (the class's unit and service band), holidays,
  floating holidays, personal leave, PTO and sick-leave accrual, valued at the class's hourly
  rate. Base pay already pays those hours; total compensation studies show them as the value
  of time not worked, and so does this. Occasional leaves (bereavement, jury, voting ...) and
  unpaid time off are not counted.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl import employer_costs, labels
from etl.benefit_pricing import Choice
from etl.citations import join_refs
from etl.pay import HOURS_PER_YEAR
from etl.records import StepRule, step_order
from etl.rounding import decimal_of, round_half_up

PAID_TIME_OFF = ("vacation", "holiday", "floating_holiday", "personal", "pto", "sick")
PERCENT_OF_PAY = employer_costs.PERCENT_OF_PAY
PREMIUM_SHARES = employer_costs.PREMIUM_SHARES
COLUMNS = [
    "agency",
    "agreement_id",
    "class_code",
    "class_title",
    "bargaining_unit",
    "effective_date",
    "years_of_service",
    "step",
    "base_annual",
    "employer_benefits_annual",
    "time_off_hours",
    "time_off_value_annual",
    "total_annual",
    "missing",
    "note",
    "source_refs",
]


def step_after(rule: StepRule, years: float) -> str:
    """The step held `years` years after hire on the rule's fastest path."""
    reached = [step for step, months, _ in rule.path() if months <= years * 12 + 1e-9]
    return reached[-1]


def paid_time_off(
    time_off: pd.DataFrame, unit: str | None, years: float
) -> tuple[float, list[str], list[str]]:
    """(hours a year, notes, refs) of paid time off at `years` of service."""
    hours, notes, refs = 0.0, [], []
    t = time_off[time_off["kind"].isin(PAID_TIME_OFF) & time_off["hours_per_year"].notna()]
    for r in t.itertuples():
        if isinstance(r.bargaining_unit, str) and r.bargaining_unit and r.bargaining_unit != unit:
            continue
        lo = r.service_years_min if pd.notna(r.service_years_min) else 0.0
        hi = r.service_years_max if pd.notna(r.service_years_max) else float("inf")
        if not lo <= years < hi:
            continue
        hours += float(r.hours_per_year)
        notes.append(f"{labels.label('kind', r.kind)} {r.hours_per_year:g} h")
        refs.append(r.source_ref)
    return hours, notes, refs


def total_compensation(
    rates: pd.DataFrame,
    rule: StepRule,
    benefits: pd.DataFrame,
    time_off: pd.DataFrame,
    when: date,
    years: float,
    *,
    premiums: pd.DataFrame | None = None,
    benefit_rates: pd.DataFrame | None = None,
    choice: Choice | None = None,
) -> pd.DataFrame:
    """One row per class of `rates` (salary_schedule rows of one agency): total compensation
    in the schedule in force on `when` at `years` of service (COLUMNS). `premiums` (the
    agency's premiums rows) adds the allowances of a class; `benefit_rates` (the user's rates
    of the agency) prices premiums and employer rates, at the tier and plan of `choice`."""
    if rates.empty:
        return pd.DataFrame(columns=COLUMNS)
    dates = sorted(pd.to_datetime(rates["effective_date"]).dt.date.unique())
    on = [d for d in dates if d <= when] or dates[:1]
    sched = rates[pd.to_datetime(rates["effective_date"]).dt.date == on[-1]]
    step = step_after(rule, years)
    held = _held_rows(sched, step)
    by_unit = {}
    for unit in {u if isinstance(u, str) else None for u in held["bargaining_unit"]}:
        items = employer_costs.employer_items(
            benefits, when, unit, rates=benefit_rates, choice=choice
        )
        by_unit[unit] = (items, *paid_time_off(time_off, unit, years))
    out = []
    for row in held.itertuples():
        unit = row.bargaining_unit if isinstance(row.bargaining_unit, str) else None
        unit_items, pto_hours, pto_notes, pto_refs = by_unit[unit]
        items = unit_items.with_allowances(premiums, row.class_code, when)
        hourly = float(row.hourly)
        base = float(round_half_up(decimal_of(hourly) * HOURS_PER_YEAR, 2))
        ben = round(sum(items.annual(base).values()), 2)
        pto_value = round(pto_hours * hourly, 2)
        out.append(
            {
                "agency": row.agency,
                "agreement_id": row.agreement_id,
                "class_code": row.class_code,
                "class_title": row.class_title,
                "bargaining_unit": unit,
                "effective_date": on[-1],
                "years_of_service": years,
                "step": row.step,
                "base_annual": base,
                "employer_benefits_annual": ben,
                "time_off_hours": round(pto_hours, 3),
                "time_off_value_annual": pto_value,
                "total_annual": round(base + ben + pto_value, 2),
                "missing": "; ".join(items.missing),
                "note": "; ".join(
                    [
                        f"step {row.step} after {years:g} years (fastest path)",
                        *([f"benefits in force on {when:%m/%d/%Y}"] if when != on[-1] else []),
                        *items.notes,
                        *pto_notes,
                    ]
                ),
                "source_refs": join_refs([row.source_ref, *items.refs, *pto_refs]),
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def _held_rows(sched: pd.DataFrame, step: str) -> pd.DataFrame:
    """Per class and unit, the row of `step` (or the class's top step when its range is
    shorter)."""
    s = sched.assign(_o=sched["step"].map(step_order), _hit=sched["step"] == step)
    keys = ["class_code", "bargaining_unit"]
    s = s.sort_values(["_hit", "_o"]).groupby(keys, dropna=False).tail(1)
    return s.drop(columns=["_o", "_hit"]).sort_values(keys).reset_index(drop=True)
