"""Total compensation and paid time off, compared across agencies: the warehouse's views fed
to etl/total_compensation.py (the same code the build runs for the `total_compensation` view,
here for any years of service)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import agencies
from analysis.crosswalk import match as crosswalk
from analysis.warehouse import query
from etl import total_compensation as tc

INPUTS = {
    "salary_schedule": "SELECT * FROM salary_schedule WHERE agency = ?",
    "benefit_shares": "SELECT * FROM benefit_shares WHERE agency = ?",
    "time_off": "SELECT * FROM time_off WHERE agency = ?",
}
UNITS_SQL = """
SELECT bargaining_unit, count(DISTINCT class_code) AS n FROM salary_schedule
WHERE agency = ? AND bargaining_unit IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1
"""


def _inputs(con: duckdb.DuckDBPyConnection, agency: str) -> dict[str, pd.DataFrame]:
    return {name: query(con, sql, [agency]) for name, sql in INPUTS.items()}


def for_agency(
    con: duckdb.DuckDBPyConnection, agency: str, as_of: date, years: float
) -> pd.DataFrame:
    """Every class of `agency`: total compensation in the schedule in force on `as_of` at
    `years` of service (etl/total_compensation.COLUMNS)."""
    rule = agencies.step_rule(con, agency, as_of)
    f = _inputs(con, agency)
    rates = f["salary_schedule"][f["salary_schedule"]["agreement_id"] == rule.agreement_id]
    return tc.total_compensation(rates, rule, f["benefit_shares"], f["time_off"], as_of, years)


def across_agencies(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    class_code: str,
    dates: dict[str, date],
    years: float,
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
        t = for_agency(con, agency, dates[agency], years)
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
            row["source_ref"] = "; ".join(dict.fromkeys(refs))
            rows.append(row)
        total = {"agency": agency, "kind": "all paid time off", "unit": unit}
        for y in years:
            total[f"{y:g} years"] = round(tc.paid_time_off(t, unit, y)[0], 1)
        rows.append({**total, "source_ref": ""})
    return pd.DataFrame(rows)
