"""Market gap on total compensation: the base-pay gap (analysis.market.gap) with each side's
employer-paid benefits and paid time off added, item by item, where its source prices them.

What each kind of agency prices (analysis/market/priced_items.py):
- an agreement of the warehouse: deferred compensation (the employer's percent of pay for the
  class's unit, or none stated), other employer dollars (the housing-assistance match, an
  allowance of the class), and paid time off valued at the compared pay
  (etl/total_compensation, at `years` of service). Retirement and health are stated as
  formulas and shares, not costs: priced only with the user's benefit rates
  (`benefit_rates`: a premium under the agreement's share, at the tier and plan chosen; an
  employer rate in % of pay), each priced item saying which agreement line and rate-file row;
- a State Controller import: the retirement, health and deferred compensation costs the
  employer reported for the matched position (medians of its incumbents), brought to the date
  by the same factor as its pay; no time off;
- uploaded survey data: pay only.

By default an item counts only when every agency compared prices it (`common_only`), so both
sides of the gap hold the same things; otherwise each side holds what it prices and the notes
say which items are one-sided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from analysis.market import gap as market
from analysis.market import gcc as gcc_market
from analysis.market import priced_items
from analysis.market.comparators import comparator_sources
from etl import benefit_pricing, defaults
from etl.benefit_pricing import Choice

ITEMS = {
    "deferred_comp": "deferred compensation",
    "retirement": "retirement",
    "health": "health, dental and vision",
    "other_benefits": "other employer-paid (housing match, allowances, insurance)",
    "time_off": "paid time off",
}
PRICED_BY = {
    "agreement": ("deferred_comp", "other_benefits", "time_off"),
    "gcc": ("retirement", "health", "deferred_comp"),
    "upload": (),
}
SOURCE_NAMES = {
    "agreement": "its agreement",
    "gcc": "State Controller import",
    "upload": "uploaded survey data",
}


@dataclass
class TotalGap:
    """The gap on total compensation: `table` as market.GapResult's (own_top_annual and the
    market columns are totals) plus own_pay_annual, one own_<item> column per item counted,
    own_items_note (what each own item is) and own_not_priced (what is not, and why);
    `detail` the comparator rows with pay_as_of, one column per item and total_as_of (=
    annual_as_of); `coverage` which items each agency prices; `notes`."""

    table: pd.DataFrame
    detail: pd.DataFrame
    coverage: pd.DataFrame
    items: list[str]
    notes: list[str]


def _coverage_word(kind: str, item: str, priced: bool, counted: bool) -> str:
    """What the coverage table says of one item of one agency."""
    if priced:
        return "counted" if counted else "priced, left out"
    if kind == "agreement" and item in ("retirement", "health"):
        return "not priced (a formula or share, not a cost; import its rates to price it)"
    if kind == "agreement":
        return "not in its agreement"
    return "not reported"


def _gcc_prices(benefits: pd.DataFrame, agency: str) -> set[str]:
    b = benefits[benefits["comparator_agency"] == agency]
    cols = {"retirement": "retirement_median", "health": "health_median"}
    cols["deferred_comp"] = "deferred_comp_median"
    return {item for item, col in cols.items() if b[col].notna().any()}


def total_gap(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    comparators: list[str],
    as_of: date,
    *,
    years: float = defaults.DEFAULT_YEARS_OF_SERVICE,
    common_only: bool = True,
    survey_rows: pd.DataFrame | None = None,
    gcc_rows: pd.DataFrame | None = None,
    user_decisions: pd.DataFrame | None = None,
    benefit_rates: pd.DataFrame | None = None,
    tier: str | None = None,
    plan: str | None = None,
    **gap_kwargs,
) -> TotalGap:
    """The market gap of `subject` on total compensation (see the module docstring), the
    agreements' health and retirement priced from the user's `benefit_rates`
    (etl.benefit_pricing.RATE_COLUMNS) at `tier` and `plan`; the other arguments as
    analysis.market.gap.run_gap's."""
    pricing = Pricing(benefit_rates, benefit_pricing.make_choice(tier, plan), as_of)
    gap = market.run_gap(
        con,
        subject,
        comparators,
        as_of,
        survey_rows=survey_rows,
        gcc_rows=gcc_rows,
        user_decisions=user_decisions,
        **gap_kwargs,
    )
    subject = gap.table["subject_agency"].iloc[0] if not gap.table.empty else subject
    src = comparator_sources(con, subject, comparators, survey_rows, gcc_rows)
    benefits = (
        gcc_market.gcc_benefits(
            con, subject, as_of, src.gcc, gcc_rows=gcc_rows, user_decisions=user_decisions
        )
        if src.gcc
        else pd.DataFrame(columns=[*gcc_market.BENEFIT_COLUMNS, "label"])
    )
    prices = {subject: priced_items.agreement_prices(con, subject, benefit_rates)}
    kinds = {subject: "agreement"}
    for a in src.warehouse:
        prices[a], kinds[a] = priced_items.agreement_prices(con, a, benefit_rates), "agreement"
    for a in src.gcc:
        prices[a], kinds[a] = _gcc_prices(benefits, a), "gcc"
    for a in src.upload:
        prices[a], kinds[a] = set(), "upload"
    every = set.intersection(*prices.values())
    items = [
        i for i in ITEMS if (i in every if common_only else any(i in p for p in prices.values()))
    ]
    notes = _notes(subject, prices, items, common_only, years)
    coverage = pd.DataFrame(
        [
            {
                "agency": a,
                "priced_from": SOURCE_NAMES[kinds[a]],
                **{
                    ITEMS[i].capitalize(): _coverage_word(kinds[a], i, i in p, i in items)
                    for i in ITEMS
                },
            }
            for a, p in prices.items()
        ]
    )
    if gap.table.empty:
        return TotalGap(gap.table, gap.detail, coverage, items, gap.notes + notes)
    detail = _detail_items(con, gap.detail, src, benefits, years, pricing)
    detail["pay_as_of"] = detail["annual_as_of"]
    detail["annual_as_of"] = (detail["pay_as_of"] + detail[items].fillna(0).sum(axis=1)).round(2)
    detail["total_as_of"] = detail["annual_as_of"]
    own = _own_items(con, subject, gap.table, years, pricing)
    notes += _unpriced_notes(subject, own, detail, items)
    own_total = (gap.table["own_top_annual"] + own[items].fillna(0).sum(axis=1)).round(2)
    own_frame = gap.table[
        ["subject_class_code", "subject_title", "own_top_step", "own_source_ref"]
    ].assign(own_top_annual=own_total)
    position = gap.table["step_position"].iloc[0]
    table = market._table(
        con,
        subject,
        own_frame,
        gap.table["own_schedule_date"].iloc[0],
        detail,
        as_of,
        gap.table["stat"].iloc[0],
        gap.table["threshold_pct"].iloc[0],
        position,
    )
    per_class = own.assign(
        subject_class_code=gap.table["subject_class_code"],
        own_pay_annual=gap.table["own_top_annual"],
    )
    keep = ["subject_class_code", "own_pay_annual", *items, "items_note", "items_missing"]
    names = {i: f"own_{i}" for i in items}
    names |= {"items_note": "own_items_note", "items_missing": "own_not_priced"}
    table = table.merge(per_class[keep].rename(columns=names), on="subject_class_code", how="left")
    table["basis"] = "total compensation: pay + " + (
        ", ".join(ITEMS[i] for i in items) or "nothing else"
    )
    return TotalGap(table, detail, coverage, items, gap.notes + notes)


@dataclass(frozen=True)
class Pricing:
    """The user's benefit rates and the tier and plan chosen, and the as-of date."""

    rates: pd.DataFrame | None
    choice: Choice
    as_of: date

    def items(self, con, agency: str, rows: pd.DataFrame, years: float) -> pd.DataFrame:
        return priced_items.agreement_items(
            con, agency, rows, years, rates=self.rates, choice=self.choice, as_of=self.as_of
        )


def _detail_items(con, detail, src, benefits, years, pricing: Pricing) -> pd.DataFrame:
    d = detail.copy()
    for item in ITEMS:
        d[item] = pd.NA
    d["time_off_hours"] = pd.NA
    d["items_note"] = ""
    d["items_missing"] = ""
    for a in src.warehouse:
        rows = d[d["comparator_agency"] == a]
        if rows.empty:
            continue
        compared = pd.DataFrame(
            {
                "class_code": rows["comparator_class_code"],
                "schedule_date": rows["schedule_date"],
                "annual": rows["annual_as_of"],
                "factor": rows["factor"],
            }
        )
        got = pricing.items(con, a, compared, years)
        d.loc[got.index, got.columns] = got
    g = d["comparator_agency"].isin(src.gcc)
    if g.any():
        got = priced_items.gcc_items(d[g], benefits)
        d.loc[got.index, got.columns] = got
    for col in (*ITEMS, "time_off_hours"):
        d[col] = pd.to_numeric(d[col], errors="coerce")
    return d


def _own_items(con, subject, table, years, pricing: Pricing) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "class_code": table["subject_class_code"],
            "schedule_date": table["own_schedule_date"],
            "annual": table["own_top_annual"],
        }
    )
    return pricing.items(con, subject, rows, years)


def _unpriced_notes(subject, own, detail, items) -> list[str]:
    """An item counted but not priced for some rows (a premium dated after the date, a tier
    the rate file lacks): the rows and why, so a 0 is never silent."""
    notes = []
    for item in ("retirement", "health"):
        if item not in items:
            continue
        frames = [(subject, own)]
        if "comparator_agency" in detail.columns and "items_missing" in detail.columns:
            frames += [(a, g) for a, g in detail.groupby("comparator_agency", sort=True)]
        for agency, g in frames:
            gone = g[g[item].isna()] if item in g.columns else g.iloc[0:0]
            if gone.empty or "items_missing" not in g.columns:
                continue
            why = next((m for m in gone["items_missing"] if isinstance(m, str) and m), "")
            notes.append(
                f"{ITEMS[item].capitalize()} not priced for {len(gone)} {agency} row(s), counted "
                f"as 0 there: {why or 'no rate in force on the date'}."
            )
    return notes


def _notes(subject, prices, items, common_only, years) -> list[str]:
    what = ", ".join(ITEMS[i] for i in items) or "nothing else (no item every side prices)"
    first = f"Total compensation = pay + {what}."
    if "time_off" in items:
        first += f" Paid time off at {years:g} years of service, valued at the compared pay."
    notes = [first]
    left = [i for i in ITEMS if i not in items]
    for i in left:
        have = [a for a, p in prices.items() if i in p]
        if not have:
            continue
        lacking = [a for a, p in prices.items() if i not in p]
        if common_only:
            notes.append(
                f"{ITEMS[i].capitalize()} left out of both sides: priced for "
                f"{', '.join(have)}, not for {', '.join(lacking)}."
            )
    if not common_only:
        for i in items:
            lacking = [a for a, p in prices.items() if i not in p]
            if lacking:
                notes.append(
                    f"{ITEMS[i].capitalize()} is counted where priced; {', '.join(lacking)} "
                    "price none (not in the agreement, or not reported), so a one-sided item "
                    "moves the gap."
                )
    if subject in prices and not ({"retirement", "health"} & prices[subject]):
        notes.append(
            f"{subject}'s agreements state retirement formulas and premium shares, not their "
            "cost, so retirement and health are not priced for it (import its premium rate "
            "sheet and retirement rate to price them: `bargain benefits import`)."
        )
    return notes
