"""The SQL of the GCC import (etl.gcc.reader): reading the CSV with DuckDB, checking cells, and
aggregating incumbents into one row per employer x position x year.

Every statement is constant text; values (the file's path, column list, lines to skip, year,
limits) go in as $parameters, never into the text. The CSV's used columns are read under their
current names ("Year", "EmployerName", ... quoted: YEAR and POSITION are SQL words) and every
other column as x<position>; an optional column the file lacks is added empty (ADD_COLUMN).
"""

from __future__ import annotations

MACROS = [
    # row_number() OVER () in LOAD numbers the records in file order only while DuckDB keeps
    # insertion order (its default, set here in case a caller's config turned it off);
    # benchmarks/bench_gcc.py checks first_row against the CSV on a 1,000,000-row file
    "SET preserve_insertion_order = true",
    # a text cell: trimmed, runs of whitespace as one space (the regular expression only runs
    # on the few cells that need it), NULL when blank
    r"""CREATE TEMP MACRO gcc_text(x) AS nullif(
          CASE WHEN strpos(x, '  ') > 0 OR strpos(x, chr(9)) > 0 OR strpos(x, chr(10)) > 0
                 OR strpos(x, chr(13)) > 0 OR strpos(x, chr(160)) > 0
               THEN trim(regexp_replace(x, '[\s\x{00A0}]+', ' ', 'g'))
               ELSE trim(x) END, '')""",
    # a money cell as a number ("$1,234.50" -> 1234.5); NULL when blank or not a number
    r"""CREATE TEMP MACRO gcc_money(x) AS
          TRY_CAST(replace(replace(replace(x, '$', ''), ',', ''), ' ', '') AS DOUBLE)""",
    # a money cell that is not blank and not an amount: "$1,234.50", "1234.5", "-12" are
    # amounts; "23,45", "1e5", "n/a" are not
    r"""CREATE TEMP MACRO gcc_not_money(x) AS x IS NOT NULL AND NOT regexp_full_match(
          x, '^-?\$?\s*-?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$|^-?\$?\.\d+$')""",
]

LOAD = """
CREATE TEMP TABLE gcc_rows AS
SELECT row_number() OVER () + $header_row AS row_no,
       gcc_text(COLUMNS('^(Year|EmployerType|EmployerName|DepartmentOrSubdivision|Position|
EmployerCounty|MinPositionSalary|MaxPositionSalary|DefinedBenefitPlanContribution|
EmployeesRetirementCostCovered|DeferredCompensationPlan|HealthDentalVision)$'))
FROM read_csv($path, columns = $columns, header = false, skip = $skip,
              delim = ',', quote = '"', escape = '"', encoding = 'utf-8',
              auto_detect = false, strict_mode = true, null_padding = false,
              store_rejects = true, max_line_size = 4000000)
""".replace("|\n", "|")

# An optional column the file does not have: the same column, empty.
ADD_COLUMN = {
    "EmployerType": 'ALTER TABLE gcc_rows ADD COLUMN "EmployerType" VARCHAR',
    "DepartmentOrSubdivision": 'ALTER TABLE gcc_rows ADD COLUMN "DepartmentOrSubdivision" VARCHAR',
    "EmployerCounty": 'ALTER TABLE gcc_rows ADD COLUMN "EmployerCounty" VARCHAR',
    "MinPositionSalary": 'ALTER TABLE gcc_rows ADD COLUMN "MinPositionSalary" VARCHAR',
    "DefinedBenefitPlanContribution": (
        'ALTER TABLE gcc_rows ADD COLUMN "DefinedBenefitPlanContribution" VARCHAR'
    ),
    "EmployeesRetirementCostCovered": (
        'ALTER TABLE gcc_rows ADD COLUMN "EmployeesRetirementCostCovered" VARCHAR'
    ),
    "DeferredCompensationPlan": (
        'ALTER TABLE gcc_rows ADD COLUMN "DeferredCompensationPlan" VARCHAR'
    ),
    "HealthDentalVision": 'ALTER TABLE gcc_rows ADD COLUMN "HealthDentalVision" VARCHAR',
}

# One problem per line: DuckDB records a short row once per missing cell ("Found: 6", then
# "Found: 7" for a 6-cell row of an 8-column file); the first, by column, is the true count.
REJECTS = """
SELECT line, column_name, error_type, error_message FROM (
  SELECT *, row_number() OVER (PARTITION BY line ORDER BY column_idx NULLS LAST) AS k
  FROM reject_errors)
WHERE k = 1 ORDER BY line LIMIT $limit
"""
REJECTS_COUNT = "SELECT count(DISTINCT line) FROM reject_errors"

# A header row repeated further down (several downloads pasted together) is not data.
MARK_HEADERS = [
    "ALTER TABLE gcc_rows ADD COLUMN is_header BOOLEAN DEFAULT false",
    'UPDATE gcc_rows SET is_header = true WHERE "Year" = $year_name AND "Position" = $pos_name',
]
RECORDS = "SELECT count(*) FROM gcc_rows WHERE NOT is_header"

EMPLOYERS = """
SELECT "EmployerName" AS employer_name, "EmployerType" AS employer_type,
       min("EmployerCounty") AS employer_county, count(*) AS rows
FROM gcc_rows
WHERE "EmployerName" IS NOT NULL AND NOT is_header
GROUP BY "EmployerName", "EmployerType"
ORDER BY "EmployerName", "EmployerType"
"""

PARAMS = """
CREATE TEMP TABLE gcc_params AS
SELECT $year::INTEGER AS p_year,
       $first_year::INTEGER AS p_first_year, $last_year::INTEGER AS p_last_year,
       $min_annual::DOUBLE AS p_min_annual, $max_annual::DOUBLE AS p_max_annual,
       $max_text::INTEGER AS p_max_text
"""
EMPLOYERS_TABLE = "CREATE TEMP TABLE gcc_employers AS SELECT * FROM gcc_employers_df"

# The rows asked for: every employer's, or those of the employers in gcc_employers; the year.
SELECTION_ALL = """
CREATE TEMP VIEW gcc_sel AS
SELECT r.* FROM gcc_rows r, gcc_params p
WHERE NOT r.is_header AND (p.p_year IS NULL OR TRY_CAST(r."Year" AS DOUBLE) = p.p_year)
"""
SELECTION_CHOSEN = """
CREATE TEMP VIEW gcc_sel AS
SELECT r.* FROM gcc_rows r
JOIN gcc_employers e ON e.employer_name = r."EmployerName"
 AND e.employer_type IS NOT DISTINCT FROM r."EmployerType", gcc_params p
WHERE NOT r.is_header AND (p.p_year IS NULL OR TRY_CAST(r."Year" AS DOUBLE) = p.p_year)
"""

# Cells that make the file unusable (etl.gcc.reader: the policy): a Year that is not a year in
# range, a money cell that is not an amount. `problem` is a code etl.gcc.reader words.
BAD_CELLS = """
CREATE TEMP TABLE gcc_bad AS
SELECT row_no, 'Year' AS col, "Year" AS value,
       CASE WHEN "Year" IS NULL THEN 'no_year' ELSE 'not_year' END AS problem
FROM gcc_sel, gcc_params p
WHERE "Year" IS NULL OR NOT regexp_full_match("Year", '^\\d{4}(\\.0+)?$')
   OR TRY_CAST("Year" AS DOUBLE) NOT BETWEEN p.p_first_year AND p.p_last_year
UNION ALL SELECT row_no, 'MinPositionSalary', "MinPositionSalary", 'not_money' FROM gcc_sel
  WHERE gcc_not_money("MinPositionSalary")
UNION ALL SELECT row_no, 'MaxPositionSalary', "MaxPositionSalary", 'not_money' FROM gcc_sel
  WHERE gcc_not_money("MaxPositionSalary")
UNION ALL SELECT row_no, 'DefinedBenefitPlanContribution', "DefinedBenefitPlanContribution",
  'not_money' FROM gcc_sel WHERE gcc_not_money("DefinedBenefitPlanContribution")
UNION ALL SELECT row_no, 'EmployeesRetirementCostCovered', "EmployeesRetirementCostCovered",
  'not_money' FROM gcc_sel WHERE gcc_not_money("EmployeesRetirementCostCovered")
UNION ALL SELECT row_no, 'DeferredCompensationPlan', "DeferredCompensationPlan",
  'not_money' FROM gcc_sel WHERE gcc_not_money("DeferredCompensationPlan")
UNION ALL SELECT row_no, 'HealthDentalVision', "HealthDentalVision", 'not_money'
  FROM gcc_sel WHERE gcc_not_money("HealthDentalVision")
UNION ALL SELECT row_no, 'EmployerName', left("EmployerName", 40), 'too_long'
  FROM gcc_sel, gcc_params p WHERE length("EmployerName") > p.p_max_text
UNION ALL SELECT row_no, 'Position', left("Position", 40), 'too_long'
  FROM gcc_sel, gcc_params p WHERE length("Position") > p.p_max_text
"""
BAD_COUNT = "SELECT count(*) FROM gcc_bad"
BAD_FIRST = "SELECT row_no, col, value, problem FROM gcc_bad ORDER BY row_no, col LIMIT $limit"

# The selected rows with numbers, and `skip` (a reason code, NULL = used).
TYPED = """
CREATE TEMP TABLE gcc_typed AS
SELECT t.*,
       CASE
         WHEN employer IS NULL THEN 'no_employer'
         WHEN position IS NULL THEN 'no_position'
         WHEN coalesce(max_salary, 0) = 0 THEN 'no_range'
         WHEN max_salary > p.p_max_annual THEN 'over_max'
         WHEN max_salary < p.p_min_annual THEN 'under_min'
       END AS skip
FROM (
  SELECT row_no, CAST(TRY_CAST("Year" AS DOUBLE) AS INTEGER) AS year,
         "EmployerName" AS employer, "EmployerType" AS employer_type,
         "EmployerCounty" AS employer_county, "DepartmentOrSubdivision" AS department,
         "Position" AS position,
         gcc_money("MinPositionSalary") AS min_raw, gcc_money("MaxPositionSalary") AS max_salary,
         gcc_money("DefinedBenefitPlanContribution") AS dbp,
         gcc_money("EmployeesRetirementCostCovered") AS erc,
         gcc_money("DeferredCompensationPlan") AS dcp,
         gcc_money("HealthDentalVision") AS hdv
  FROM gcc_sel
) t, gcc_params p
"""

SKIPPED = """
SELECT skip, count(*) AS rows, list(row_no ORDER BY row_no)[1:5] AS example_rows
FROM gcc_typed WHERE skip IS NOT NULL
GROUP BY skip ORDER BY rows DESC, skip
"""

# One row per employer x position x year of the used rows. A range bottom that is blank, zero
# or above the top is blank; the most common (min, max) pair of a position is kept, ties to the
# higher max (then the higher min). `retirement` is an incumbent's employer retirement cost,
# DefinedBenefitPlanContribution + EmployeesRetirementCostCovered (a blank one counts 0 when
# the other is reported; NULL when both are blank), so its median is over incumbents.
AGGREGATE = """
WITH kept AS (
  SELECT *, CASE WHEN min_raw > 0 AND min_raw <= max_salary THEN min_raw END AS min_salary
  FROM gcc_typed WHERE skip IS NULL
),
ranges AS (
  SELECT employer, employer_type, position, year, min_salary, max_salary, count(*) AS n
  FROM kept GROUP BY ALL
),
ranked AS (
  SELECT *, row_number() OVER w AS rk,
         count(*) OVER (PARTITION BY employer, employer_type, position, year) AS n_ranges
  FROM ranges
  WINDOW w AS (PARTITION BY employer, employer_type, position, year
               ORDER BY n DESC, max_salary DESC, min_salary DESC NULLS LAST)
),
agg AS (
  SELECT employer, employer_type, position, year,
         count(*) AS incumbents, min(row_no) AS first_row,
         min(employer_county) AS employer_county,
         string_agg(DISTINCT department, '; ' ORDER BY department) AS department,
         median(dbp) AS defined_benefit_median, avg(dbp) AS defined_benefit_mean,
         median(erc) AS retirement_covered_median, avg(erc) AS retirement_covered_mean,
         median(dcp) AS deferred_comp_median, avg(dcp) AS deferred_comp_mean,
         median(hdv) AS health_dental_vision_median, avg(hdv) AS health_dental_vision_mean,
         median(retirement) AS retirement_median, avg(retirement) AS retirement_mean
  FROM (SELECT *, CASE WHEN dbp IS NOT NULL OR erc IS NOT NULL
                       THEN coalesce(dbp, 0) + coalesce(erc, 0) END AS retirement FROM kept)
  GROUP BY employer, employer_type, position, year
)
SELECT a.employer AS employer_name, a.employer_type, a.employer_county, a.year, a.position,
       a.department, a.incumbents, r.min_salary, r.max_salary, r.n_ranges AS ranges,
       r.n AS range_incumbents, a.first_row,
       a.defined_benefit_median, a.defined_benefit_mean,
       a.retirement_covered_median, a.retirement_covered_mean,
       a.deferred_comp_median, a.deferred_comp_mean,
       a.health_dental_vision_median, a.health_dental_vision_mean,
       a.retirement_median, a.retirement_mean
FROM agg a JOIN ranked r
  ON r.rk = 1 AND r.employer = a.employer AND r.position = a.position AND r.year = a.year
 AND r.employer_type IS NOT DISTINCT FROM a.employer_type
ORDER BY a.employer, a.employer_type, a.position, a.year
"""
