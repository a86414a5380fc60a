"""Total compensation and paid time off, compared across agencies: the warehouse's views fed
to etl/total_compensation.py (the same code the build runs for the `total_compensation` view,
here for any years of service and with the user's benefit rates: a page or command reads them
from user data and passes them in as `rates`, with the tier and plan chosen)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import agencies
from analysis.crosswalk import match as crosswalk
from analysis.warehouse import query
from etl import benefit_pricing
from etl import total_compensation as tc
from etl.benefit_pricing import Choice
from etl.citations import join_refs

INPUTS = {
    "salary_schedule": "SELECT * FROM salary_schedule WHERE agency = ?",
    "benefit_shares": "SELECT * FROM benefit_shares WHERE agency = ?",
    "time_off": "SELECT * FROM time_off WHERE agency = ?",
    "premiums": "SELECT * FROM premiums WHERE agency = ? AND paid_to_class IS NOT NULL",
}
UNITS_SQL = """
SELECT bargaining_unit, count(DISTINCT class_code) AS n FROM salary_schedule
WHERE agency = ? AND bargaining_unit IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1
"""


def _inputs(con: duckdb.DuckDBPyConnection, agency: str) -> dict[str, pd.DataFrame]:
    return {name: query(con, sql, [agency]) for name, sql in INPUTS.items()}


def rates_of(rates: pd.DataFrame | None, agency: str) -> pd.DataFrame | None:
    """The user's benefit rate rows of one agency (None when there are none)."""
    if rates is None or rates.empty:
        return None
    mine = rates[rates["agency"] == agency]
    return mine if not mine.empty else None


def for_agency(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    as_of: date,
    years: float,
    *,
    rates: pd.DataFrame | None = None,
    tier: str | None = None,
    plan: str | None = None,
) -> pd.DataFrame:
    """Every class of `agency`: total compensation in the schedule in force on `as_of` at
    `years` of service (etl/total_compensation.COLUMNS); with the user's benefit `rates`
    (etl/benefit_pricing.RATE_COLUMNS, any agencies), priced at `tier` (a coverage tier, words
    or code) and `plan`."""
    rule = agencies.step_rule(con, agency, as_of)
    f = _inputs(con, agency)
    sched = f["salary_schedule"][f["salary_schedule"]["agreement_id"] == rule.agreement_id]
    return tc.total_compensation(
        sched,
        rule,
        f["benefit_shares"],
        f["time_off"],
        as_of,
        years,
        premiums=f["premiums"],
        benefit_rates=rates_of(rates, agency),
        choice=choice_of(tier, plan),
    )


def choice_of(tier: str | None, plan: str | None) -> Choice:
    """The tier and plan chosen (etl.benefit_pricing.make_choice)."""
    return benefit_pricing.make_choice(tier, plan)


def across_agencies(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    class_code: str,
    dates: dict[str, date],
    years: float,
    *,
    rates: pd.DataFrame | None = None,
    tier: str | None = None,
    plan: str | None = None,
) -> pd.DataFrame:
    """The subject's class and its matched class in every other agency with a salary table
    (the crosswalk), each on its own date (`dates`: agency -> date): one row per agency with
    the total compensation columns and `matched_by`."""
    rows = []
    for agency in agencies.names(con, salary_table=True):
        code, how = class_code, "the class itself"
        if agency != subject:
            xw = crosswalk.crosswalk(con, subject, agency)
            hit = xw[(xw["subject_class_code"] == class_code) & xw["comparator_class_code"].notna()]
            if hit.empty:
                continue
            code, how = hit["comparator_class_code"].iloc[0], hit["method"].iloc[0]
        t = for_agency(con, agency, dates[agency], years, rates=rates, tier=tier, plan=plan)
        t = t[t["class_code"] == code].head(1)
        rows.append(t.assign(matched_by=how))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=tc.COLUMNS)


def time_off_by_service(
    con: duckdb.DuckDBPyConnection, names: list[str], years: tuple[float, ...] = (1, 5, 10, 20)
) -> pd.DataFrame:
    """Paid time off a year, by kind, at each years of service, side by side: one row per
    agency x kind with a column per years of service (hours), for the agency's largest unit
    where the time off differs by unit."""
    rows = []
    for agency in names:
        t = query(con, INPUTS["time_off"], [agency])
        if t.empty:
            continue
        unit_row = query(con, UNITS_SQL, [agency])
        unit = unit_row["bargaining_unit"].iloc[0] if not unit_row.empty else None
        for kind in tc.PAID_TIME_OFF:
            k = t[t["kind"] == kind]
            if k.empty or k["hours_per_year"].isna().all():
                continue
            row = {"agency": agency, "kind": kind, "unit": unit}
            refs = []
            for y in years:
                hours, _, r = tc.paid_time_off(k, unit, y)
                row[f"{y:g} years"] = round(hours, 1)
                refs += r
            row["source_ref"] = join_refs(refs)
            rows.append(row)
        total = {"agency": agency, "kind": "all paid time off", "unit": unit}
        for y in years:
            total[f"{y:g} years"] = round(tc.paid_time_off(t, unit, y)[0], 1)
        rows.append({**total, "source_ref": ""})
    return pd.DataFrame(rows)
