"""Market gap on total compensation: the base-pay gap (analysis.market.gap) with each side's
employer-paid benefits and paid time off added, item by item, where its source prices them.

What each kind of agency prices:
- an agreement of the warehouse: deferred compensation (the employer's percent of pay for the
  class's unit, or none stated), other employer dollars (the housing-assistance match), and
  paid time off valued at the compared pay (etl/total_compensation, at `years` of service).
  Retirement and health are stated as formulas and shares, not costs: not priced;
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
from analysis.market.comparators import comparator_sources
from analysis.warehouse import query
from etl import defaults
from etl import total_compensation as tc
from etl.pay import HOURS_PER_YEAR

ITEMS = {
    "deferred_comp": "deferred compensation",
    "retirement": "retirement",
    "health": "health, dental and vision",
    "other_benefits": "other employer-paid (housing match)",
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
UNITS_SQL = """
SELECT DISTINCT class_code, effective_date, bargaining_unit FROM salary_schedule
WHERE agency = ? ORDER BY class_code, effective_date, bargaining_unit
"""
INPUTS_SQL = {
    "benefit_shares": "SELECT * FROM benefit_shares WHERE agency = ?",
    "time_off": "SELECT * FROM time_off WHERE agency = ?",
}


@dataclass
class TotalGap:
    """The gap on total compensation: `table` as market.GapResult's (own_top_annual and the
    market columns are totals) plus own_pay_annual and one own_<item> column per item
    counted; `detail` the comparator rows with pay_as_of, one column per item and
    total_as_of (= annual_as_of); `coverage` which items each agency prices; `notes`."""

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
        return "not priced (a formula or share, not a cost)"
    if kind == "agreement":
        return "not in its agreement"
    return "not reported"


def _agreement_prices(con, agency: str) -> set[str]:
    f = {k: query(con, sql, [agency]) for k, sql in INPUTS_SQL.items()}
    b, t = f["benefit_shares"], f["time_off"]
    have = set()
    if (b["benefit"].isin(tc.PERCENT_OF_PAY)).any():
        have.add("deferred_comp")
    if (b["benefit"] == "housing_assistance").any():
        have.add("other_benefits")
    if (t["kind"].isin(tc.PAID_TIME_OFF) & t["hours_per_year"].notna()).any():
        have.add("time_off")
    return have


def _gcc_prices(benefits: pd.DataFrame, agency: str) -> set[str]:
    b = benefits[benefits["comparator_agency"] == agency]
    cols = {"retirement": "retirement_median", "health": "health_median"}
    cols["deferred_comp"] = "deferred_comp_median"
    return {item for item, col in cols.items() if b[col].notna().any()}


def agreement_items(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    rows: pd.DataFrame,
    years: float,
) -> pd.DataFrame:
    """For `rows` (class_code, schedule_date, annual: the pay compared) of one agreement
    agency: deferred_comp, other_benefits, time_off (dollars a year), time_off_hours, note
    and refs, aligned with `rows`."""
    f = {k: query(con, sql, [agency]) for k, sql in INPUTS_SQL.items()}
    units = query(con, UNITS_SQL, [agency])
    units["effective_date"] = pd.to_datetime(units["effective_date"])
    unit_of = (
        units.drop_duplicates(["class_code", "effective_date"])
        .set_index(["class_code", "effective_date"])["bargaining_unit"]
        .to_dict()
    )
    memo: dict = {}
    out = []
    for code, when, annual in zip(
        rows["class_code"], pd.to_datetime(rows["schedule_date"]), rows["annual"], strict=True
    ):
        unit = unit_of.get((code, when))
        unit = unit if isinstance(unit, str) else None
        key = (unit, when)
        if key not in memo:
            pct, dollars, ben_notes, ben_refs, _ = tc.employer_benefits(
                f["benefit_shares"], when.date(), unit
            )
            hours, pto_notes, pto_refs = tc.paid_time_off(f["time_off"], unit, years)
            memo[key] = (pct, dollars, hours, [*ben_notes, *pto_notes], [*ben_refs, *pto_refs])
        pct, dollars, hours, notes, refs = memo[key]
        out.append(
            {
                "deferred_comp": round(annual * pct / 100, 2),
                "other_benefits": round(dollars, 2),
                "time_off": round(hours * annual / HOURS_PER_YEAR, 2),
                "time_off_hours": round(hours, 3),
                "items_note": "; ".join(notes),
                "items_refs": "; ".join(dict.fromkeys(refs)),
            }
        )
    return pd.DataFrame(out, index=rows.index)


def _gcc_items(detail: pd.DataFrame, benefits: pd.DataFrame) -> pd.DataFrame:
    """The reported costs of each GCC detail row's position, times the row's pay factor."""
    b = benefits.rename(
        columns={
            "retirement_median": "retirement",
            "health_median": "health",
            "deferred_comp_median": "deferred_comp",
        }
    )[["subject_class_code", "comparator_agency", "retirement", "health", "deferred_comp", "label"]]
    b = b.drop_duplicates(["subject_class_code", "comparator_agency"])
    m = detail[["subject_class_code", "comparator_agency", "factor"]].merge(
        b, on=["subject_class_code", "comparator_agency"], how="left"
    )
    m.index = detail.index
    factor = m["factor"].fillna(1.0).astype(float)
    for item in ("retirement", "health", "deferred_comp"):
        m[item] = (m[item].astype(float) * factor).round(2)
    m["items_note"] = [
        f"employer costs {lab}" + (f", × {f:.4f} as its pay" if abs(f - 1) > 1e-9 else "")
        if isinstance(lab, str)
        else "no employer costs reported"
        for lab, f in zip(m["label"], factor, strict=True)
    ]
    return m[["retirement", "health", "deferred_comp", "items_note"]]


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
    **gap_kwargs,
) -> TotalGap:
    """The market gap of `subject` on total compensation (see the module docstring); the
    other arguments as analysis.market.gap.run_gap's."""
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
    prices = {subject: _agreement_prices(con, subject)}
    kinds = {subject: "agreement"}
    for a in src.warehouse:
        prices[a], kinds[a] = _agreement_prices(con, a), "agreement"
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
    detail = _detail_items(con, gap.detail, src, benefits, years)
    detail["pay_as_of"] = detail["annual_as_of"]
    detail["annual_as_of"] = (detail["pay_as_of"] + detail[items].fillna(0).sum(axis=1)).round(2)
    detail["total_as_of"] = detail["annual_as_of"]
    own = _own_items(con, subject, gap.table, years)
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
    keep = ["subject_class_code", "own_pay_annual", *items]
    table = table.merge(
        per_class[keep].rename(columns={i: f"own_{i}" for i in items}),
        on="subject_class_code",
        how="left",
    )
    table["basis"] = "total compensation: pay + " + (
        ", ".join(ITEMS[i] for i in items) or "nothing else"
    )
    return TotalGap(table, detail, coverage, items, gap.notes + notes)


def _detail_items(con, detail, src, benefits, years) -> pd.DataFrame:
    d = detail.copy()
    for item in ITEMS:
        d[item] = pd.NA
    d["time_off_hours"] = pd.NA
    d["items_note"] = ""
    for a in src.warehouse:
        rows = d[d["comparator_agency"] == a]
        if rows.empty:
            continue
        compared = pd.DataFrame(
            {
                "class_code": rows["comparator_class_code"],
                "schedule_date": rows["schedule_date"],
                "annual": rows["annual_as_of"],
            }
        )
        got = agreement_items(con, a, compared, years)
        d.loc[got.index, got.columns] = got
    g = d["comparator_agency"].isin(src.gcc)
    if g.any():
        got = _gcc_items(d[g], benefits)
        d.loc[got.index, got.columns] = got
    for col in (*ITEMS, "time_off_hours"):
        d[col] = pd.to_numeric(d[col], errors="coerce")
    return d


def _own_items(con, subject, table, years) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "class_code": table["subject_class_code"],
            "schedule_date": table["own_schedule_date"],
            "annual": table["own_top_annual"],
        }
    )
    got = agreement_items(con, subject, rows, years)
    for item in ("retirement", "health"):
        got[item] = float("nan")
    return got


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
            "cost, so retirement and health are not priced for it."
        )
    return notes
