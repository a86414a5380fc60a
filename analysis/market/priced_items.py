"""The items of total compensation each side of a market gap prices, per compared row: an
agreement's from etl/employer_costs.py (the one definition, with the user's benefit rates when
given), a State Controller import's from the costs its employer reported.

The date an agreement's benefits are taken on: the as-of date for a row whose schedule is the
one in force then (the subject's own, a comparator inside its term: factor 1), else the row's
schedule date (a comparator brought to the date by CPI is priced inside its own term, as its
pay is).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.warehouse import query
from etl import benefit_pricing, employer_costs
from etl import total_compensation as tc
from etl.benefit_pricing import Choice
from etl.citations import join_refs
from etl.pay import HOURS_PER_YEAR

UNITS_SQL = """
SELECT DISTINCT class_code, effective_date, bargaining_unit FROM salary_schedule
WHERE agency = ? ORDER BY class_code, effective_date, bargaining_unit
"""
INPUTS_SQL = {
    "benefit_shares": "SELECT * FROM benefit_shares WHERE agency = ?",
    "time_off": "SELECT * FROM time_off WHERE agency = ?",
    "premiums": "SELECT * FROM premiums WHERE agency = ? AND paid_to_class IS NOT NULL",
}
AGREEMENT_ITEMS = ("deferred_comp", "retirement", "health", "other_benefits", "time_off")


def rates_of(rates: pd.DataFrame | None, agency: str) -> pd.DataFrame | None:
    if rates is None or rates.empty:
        return None
    mine = rates[rates["agency"] == agency]
    return mine if not mine.empty else None


def agreement_prices(con, agency: str, rates: pd.DataFrame | None = None) -> set[str]:
    """The items an agreement agency can price: what its agreement prices by itself, and
    health and retirement when the user's rates give them."""
    f = {k: query(con, sql, [agency]) for k, sql in INPUTS_SQL.items()}
    b, t = f["benefit_shares"], f["time_off"]
    have = set()
    if (b["benefit"].isin(tc.PERCENT_OF_PAY)).any():
        have.add("deferred_comp")
    if (b["benefit"] == "housing_assistance").any() or not f["premiums"].empty:
        have.add("other_benefits")
    if (t["kind"].isin(tc.PAID_TIME_OFF) & t["hours_per_year"].notna()).any():
        have.add("time_off")
    mine = rates_of(rates, agency)
    if mine is not None:
        have |= {benefit_pricing.ITEM_OF[b] for b in mine["benefit"]}
    return have


def _priced_on(when: pd.Timestamp, as_of: date | None, factor: float) -> date:
    if as_of is not None and when.date() <= as_of and abs(factor - 1) < 1e-12:
        return as_of
    return when.date()


def agreement_items(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    rows: pd.DataFrame,
    years: float,
    *,
    rates: pd.DataFrame | None = None,
    choice: Choice | None = None,
    as_of: date | None = None,
) -> pd.DataFrame:
    """For `rows` (class_code, schedule_date, annual: the pay compared; factor, optional) of
    one agreement agency: one column per AGREEMENT_ITEMS (dollars a year; NaN where nothing
    priced it), time_off_hours, items_note, items_refs and items_missing, aligned with `rows`."""
    f = {k: query(con, sql, [agency]) for k, sql in INPUTS_SQL.items()}
    units = query(con, UNITS_SQL, [agency])
    units["effective_date"] = pd.to_datetime(units["effective_date"])
    unit_of = (
        units.drop_duplicates(["class_code", "effective_date"])
        .set_index(["class_code", "effective_date"])["bargaining_unit"]
        .to_dict()
    )
    mine = rates_of(rates, agency)
    factors = rows["factor"] if "factor" in rows.columns else pd.Series(1.0, index=rows.index)
    memo: dict = {}
    out = []
    for code, when, annual, factor in zip(
        rows["class_code"],
        pd.to_datetime(rows["schedule_date"]),
        rows["annual"],
        factors.fillna(1.0),
        strict=True,
    ):
        unit = unit_of.get((code, when))
        unit = unit if isinstance(unit, str) else None
        on = _priced_on(when, as_of, float(factor))
        if (unit, on) not in memo:
            items = employer_costs.employer_items(
                f["benefit_shares"], on, unit, rates=mine, choice=choice
            )
            memo[(unit, on)] = (items, *tc.paid_time_off(f["time_off"], unit, years))
        unit_items, hours, pto_notes, pto_refs = memo[(unit, on)]
        items = unit_items.with_allowances(f["premiums"], code, on)
        got = items.annual(float(annual))
        out.append(
            {
                **{i: got.get(i, float("nan")) for i in employer_costs.ITEMS},
                "deferred_comp": got.get("deferred_comp", 0.0),
                "other_benefits": got.get("other_benefits", 0.0),
                "time_off": round(hours * annual / HOURS_PER_YEAR, 2),
                "time_off_hours": round(hours, 3),
                "items_note": "; ".join([*items.notes, *pto_notes]),
                "items_refs": join_refs([*items.refs, *pto_refs]),
                "items_missing": "; ".join(items.missing),
            }
        )
    return pd.DataFrame(out, index=rows.index)


def gcc_items(detail: pd.DataFrame, benefits: pd.DataFrame) -> pd.DataFrame:
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
