"""A member's total compensation: the pay of the step they hold, what the employer pays on
top of it (etl/employer_costs.py, the one definition; health and retirement only with the
user's benefit rates, passed in), and the value of their paid time off, with what is and is
not included said in words. The My pay page and the static member site read it beside
analysis.member.my_pay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, steps
from analysis.member import data as member_data
from analysis.warehouse import memo, query
from etl import benefit_pricing, defaults, employer_costs
from etl import total_compensation as tc
from etl.pay import HOURS_PER_YEAR
from etl.pay_calendar import whole_months

ITEM_WORDS = {
    "deferred_comp": "Deferred compensation (employer)",
    "retirement": "Retirement (employer rate)",
    "health": "Health, dental and vision (employer share)",
    "other_benefits": "Other employer-paid (housing match, allowances, insurance)",
}
INPUTS = {
    "benefit_shares": "SELECT * FROM benefit_shares WHERE agency = ?",
    "time_off": "SELECT * FROM time_off WHERE agency = ?",
    "premiums": "SELECT * FROM premiums WHERE agency = ? AND paid_to_class IS NOT NULL",
}


@dataclass
class MemberTotal:
    """Pay a year, each employer item a year, paid time off (hours and value), the total;
    `included` what each counted part is, `not_included` what is not priced and why,
    `refs` every source (agreement lines, the user's rate-file rows)."""

    pay_annual: float
    items: dict[str, float]
    time_off_hours: float
    time_off_value: float
    total: float
    years: float
    priced: bool  # the user's rates priced something (health, retirement ...)
    included: list[str] = field(default_factory=list)
    not_included: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """One row per part: part, dollars a year."""
        rows = [("Pay (your step)", self.pay_annual)]
        rows += [(ITEM_WORDS[i], v) for i, v in self.items.items()]
        rows.append(
            (f"Paid time off ({self.time_off_hours:g} h a year, valued)", self.time_off_value)
        )
        rows.append(("Total compensation", self.total))
        return pd.DataFrame(rows, columns=["part", "annual"])


def years_from_hire(hire: date | None, as_of: date) -> float | None:
    """Whole months of service from the hire date, in years (None without a hire date)."""
    if hire is None:
        return None
    return max(whole_months(hire, as_of), 0) / 12


def my_total(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    as_of: date,
    pay_annual: float,
    unit: str | None,
    years: float,
    *,
    rates: pd.DataFrame | None = None,
    tier: str | None = None,
    plan: str | None = None,
) -> MemberTotal:
    """Total compensation of a member of `class_code` (unit `unit`) paid `pay_annual` on
    `as_of`, at `years` of service; `rates` the user's benefit rates (any agencies)."""
    # An agency's shares, premiums and leave, read once per warehouse connection.
    f = {
        k: memo(con, f"member:total:{k}:{agency}", lambda sql=sql: query(con, sql, [agency]))
        for k, sql in INPUTS.items()
    }
    mine = rates[rates["agency"] == agency] if rates is not None and not rates.empty else None
    mine = mine if mine is not None and not mine.empty else None
    choice = benefit_pricing.make_choice(tier, plan)
    got = employer_costs.employer_items(
        f["benefit_shares"], as_of, unit, rates=mine, choice=choice
    ).with_allowances(f["premiums"], class_code, as_of)
    items = got.annual(pay_annual)
    hours, pto_notes, pto_refs = tc.paid_time_off(f["time_off"], unit, years)
    pto_value = round(hours * pay_annual / HOURS_PER_YEAR, 2)
    total = round(pay_annual + sum(items.values()) + pto_value, 2)
    priced_words = {
        benefit_pricing.ITEM_OF[b] for b in (mine["benefit"] if mine is not None else [])
    }
    return MemberTotal(
        pay_annual=round(pay_annual, 2),
        items=items,
        time_off_hours=round(hours, 3),
        time_off_value=pto_value,
        total=total,
        years=years,
        priced=bool(priced_words & set(items)),
        included=[*got.notes, *(f"paid time off: {n}" for n in pto_notes)],
        not_included=list(got.missing),
        refs=list(dict.fromkeys([*got.refs, *pto_refs])),
    )


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
    """The member's total compensation on `as_of` (MemberTotal): the
    pay of the step from the hire date (fastest path) or the step given, the employer's items
    (health and retirement priced from the user's benefit `rates`, at `tier` and `plan`), and
    paid time off at the years since the hire date (else the default years, and a note)."""
    rule = agencies.step_rule(con, agency, as_of)
    years = years_from_hire(hire_date, as_of)
    if hire_date is not None:
        months = round((years or 0) * 12)
        step = steps.step_at(steps.step_timeline(rule), months)
    step = step or rule.hire_step
    class_rates = member_data.class_rows(con, agency, class_code, None)
    now = steps.steps_on(class_rates, rule, as_of).set_index("step").loc[step]
    unit = now.get("bargaining_unit")
    got = my_total(
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
