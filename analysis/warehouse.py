"""Read access to the warehouse's public views. Every query is a named string with `?`
parameters; callers pass a DuckDB connection (or cursor) so the app can share one read-only
connection across sessions and tests can pass their own."""

from __future__ import annotations

import contextlib
import weakref
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from etl import pay
from etl.records import step_order

ALIAS = "wh"


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse file.

    The file is ATTACHed to a private in-memory database rather than opened with
    duckdb.connect(path): DuckDB shares one database instance per path within a process, so
    after a rebuild swapped in a new file, a new duckdb.connect(path) would still see the old
    one while any old connection lived. An attached file is opened afresh."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{_sql_literal(str(db))}' AS {ALIAS} (READ_ONLY)")
    con.execute(f"USE {ALIAS}")
    _SNAPSHOTS[con] = {}
    return con


# Connections from connect(): a read-only file that a rebuild replaces, never changes, so small
# reference frames read through them (the agency list, read by most functions) are kept per
# connection. Other connections (tests, the build's own) are not memoized.
_SNAPSHOTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def memo(con: duckdb.DuckDBPyConnection, key: str, compute):
    """compute() once per read-only warehouse connection (every call on other connections);
    callers get a copy, so changing it changes nothing kept."""
    kept = _SNAPSHOTS.get(con)
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key].copy()


def _sql_literal(text: str) -> str:
    # ATTACH takes no parameters; the path is ours (settings), quotes doubled all the same.
    return text.replace("'", "''")


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    # A cursor per call: DuckDB connections are not safe to share between threads, cursors are.
    cur = con.cursor()
    try:
        # A cursor starts in the default catalog; point it at the attached warehouse (a plain
        # connection to the file, as tests and BI tools use, has no such catalog).
        with contextlib.suppress(duckdb.CatalogException):
            cur.execute(f"USE {ALIAS}")
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


AGREEMENTS_SQL = "SELECT * FROM agreements ORDER BY agency, term_start"

SCHEDULE_DATES_SQL = """
SELECT effective_date, bool_or(is_derived) AS any_derived, bool_and(is_derived) AS all_derived,
       count(DISTINCT class_code) AS classes
FROM salary_schedule WHERE agency = ? GROUP BY effective_date ORDER BY effective_date
"""

UNITS_SQL = """
SELECT DISTINCT bargaining_unit FROM salary_schedule
WHERE agency = ? AND bargaining_unit IS NOT NULL ORDER BY 1
"""

SCHEDULE_SQL = """
SELECT agency, bargaining_unit, class_code, class_title, effective_date, step,
       hourly, biweekly, monthly, annual, is_derived, derivation, payroll_only, source_ref
FROM salary_schedule
WHERE agency = ? AND effective_date = ?
  AND (? IS NULL OR bargaining_unit = ?)
  AND (? IS NULL OR class_title ILIKE '%' || ? || '%' OR class_code ILIKE ? || '%')
ORDER BY class_title, class_code, bargaining_unit, length(step), step
"""


def agreements(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, AGREEMENTS_SQL)


def schedule_dates(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    return query(con, SCHEDULE_DATES_SQL, [agency])


def bargaining_units(con: duckdb.DuckDBPyConnection, agency: str) -> list[str]:
    return query(con, UNITS_SQL, [agency])["bargaining_unit"].tolist()


def schedule(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    effective_date: date,
    unit: str | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """Long form: one row per class x step at one effective date, all four pay bases."""
    search = (search or "").strip() or None
    return query(con, SCHEDULE_SQL, [agency, effective_date, unit, unit, search, search, search])


WIDE_INFO_COLUMNS = (
    "bargaining_unit",
    "class_code",
    "class_title",
    "has_derived_steps",
    "payroll_only",
    "source_ref",
)


def schedule_wide(long: pd.DataFrame, basis: str) -> pd.DataFrame:
    """One row per class, one column per step, in the chosen pay basis."""
    pay.check_basis(basis)
    if long.empty:
        return pd.DataFrame(columns=["class_code", "class_title", "bargaining_unit"])
    keys = ["bargaining_unit", "class_code", "class_title"]
    long = long.assign(bargaining_unit=long["bargaining_unit"].fillna(""))
    wide = long.pivot_table(index=keys, columns="step", values=basis, aggfunc="first")
    steps = sorted(wide.columns, key=step_order)
    rank = {s: i for i, s in enumerate(sorted(long["step"].unique(), key=step_order))}
    wide = wide[steps].reset_index()
    derived = long.groupby(keys)["is_derived"].any().rename("has_derived_steps")
    payroll = long.groupby(keys)["payroll_only"].first().rename("payroll_only")
    # The first step's citation stands for the row (it is the printed one where others derive).
    first = long.assign(_o=long["step"].map(rank)).sort_values("_o", kind="stable")
    src = first.groupby(keys)["source_ref"].first()
    wide = wide.merge(derived, on=keys).merge(payroll, on=keys).merge(src, on=keys, how="left")
    wide.columns.name = None
    # A step whose every value is derived says so in its header (Sonoma B-I, derived dates).
    derived_steps = long.groupby("step")["is_derived"].all()
    wide = wide.rename(columns={s: f"{s} (derived)" for s in steps if derived_steps.get(s)})
    return wide.sort_values(["class_title", "class_code"]).reset_index(drop=True)


def schedule_table(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    effective_date: date,
    unit: str | None,
    search: str | None,
    basis: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the wide table in `basis`, one derived row as an example of how it was derived or an
    empty frame): what the Salary schedules page shows, in one call a page can cache."""
    long = schedule(con, agency, effective_date, unit, search)
    example = long.dropna(subset=["derivation"]).head(1)[["class_title", "derivation"]]
    return schedule_wide(long, basis), example


CLASSES_SQL = """
SELECT DISTINCT class_code, class_title, bargaining_unit, payroll_only FROM salary_schedule
WHERE agency = ? ORDER BY class_title, class_code
"""

STEPS_SQL = """
SELECT DISTINCT step FROM salary_schedule WHERE agency = ? ORDER BY length(step), step
"""

PROVISIONS_SQL = """
SELECT agency, topic, summary, source_ref FROM provisions
WHERE (? IS NULL OR topic = ?) ORDER BY topic, agency
"""


def classes(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """Classes with a salary schedule, for class pickers."""
    return query(con, CLASSES_SQL, [agency])


def steps(con: duckdb.DuckDBPyConnection, agency: str) -> list[str]:
    return query(con, STEPS_SQL, [agency])["step"].tolist()


def provisions(con: duckdb.DuckDBPyConnection, topic: str | None = None) -> pd.DataFrame:
    return query(con, PROVISIONS_SQL, [topic, topic])


COVERAGE_SQL = """
SELECT a.agency, a.union_name, a.title, a.term_start, a.term_end,
       (SELECT count(*) FROM job_classes c WHERE c.agreement_id = a.agreement_id) AS classes,
       (SELECT count(DISTINCT effective_date) FROM salary_schedule s
         WHERE s.agreement_id = a.agreement_id AND NOT s.is_derived) AS printed_dates,
       (SELECT count(DISTINCT effective_date) FROM salary_schedule s
         WHERE s.agreement_id = a.agreement_id) AS schedule_dates,
       (SELECT count(*) FROM wage_increases w WHERE w.agreement_id = a.agreement_id)
         AS wage_increases,
       (SELECT count(*) FROM premiums p WHERE p.agreement_id = a.agreement_id) AS premiums,
       (SELECT count(*) FROM benefit_shares b WHERE b.agreement_id = a.agreement_id)
         AS benefit_shares,
       (SELECT count(*) FROM provisions v WHERE v.agreement_id = a.agreement_id) AS provisions,
       a.units, a.doc
FROM agreements a ORDER BY a.agency, a.term_start NULLS LAST
"""


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per agreement: term, units and how many rows of each kind the warehouse holds."""
    return query(con, COVERAGE_SQL)
