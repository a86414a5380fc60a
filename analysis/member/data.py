"""The warehouse rows behind a member's figures (analysis/member/class_figures.py), read once per
agency and kept per read-only connection (analysis.warehouse.memo): publishing a site reads
an agency's schedule once for its hundreds of classes, and the My pay page reads the same
rows the same way. Each reader returns what the one-class function it stands for would
(steps._class_rates, agencies.step_rule, crosswalk.crosswalk, ...)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, compensation, premium_eligibility
from analysis.crosswalk import match as crosswalk
from analysis.steps import CLASS_RATES_SQL, one_unit
from analysis.warehouse import memo, query
from etl.records import StepRule

AGENCY_RATES_SQL = CLASS_RATES_SQL.replace("AND class_code = ?", "").replace(
    "ORDER BY effective_date", "ORDER BY class_code, effective_date"
)
RAISES_SQL = """
SELECT agreement_id, effective_date, kind, class_code, pct, amount, source_ref, note
FROM wage_increases WHERE agency = ? ORDER BY effective_date, kind, class_code NULLS FIRST
"""
TOTALS_SQL = "SELECT * FROM total_compensation WHERE agency = ? ORDER BY class_code, effective_date"
CLASSES_SQL = """
SELECT class_code, bargaining_unit, min(class_title) AS class_title,
       bool_or(coalesce(payroll_only, false)) AS payroll_only
FROM salary_schedule WHERE agency = ? GROUP BY class_code, bargaining_unit
ORDER BY class_code, bargaining_unit NULLS FIRST
"""


def _rates_by_class(con: duckdb.DuckDBPyConnection, agency: str) -> dict[str, pd.DataFrame]:
    df = query(con, AGENCY_RATES_SQL, [agency])
    df = df.assign(effective_date=pd.to_datetime(df["effective_date"]).dt.date)
    return {str(code): g.reset_index(drop=True) for code, g in df.groupby("class_code", sort=True)}


_NO_ROWS = pd.DataFrame({"bargaining_unit": []})


def class_rows(
    con: duckdb.DuckDBPyConnection, agency: str, class_code: str, unit: str | None
) -> pd.DataFrame:
    """Every schedule row of one class (steps._class_rates: the same rows, the same errors),
    from the agency's rows read once."""
    agencies.require_salary_table(con, agency)
    by_class = memo(con, f"member:rates:{agency}", lambda: _rates_by_class(con, agency))
    rates = by_class.get(str(class_code), _NO_ROWS)
    return one_unit(rates, agency, class_code, unit)


def classes(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """One row per class and bargaining unit with a salary schedule: class_code,
    bargaining_unit, class_title, payroll_only."""
    return query(con, CLASSES_SQL, [agency])


def rule(con: duckdb.DuckDBPyConnection, agency: str, as_of: date) -> StepRule:
    kept = memo(con, f"member:rule:{agency}:{as_of}", lambda: {"rule": _rule(con, agency, as_of)})
    return kept["rule"]


def _rule(con, agency, as_of):
    return agencies.step_rule(con, agency, as_of)


def default_as_of(con: duckdb.DuckDBPyConnection, agency: str) -> date:
    kept = memo(con, f"member:as_of:{agency}", lambda: {"d": agencies.default_as_of(con, agency)})
    return kept["d"]


def raises(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """The agency's wage_increases rows, dates as dates."""

    def read():
        df = query(con, RAISES_SQL, [agency])
        return df.assign(effective_date=pd.to_datetime(df["effective_date"]).dt.date)

    return memo(con, f"member:raises:{agency}", read)


def totals(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """The agency's total_compensation rows, dates as dates."""

    def read():
        df = query(con, TOTALS_SQL, [agency])
        return df.assign(effective_date=pd.to_datetime(df["effective_date"]).dt.date)

    return memo(con, f"member:totals:{agency}", read)


def premiums(
    con: duckdb.DuckDBPyConnection, agency: str, as_of: date
) -> tuple[pd.DataFrame, dict[str, float]]:
    """The agency's premiums in force on `as_of` and its overtime rate
    (compensation.premiums_in_force)."""

    def read():
        rows, overtime = compensation.premiums_in_force(con, as_of, agency)
        return {"rows": rows, "overtime": overtime}

    kept = memo(con, f"member:premiums:{agency}:{as_of}", read)
    return kept["rows"], kept["overtime"]


def titles(con: duckdb.DuckDBPyConnection, agency: str) -> premium_eligibility.Titles:
    """The agency's class titles, compiled for reading premium eligibility."""

    def read():
        c = classes(con, agency)
        pairs = zip(c["class_code"], c["class_title"], strict=True)
        return {"t": premium_eligibility.Titles(pairs)}

    return memo(con, f"member:titles:{agency}", read)["t"]


def units(con: duckdb.DuckDBPyConnection, agency: str) -> list[str]:
    c = memo(con, f"member:classes:{agency}", lambda: classes(con, agency))
    return sorted(c["bargaining_unit"].dropna().unique())


def matched(con: duckdb.DuckDBPyConnection, agency: str, other: str) -> dict[str, dict]:
    """crosswalk.crosswalk(con, agency, other) as {subject class code: its row}, for the
    classes with a comparable class at `other` (curated overrides, no user decisions, as the
    My pay page has always matched)."""

    def read():
        xw = crosswalk.crosswalk(con, agency, other)
        hit = xw[xw["comparator_class_code"].notna()].drop_duplicates("subject_class_code")
        return {str(r["subject_class_code"]): r for r in hit.to_dict("records")}

    return memo(con, f"member:crosswalk:{agency}:{other}", read)
