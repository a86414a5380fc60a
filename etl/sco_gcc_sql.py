"""The SQL of the GCC import (etl.sco_gcc): reading the CSV with DuckDB, checking cells, and
aggregating incumbents into one row per agency x position x year. Kept apart so the import's
Python stays short; every statement here runs over the whole file inside DuckDB."""

from __future__ import annotations

# A money cell: blank, or digits with optional thousands commas, optional cents, an optional
# leading $ and minus sign ("$1,234.50", "1234.5", "-12"). "23,45", "1e5", "n/a" are not.
MONEY_PATTERN = r"^-?\$?\s*-?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$|^-?\$?\.\d+$"
YEAR_PATTERN = r"^\d{4}(\.0+)?$"

MONEY_COLUMNS = {
    "MinPositionSalary": "min_text",
    "MaxPositionSalary": "max_text",
    "DefinedBenefitPlanContribution": "dbp_text",
    "EmployeesRetirementCostCovered": "erc_text",
    "DeferredCompensationPlan": "dcp_text",
    "HealthDentalVision": "hdv_text",
}
TEXT_COLUMNS = {
    "Year": "year_text",
    "EmployerName": "employer",
    "EmployerType": "employer_type",
    "EmployerCounty": "employer_county",
    "DepartmentOrSubdivision": "department",
    "Position": "position",
}
BENEFITS = {
    "dbp": "defined_benefit",
    "erc": "retirement_covered",
    "dcp": "deferred_comp",
    "hdv": "health_dental_vision",
}


_ODD_SPACE = " OR ".join(
    f"strpos({{c}}, {s}) > 0" for s in ("'  '", "chr(9)", "chr(10)", "chr(13)", "chr(160)")
)


def _text(col: str | None, collapse: bool = True) -> str:
    """A trimmed text cell, NULL when blank; with `collapse`, runs of whitespace as one space
    (the regular expression only runs on the few cells that need it)."""
    if col is None:
        return "CAST(NULL AS VARCHAR)"
    if not collapse:
        return f"nullif(trim({col}), '')"
    odd = _ODD_SPACE.format(c=col)
    return (
        f"nullif(CASE WHEN {odd} THEN trim(regexp_replace({col}, '[\\s\\x{{00A0}}]+', ' ', 'g')) "
        f"ELSE trim({col}) END, '')"
    )


def load_sql(
    path: str, width: int, skip: int, header_row: int, columns: dict[str, int]
) -> tuple[str, list]:
    """CREATE TABLE gcc_rows: one row per data record with row_no (spreadsheet row) and the
    used cells as text. Structure errors go to DuckDB's reject tables (store_rejects)."""
    cols = {f"c{i}": "VARCHAR" for i in range(width)}
    select = [f"row_number() OVER () + {int(header_row)} AS row_no"]
    for name, alias in {**TEXT_COLUMNS, **MONEY_COLUMNS}.items():
        col = f"c{columns[name]}" if name in columns else None
        select.append(f"{_text(col, name not in MONEY_COLUMNS and name != 'Year')} AS {alias}")
    sql = f"""
        CREATE TEMP TABLE gcc_rows AS
        SELECT {", ".join(select)}
        FROM read_csv(?, columns = {cols!r}, header = false, skip = {int(skip)},
                      delim = ',', quote = '"', escape = '"', encoding = 'utf-8',
                      auto_detect = false, strict_mode = true, null_padding = false,
                      store_rejects = true, max_line_size = 4000000)
    """
    return sql, [path]


REJECTS_SQL = """
SELECT line, column_name, error_type, error_message
FROM reject_errors ORDER BY line LIMIT 10
"""
REJECTS_COUNT_SQL = "SELECT count(DISTINCT line) FROM reject_errors"

EMPLOYERS_SQL = """
SELECT employer AS employer_name, employer_type, min(employer_county) AS employer_county,
       count(*) AS rows
FROM gcc_rows
WHERE employer IS NOT NULL AND NOT is_header
GROUP BY employer, employer_type
ORDER BY employer, employer_type
"""

MARK_HEADERS_SQL = """
ALTER TABLE gcc_rows ADD COLUMN is_header BOOLEAN DEFAULT false;
UPDATE gcc_rows SET is_header = true WHERE year_text = ? AND position = ?;
"""


def selection_sql(all_employers: bool, year: int | None) -> str:
    """The rows asked for (the chosen employers, a year), as view gcc_sel."""
    where = ["NOT r.is_header"]
    join = ""
    if not all_employers:
        join = (
            "JOIN gcc_employers e ON e.employer_name = r.employer "
            "AND e.employer_type IS NOT DISTINCT FROM r.employer_type"
        )
    if year is not None:
        where.append(f"TRY_CAST(r.year_text AS DOUBLE) = {int(year)}")
    return (
        f"CREATE TEMP VIEW gcc_sel AS SELECT r.* FROM gcc_rows r {join} WHERE {' AND '.join(where)}"
    )


def bad_cells_sql(first_year: int, last_year: int) -> str:
    """Cells that make the file unusable: a Year that is not a year in range, a money cell
    that is not a number. (row_no, column, value, message), first rows first."""
    checks = [
        f"""SELECT row_no, 'Year' AS col, year_text AS value,
               CASE WHEN year_text IS NULL THEN 'empty; a year is required'
                    ELSE 'not a year from {first_year} to {last_year}' END AS message
            FROM gcc_sel
            WHERE year_text IS NULL OR NOT regexp_full_match(year_text, '{YEAR_PATTERN}')
               OR TRY_CAST(year_text AS DOUBLE) NOT BETWEEN {first_year} AND {last_year}"""
    ]
    for name, alias in MONEY_COLUMNS.items():
        checks.append(
            f"""SELECT row_no, '{name}' AS col, {alias} AS value,
                   'not an amount of dollars' AS message
                FROM gcc_sel
                WHERE {alias} IS NOT NULL AND NOT regexp_full_match({alias}, '{MONEY_PATTERN}')"""
        )
    return " UNION ALL ".join(checks)


def _money(alias: str) -> str:
    return f"TRY_CAST(replace(replace(replace({alias}, '$', ''), ',', ''), ' ', '') AS DOUBLE)"


def typed_sql(min_annual: float, max_annual: float) -> str:
    """Table gcc_typed: the selected rows with numbers, and `skip_reason` (NULL = used)."""
    return f"""
    CREATE TEMP TABLE gcc_typed AS
    SELECT *,
           CASE
             WHEN employer IS NULL THEN 'blank EmployerName'
             WHEN position IS NULL THEN 'blank Position'
             WHEN coalesce(max_salary, 0) = 0 THEN 'blank or zero MaxPositionSalary'
             WHEN max_salary > {max_annual} THEN
               'MaxPositionSalary over ${max_annual:,.0f} a year'
             WHEN max_salary < {min_annual} THEN
               'MaxPositionSalary under ${min_annual:,.0f} a year (not an annual salary)'
           END AS skip_reason
    FROM (
      SELECT row_no, CAST(TRY_CAST(year_text AS DOUBLE) AS INTEGER) AS year, employer,
             employer_type, employer_county, department, position,
             {_money("min_text")} AS min_raw, {_money("max_text")} AS max_salary,
             {_money("dbp_text")} AS dbp, {_money("erc_text")} AS erc,
             {_money("dcp_text")} AS dcp, {_money("hdv_text")} AS hdv
      FROM gcc_sel
    )
    """


SKIPPED_SQL = """
SELECT skip_reason AS reason, count(*) AS rows,
       list(row_no ORDER BY row_no)[1:5] AS example_rows
FROM gcc_typed WHERE skip_reason IS NOT NULL
GROUP BY skip_reason ORDER BY rows DESC, reason
"""

# min(range bottom) above the top, or zero, is a blank bottom; the most common (min, max) pair
# per position wins, ties to the higher max (then the higher min).
_KEY = "employer, employer_type, position, year"


def aggregate_sql() -> str:
    """One row per employer x position x year of the used rows (etl.sco_gcc.RESULT_COLUMNS
    less the columns Python adds)."""

    benefits = ",\n".join(
        f"median({k}) AS {v}_median, avg({k}) AS {v}_mean" for k, v in BENEFITS.items()
    )
    return f"""
    WITH kept AS (
      SELECT *, CASE WHEN min_raw > 0 AND min_raw <= max_salary THEN min_raw END AS min_salary
      FROM gcc_typed WHERE skip_reason IS NULL
    ),
    ranges AS (
      SELECT {_KEY}, min_salary, max_salary, count(*) AS n
      FROM kept GROUP BY ALL
    ),
    ranked AS (
      SELECT *, row_number() OVER w AS rk, count(*) OVER (PARTITION BY {_KEY}) AS n_ranges
      FROM ranges
      WINDOW w AS (PARTITION BY {_KEY} ORDER BY n DESC, max_salary DESC,
                   min_salary DESC NULLS LAST)
    ),
    agg AS (
      SELECT {_KEY}, count(*) AS incumbents, min(row_no) AS first_row,
             min(employer_county) AS employer_county,
             string_agg(DISTINCT department, '; ' ORDER BY department) AS department,
             {benefits}
      FROM kept GROUP BY {_KEY}
    )
    SELECT a.employer AS employer_name, a.employer_type AS employer_type,
           a.employer_county AS employer_county, a.year,
           a.position AS position, a.department AS department,
           a.incumbents, r.min_salary, r.max_salary, r.n_ranges AS ranges,
           r.n AS range_incumbents, a.first_row,
           {", ".join(f"a.{v}_median, a.{v}_mean" for v in BENEFITS.values())}
    FROM agg a JOIN ranked r
      ON r.rk = 1 AND r.employer = a.employer AND r.position = a.position AND r.year = a.year
     AND r.employer_type IS NOT DISTINCT FROM a.employer_type
    ORDER BY a.employer, a.employer_type, a.position, a.year
    """
