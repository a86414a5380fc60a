"""What the employer pays for a class on a date, item by item: the one place the employer
side of total compensation is put together (etl/total_compensation.py adds it to pay, and
analysis/market/total.py compares it item by item).

Items (the total-compensation gap's, analysis/market/total.ITEMS):
- deferred_comp: the employer's percent of pay for the class's unit (Sonoma 8.21.2, ended by
  17.14 on the date the text names);
- retirement: an employer rate in % of pay from the user's benefit rates;
- health: the agreement's share of the medical, dental and vision premiums the user imported;
- other_benefits: the housing-assistance match per hour (Sonoma 17.9), an allowance the
  agreement pays every employee of the class (`premiums.paid_to_class`, Sonoma 18.8), and the
  share of life, disability and EAP premiums the user imported.

Only the shares for every regular employee count (`benefit_shares.employee_group` NULL): an
extra-help plan (Sonoma 12.20), a leave-without-pay rule (Mendocino 16.2) or a benefit for
VDT users is not every employee's compensation. `missing` names, per benefit, what could not
be priced and why; it is never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from etl import benefit_pricing, labels, pay
from etl.rounding import decimal_of, round_half_up

ITEMS = ("deferred_comp", "retirement", "health", "other_benefits")
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
# An allowance a class is paid, to dollars a year (and how the note says its basis).
ALLOWANCE_PER_YEAR = {
    "usd_per_month": pay.MONTHS_PER_YEAR,
    "usd_per_year": 1,
    "usd_per_pay_period": pay.PAY_PERIODS_PER_YEAR,
    "usd_per_hour": pay.HOURS_PER_YEAR,
}
_PER = {
    "usd_per_month": "a month",
    "usd_per_year": "a year",
    "usd_per_pay_period": "a pay period",
    "usd_per_hour": "an hour",
}


@dataclass
class EmployerItems:
    """Per item, the employer's percent of pay and dollars a year; what each priced thing
    is (notes) and where it comes from (refs); what could not be priced (missing)."""

    pct: dict[str, Decimal] = field(default_factory=dict)
    dollars: dict[str, Decimal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, item: str, *, pct: Decimal | None = None, dollars: Decimal | None = None):
        if pct is not None:
            self.pct[item] = self.pct.get(item, Decimal(0)) + pct
        if dollars is not None:
            self.dollars[item] = self.dollars.get(item, Decimal(0)) + dollars

    @property
    def items(self) -> list[str]:
        return [i for i in ITEMS if i in self.pct or i in self.dollars]

    def annual(self, pay_annual: float) -> dict[str, float]:
        """Dollars a year of each item for this pay: % of pay × pay (to the cent, half up) +
        the dollar amounts."""
        base = decimal_of(pay_annual)
        out = {}
        for i in self.items:
            part = round_half_up(base * self.pct.get(i, Decimal(0)) / 100)
            out[i] = float(part + self.dollars.get(i, Decimal(0)))
        return out

    def with_allowances(self, premiums: pd.DataFrame | None, class_code: str, when: date):
        """A copy with the allowances paid to every employee of `class_code` added."""
        out = EmployerItems(
            dict(self.pct), dict(self.dollars), list(self.notes), list(self.refs), self.missing
        )
        if premiums is None or premiums.empty or "paid_to_class" not in premiums.columns:
            return out
        mine = premiums[premiums["paid_to_class"] == class_code]
        mine = mine[mine["basis"].isin(ALLOWANCE_PER_YEAR)]
        for r in benefit_pricing.in_force(mine, when, ["premium"]).itertuples():
            times = ALLOWANCE_PER_YEAR[r.basis]
            out.add("other_benefits", dollars=round_half_up(decimal_of(r.value) * times))
            what = f"{labels.words(r.premium)} ${r.value:,.2f} {_PER[r.basis]}"
            out.notes.append(f"{what} × {times:g}" if times != 1 else what)
            out.refs.append(r.source_ref)
        return out


def _unit_matches(tier: object, unit: object) -> bool:
    if not isinstance(tier, str) or not tier.strip() or tier.strip().lower() == "all":
        return True
    if not isinstance(unit, str):
        return False
    return unit in [t.strip() for t in tier.split(",")]


def _stated(rows: pd.DataFrame) -> str | None:
    """What the agreement states of a premium share, in words, or None."""
    pcts = sorted({float(p) for p in rows["employer_pct"].dropna()})
    if pcts:
        shown = ", ".join(f"{p:g}%" for p in pcts)
        return f"the employer's share ({shown}{' by plan' if len(pcts) > 1 else ''}) is stated"
    amounts = rows.dropna(subset=["employee_amount"])
    if not amounts.empty:
        r = amounts.iloc[-1]
        per = labels.label("amount_period", r.amount_period)
        return f"the employee pays ${r.employee_amount:,.2f} {per}"
    return None


def _agreement_missing(general: pd.DataFrame, priced: benefit_pricing.Priced) -> list[str]:
    """Per premium-share benefit of the agreement not priced: what it states and why not."""
    missing: dict[str, str] = dict(priced.unpriced)
    for benefit, rows in general.groupby("benefit", sort=True):
        if benefit not in PREMIUM_SHARES or benefit in priced.priced:
            continue
        parts = [p for p in benefit_pricing.COMBINED_PARTS if p in priced.priced]
        name = labels.label("benefit", benefit)
        if benefit == "health_combined" and len(parts) == 3:
            continue
        stated = _stated(rows)
        if stated is None or benefit in missing:
            continue
        if benefit == "health_combined" and parts:
            left = [
                labels.label("benefit", p) for p in benefit_pricing.COMBINED_PARTS if p not in parts
            ]
            missing[benefit] = f"{name}: {stated}; no {' or '.join(left)} premium imported"
        else:
            missing[benefit] = f"{name}: {stated}, not the premium"
    if (general["benefit"] == "retirement").any() and "retirement" not in priced.priced:
        missing["retirement"] = (
            "retirement: the agreement states a formula and contributions, not the "
            "employer's cost (import the retirement system's employer rate)"
        )
    return sorted(missing.values())


def employer_items(
    benefits: pd.DataFrame,
    when: date,
    unit: str | None,
    *,
    rates: pd.DataFrame | None = None,
    choice: benefit_pricing.Choice | None = None,
) -> EmployerItems:
    """What the employer pays on `when` for a class of `unit` (module docstring), from the
    agreement's `benefits` (benefit_shares rows of one agency) and the user's `rates` of the
    same agency (benefit_pricing.RATE_COLUMNS; None: the agreement alone). Allowances of a
    class are added by `EmployerItems.with_allowances`."""
    out = EmployerItems()
    general = benefits
    if "employee_group" in benefits.columns:
        general = benefits[benefits["employee_group"].isna()]
    now = benefit_pricing.in_force(general, when, ["benefit", "plan", "tier"])
    for r in now.itertuples():
        if r.benefit in PERCENT_OF_PAY and pd.notna(r.employer_pct):
            if _unit_matches(r.tier, unit):
                out.add(r.benefit, pct=decimal_of(r.employer_pct))
                out.notes.append(f"{labels.label('benefit', r.benefit)} {r.employer_pct:g}% of pay")
                out.refs.append(r.source_ref)
        elif r.benefit == "housing_assistance" and pd.notna(r.effective_date):
            per_hour = decimal_of(r.employee_amount)  # the employer matches the employee's cents
            out.add("other_benefits", dollars=round_half_up(per_hour * pay.HOURS_PER_YEAR))
            out.notes.append(f"housing assistance match ${per_hour:.2f}/h × 2,080")
            out.refs.append(r.source_ref)
    priced = benefit_pricing.price(general, rates, when, choice)
    for item in ITEMS:
        if item in priced.pct or item in priced.dollars:
            out.add(item, pct=priced.pct.get(item), dollars=priced.dollars.get(item))
    out.notes += priced.notes
    out.refs += priced.refs
    out.missing = _agreement_missing(now, priced)
    return out
