"""Total compensation of a class: base pay at the step held after a number of years of
service, the employer-paid benefits the agreement prices, and the value of paid time off.

Pure functions over frames shaped like the public views (`salary_schedule`, `benefit_shares`,
`time_off`) and a StepRule, so the build writes the `total_compensation` view (at the default
years of service) and the analysis computes any other years with the same code.

What is priced, and how (each row says so in `note`, and names in `missing` what it could not
price — never a guess):
- base pay: the class's rate at the step the step rule's fastest path reaches after the years
  of service (every merit approved on time), in the schedule in force on the date, × 2,080;
- employer benefits: a benefit the employer pays as a percent of pay (deferred compensation:
  the rate for the class's unit in force on the date) × base pay; a per-hour employer amount
  (the housing-assistance match) × 2,080. A share of a premium whose dollar amount the
  agreement does not print (medical, dental, vision, life, disability) is named in `missing`;
- paid time off: the hours a year of vacation (the class's unit and service band), holidays,
  floating holidays, personal leave, PTO and sick-leave accrual, valued at the class's hourly
  rate. Base pay already pays those hours; total compensation studies show them as the value
  of time not worked, and so does this. Occasional leaves (bereavement, jury, voting ...) and
  unpaid time off are not counted.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl import labels
from etl.pay import HOURS_PER_YEAR
from etl.records import StepRule, step_order
from etl.rounding import decimal_of, round_half_up

PAID_TIME_OFF = ("vacation", "holiday", "floating_holiday", "personal", "pto", "sick")
PERCENT_OF_PAY = ("deferred_comp",)
# Benefits stated as a share of a premium (or an employee amount) without the premium itself.
PREMIUM_SHARES = (
    "medical",
    "health_combined",
    "dental",
    "vision",
    "life_insurance",
    "long_term_disability",
)
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
    months, idx, first = 0.0, rule.steps.index(rule.hire_step), True
    top = len(rule.steps) - 1
    while idx < top:
        hours = rule.first_advance_hours if first else rule.advance_hours
        months += hours * 12 / HOURS_PER_YEAR
        if months > years * 12 + 1e-9:
            break
        idx, first = min(idx + rule.steps_per_advance, top), False
    return rule.steps[idx]


def _in_force(df: pd.DataFrame, when: date) -> pd.DataFrame:
    """Rows dated on or before `when` (undated rows hold for the whole term), the latest of
    each benefit / plan / tier."""
    if df.empty:
        return df
    eff = pd.to_datetime(df["effective_date"])
    ok = df[eff.isna() | (eff <= pd.Timestamp(when))].assign(_eff=eff)
    keys = [c for c in ("benefit", "plan", "tier") if c in ok.columns]
    ok = ok.sort_values("_eff", na_position="first").groupby(keys, dropna=False).tail(1)
    return ok.drop(columns="_eff")


def _unit_matches(tier: object, unit: object) -> bool:
    if not isinstance(tier, str) or not tier.strip() or tier.strip().lower() == "all":
        return True
    if not isinstance(unit, str):
        return False
    return unit in [t.strip() for t in tier.split(",")]


def employer_benefits(
    benefits: pd.DataFrame, when: date, unit: str | None
) -> tuple[float, float, list[str], list[str], list[str]]:
    """What the employer pays on `when` for a class of `unit`: (percent of pay, dollars a
    year, notes, refs, missing)."""
    pct, dollars, notes, refs, missing = 0.0, 0.0, [], [], {}
    for r in _in_force(benefits, when).itertuples():
        if r.benefit in PERCENT_OF_PAY and pd.notna(r.employer_pct):
            if _unit_matches(r.tier, unit):
                pct += float(r.employer_pct)
                notes.append(f"{labels.label('benefit', r.benefit)} {r.employer_pct:g}% of pay")
                refs.append(r.source_ref)
        elif r.benefit == "housing_assistance" and pd.notna(r.effective_date):
            per_hour = float(r.employee_amount)  # the employer matches the employee's cents
            dollars += per_hour * HOURS_PER_YEAR
            notes.append(f"housing assistance match ${per_hour:.2f}/h × 2,080")
            refs.append(r.source_ref)
        elif r.benefit in PREMIUM_SHARES:
            general = not isinstance(r.tier, str) or r.tier.strip().lower() in ("", "all")
            if r.benefit in missing and not general:
                continue  # a special case (a tier such as leave without pay) after the rule
            if pd.notna(r.employer_pct):
                stated = f"the employer's share ({r.employer_pct:g}%) is stated"
            elif pd.notna(r.employee_amount):
                per = labels.label("amount_period", r.amount_period)
                stated = f"the employee pays ${r.employee_amount:,.2f} {per}"
            else:
                continue
            missing[r.benefit] = f"{labels.label('benefit', r.benefit)}: {stated}, not the premium"
    return pct, dollars, notes, refs, sorted(missing.values())


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
) -> pd.DataFrame:
    """One row per class of `rates` (salary_schedule rows of one agency): total compensation
    in the schedule in force on `when` at `years` of service (COLUMNS)."""
    if rates.empty:
        return pd.DataFrame(columns=COLUMNS)
    dates = sorted(pd.to_datetime(rates["effective_date"]).dt.date.unique())
    on = [d for d in dates if d <= when] or dates[:1]
    sched = rates[pd.to_datetime(rates["effective_date"]).dt.date == on[-1]]
    step = step_after(rule, years)
    held = _held_rows(sched, step)
    units = {u if isinstance(u, str) else None for u in held["bargaining_unit"]}
    by_unit = {}
    for unit in units:
        pct, dollars, ben_notes, ben_refs, missing = employer_benefits(benefits, on[-1], unit)
        pto_hours, pto_notes, pto_refs = paid_time_off(time_off, unit, years)
        by_unit[unit] = (pct, dollars, ben_notes, ben_refs, missing, pto_hours, pto_notes, pto_refs)
    out = []
    for row in held.itertuples():
        unit = row.bargaining_unit if isinstance(row.bargaining_unit, str) else None
        pct, dollars, ben_notes, ben_refs, missing, pto_hours, pto_notes, pto_refs = by_unit[unit]
        hourly = float(row.hourly)
        base = float(round_half_up(decimal_of(hourly) * HOURS_PER_YEAR, 2))
        ben = round(base * pct / 100 + dollars, 2)
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
                "missing": "; ".join(missing),
                "note": "; ".join(
                    [
                        f"step {row.step} after {years:g} years (fastest path)",
                        *ben_notes,
                        *pto_notes,
                    ]
                ),
                "source_refs": "; ".join(dict.fromkeys([row.source_ref, *ben_refs, *pto_refs])),
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
