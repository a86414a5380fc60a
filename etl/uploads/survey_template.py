"""The survey template: outside salary survey data a user brings in as CSV
(data/templates/survey_template.csv), one row per class and date::

    agency,class_title,pay,pay_period,effective_date,source
    Example County,ACCOUNT CLERK II,23.45,hourly,2016-07-01,"EXAMPLE ROW: ..."

- ``agency``: the surveyed agency as the survey list names it ("Napa County", "City of
  Ukiah"); ``class_title``: its class title as printed; ``source``: where the number comes from
  (document, page, URL). All three are required text; a cell that looks like a spreadsheet
  formula ("=...") is kept as plain text (exports neutralize such cells).
- ``pay``: the top step, a number more than 0, "$" and thousands commas allowed (1,234.50);
  at most the equivalent of $2,000 an hour.
- ``pay_period``: hourly, biweekly, monthly or annual. ``annual`` is computed with 2,080 hours,
  26 pay periods or 12 months a year.
- ``effective_date``: YYYY-MM-DD.
- The file: CSV or an XLSX workbook (its first sheet), read by the one upload reader
  (etl/uploads/reader.py: its size limit, kinds of file, line-by-line encoding and
  formula rules; the DataFrame's `attrs['encoding_note']` says how it was decoded). Missing
  or extra columns, or rows repeating the same agency, class_title and effective_date are
  errors.

A file with any problem raises SurveyImportError (an etl.errors.InputError) listing up to
etl.defaults.MAX_PROBLEMS problems, each with the row as a spreadsheet shows it (the header is
row 1) and the column; nothing is returned partially. The State Controller's GCC export has a
reader of its own (etl/gcc/reader.py).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl import cells, defaults, pay
from etl.errors import InputError, Problems
from etl.uploads import reader as uploads
from etl.uploads.table import exact_header

SURVEY_TEMPLATE = defaults.TEMPLATES_DIR / "survey_template.csv"
TEMPLATE_COLUMNS = ["agency", "class_title", "pay", "pay_period", "effective_date", "source"]
# The rows a template upload gives (and userdata.survey_data stores).
SURVEY_COLUMNS = [
    "agency",
    "class_title",
    "pay",
    "pay_period",
    "annual",
    "effective_date",
    "source",
    "row_no",
]
PERIODS_PER_YEAR = pay.UNITS_PER_YEAR
MAX_HOURLY = defaults.MAX_HOURLY
MAX_ANNUAL = defaults.MAX_ANNUAL
MAX_TEXT = defaults.MAX_TEXT  # characters in an agency, class title or source cell


class SurveyImportError(InputError):
    """An uploaded survey template that cannot be used; the message names file, rows, columns."""


def _text_cell(value: object, row: int, column: str, problems: Problems) -> str:
    try:
        v = cells.text(value, MAX_TEXT)
    except cells.CellError as exc:
        problems.add(row, column, str(exc))
        return ""
    if not v:
        problems.add(row, column, "empty; a value is required")
    return v


def _normalize_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# The template --------------------------------------------------------------------------------


def _header(table: uploads.Table, problems: Problems) -> list[str]:
    return exact_header(table.header, TEMPLATE_COLUMNS, "the template", problems)


def _pay(cell: dict, period: str, idx: int, problems: Problems) -> float | None:
    raw = cell["pay"]
    if cells.is_blank(raw):
        problems.add(idx, "pay", "empty; a value is required")
        return None
    try:
        value = cells.money(raw)
    except cells.CellError as exc:
        problems.add(idx, "pay", str(exc))
        return None
    if value <= 0:
        problems.add(idx, "pay", f"{uploads.render_cell(raw).strip()} is not more than 0")
        return None
    if period in PERIODS_PER_YEAR and value * PERIODS_PER_YEAR[period] > MAX_ANNUAL:
        problems.add(
            idx,
            "pay",
            f"{value:,.2f} {period} is more than ${MAX_HOURLY:,.0f} an hour "
            f"(${MAX_ANNUAL:,.0f} a year); check the number and the pay_period",
        )
        return None
    return value


def _date(raw: object, idx: int, problems: Problems) -> date | None:
    """YYYY-MM-DD text (the template's one way: 07/01/2016 could be read two ways), or a
    workbook's date cell (cells.iso_date)."""
    try:
        return cells.iso_date(raw)
    except cells.CellError as exc:
        problems.add(idx, "effective_date", str(exc))
        return None


def _row(
    cell: dict, idx: int, problems: Problems, seen: dict[tuple[str, str, str], int]
) -> dict | None:
    """One data row as SURVEY_COLUMNS, or None (its problems added)."""
    agency = _text_cell(cell["agency"], idx, "agency", problems)
    title = _text_cell(cell["class_title"], idx, "class_title", problems)
    source = _text_cell(cell["source"], idx, "source", problems)
    period = uploads.render_cell(cell["pay_period"]).strip().lower()
    if period not in PERIODS_PER_YEAR:
        problems.add(
            idx,
            "pay_period",
            f"{uploads.render_cell(cell['pay_period']).strip()!r} is not one of "
            f"{', '.join(PERIODS_PER_YEAR)}",
        )
    value = _pay(cell, period, idx, problems)
    when = _date(cell["effective_date"], idx, problems)
    if agency and title and when is not None:
        key = (_normalize_key(agency), _normalize_key(title), when.isoformat())
        if key in seen:
            problems.add(
                idx, None, f"repeats row {seen[key]} (same agency, class_title and effective_date)"
            )
        else:
            seen[key] = idx
    if value is None or period not in PERIODS_PER_YEAR or when is None:
        return None
    return {
        "agency": agency,
        "class_title": title,
        "pay": value,
        "pay_period": period,
        "annual": round(value * PERIODS_PER_YEAR[period], 2),
        "effective_date": when,
        "source": source,
        "row_no": idx,
    }


def parse_survey_csv(data: bytes, file_name: str) -> pd.DataFrame:
    """Read a file in the survey template format (module docstring; CSV or XLSX) into
    SURVEY_COLUMNS rows, or raise SurveyImportError listing what is wrong (row = spreadsheet
    row, header = 1)."""
    try:
        table = uploads.read_table(data, file_name)
    except uploads.UploadError as exc:
        raise SurveyImportError(exc.file, exc.problems, exc.total) from None
    problems = Problems()
    header = _header(table, problems)
    problems.raise_if_any(SurveyImportError, file_name)
    col = {name: header.index(name) for name in TEMPLATE_COLUMNS}
    rows = []
    seen: dict[tuple[str, str, str], int] = {}
    for idx, record in table.rows:
        if all(cells.is_blank(c) for c in record):
            continue
        if len(record) != len(header) and table.encoding is not None:  # CSV: a cell lost
            problems.add(
                idx, None, f"has {len(record)} cells; the header has {len(header)} columns"
            )
            continue
        cell = {name: record[i] if i < len(record) else None for name, i in col.items()}
        row = _row(cell, idx, problems, seen)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.add(None, None, "the file has a header but no data rows")
    problems.raise_if_any(SurveyImportError, file_name)
    df = pd.DataFrame(rows, columns=SURVEY_COLUMNS)
    df = df.astype({"pay": float, "annual": float, "row_no": int}).reset_index(drop=True)
    df.attrs["encoding_note"] = table.encoding_note()  # None for XLSX
    return df
