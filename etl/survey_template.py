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
- Encoding: UTF-8 (with or without the byte-order mark Excel writes for "CSV UTF-8"), else
  Windows-1252 (Excel's plain "CSV (Comma delimited)" on Windows). Any other encoding, a
  semicolon- or tab-separated file, missing or extra columns, or rows repeating the same
  agency, class_title and effective_date are errors.

A file with any problem raises SurveyImportError (an etl.errors.InputError) listing up to
MAX_PROBLEMS problems, each with the row as a spreadsheet shows it (the header is row 1) and
the column; nothing is returned partially. The State Controller's GCC export has a reader of
its own (etl/sco_gcc.py).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pandas as pd

from etl import defaults, pay
from etl.errors import InputError, Problem, Problems

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
MAX_ANNUAL = MAX_HOURLY * pay.HOURS_PER_YEAR
MAX_PROBLEMS = 10
MAX_TEXT = defaults.MAX_TEXT  # characters in an agency, class title or source cell
MAX_TEMPLATE_BYTES = 5_000_000


class SurveyImportError(InputError):
    """An uploaded survey template that cannot be used; the message names file, rows, columns."""


def _fail(file_name: str, message: str, row: int | None = None) -> SurveyImportError:
    return SurveyImportError(file_name, [Problem(row, None, message)])


# Reading text --------------------------------------------------------------------------------

_BINARY = (
    "this is not a text CSV file (binary content; an .xlsx workbook must be saved as CSV first)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_csv_bytes(data: bytes, file_name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (BOM or not), else Windows-1252; binary and UTF-16 files are
    refused with a message saying how to save the file instead."""
    if not data or not data.strip():
        raise _fail(file_name, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(
            file_name,
            "the file is UTF-16 ('Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)' instead",
        )
    if b"\x00" in data[:20000]:  # NUL bytes: binary (UTF-16 with its BOM is named above)
        raise _fail(file_name, _BINARY)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("windows-1252"), "windows-1252"
        except UnicodeDecodeError:
            raise _fail(
                file_name,
                "the file is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8 "
                "(Comma delimited)'",
            ) from None
    sample = text[:20000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) / 100:
        raise _fail(file_name, _BINARY)
    return text, encoding


def _records(text: str, file_name: str) -> list[list[str]]:
    """CSV records (quoted fields may span lines); a record's index + 1 is its spreadsheet row."""
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _fail(file_name, f"not readable as CSV: {exc}") from None


def _check_delimiter(header_line: str, file_name: str) -> None:
    if "," in header_line:
        return
    for sep, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if sep in header_line:
            raise _fail(
                file_name,
                f"the columns are separated by {name}, not commas; save the file as "
                "'CSV (Comma delimited)'",
                row=1,
            )


def _is_blank(record: list[str]) -> bool:
    return all(not c.strip() for c in record)


_MONEY = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")


def parse_money(text: str) -> float:
    """'$1,234.50' -> 1234.5; raises ValueError on anything else (including '23,45')."""
    s = text.strip()
    m = _MONEY.match(s)
    if not m:
        raise ValueError(s)
    return float(m.group(1).replace(",", "") + (m.group(2) or ""))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text_cell(value: str, row: int, column: str, problems: Problems) -> str:
    v = " ".join(value.split())
    if not v:
        problems.add(row, column, "empty; a value is required")
    elif len(v) > MAX_TEXT:
        problems.add(row, column, f"longer than {MAX_TEXT} characters")
    return v


def _normalize_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# The template --------------------------------------------------------------------------------


def _header(records: list[list[str]], problems: Problems) -> list[str]:
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in TEMPLATE_COLUMNS if c not in header]
    extra = [h or "(blank)" for h in header if h not in TEMPLATE_COLUMNS]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if missing:
        problems.add(1, None, f"missing column(s): {', '.join(missing)}")
    if extra:
        problems.add(
            1,
            None,
            f"unexpected column(s): {', '.join(extra)}; the template has exactly "
            f"{', '.join(TEMPLATE_COLUMNS)}",
        )
    if repeated:
        problems.add(1, None, f"column(s) named twice: {', '.join(repeated)}")
    return header


def _pay(cell: dict, period: str, idx: int, problems: Problems) -> float | None:
    shown = cell["pay"].strip()
    try:
        value = parse_money(shown.removeprefix("-"))
    except ValueError:
        problems.add(
            idx, "pay", f"{shown!r} is not a number" if shown else "empty; a value is required"
        )
        return None
    if shown.startswith("-"):
        value = -value
    if value <= 0:
        problems.add(idx, "pay", f"{shown} is not more than 0")
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


def _date(raw: str, idx: int, problems: Problems) -> date | None:
    if not _ISO_DATE.match(raw):
        problems.add(
            idx,
            "effective_date",
            f"{raw!r} is not a date written YYYY-MM-DD (e.g. 2016-07-01)"
            if raw
            else "empty; a date YYYY-MM-DD is required",
        )
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.add(idx, "effective_date", f"{raw!r} is not a calendar date")
        return None


def _row(
    cell: dict, idx: int, problems: Problems, seen: dict[tuple[str, str, str], int]
) -> dict | None:
    """One data row as SURVEY_COLUMNS, or None (its problems added)."""
    agency = _text_cell(cell["agency"], idx, "agency", problems)
    title = _text_cell(cell["class_title"], idx, "class_title", problems)
    source = _text_cell(cell["source"], idx, "source", problems)
    period = cell["pay_period"].strip().lower()
    if period not in PERIODS_PER_YEAR:
        problems.add(
            idx,
            "pay_period",
            f"{cell['pay_period'].strip()!r} is not one of {', '.join(PERIODS_PER_YEAR)}",
        )
    value = _pay(cell, period, idx, problems)
    raw_date = cell["effective_date"].strip()
    when = _date(raw_date, idx, problems)
    if agency and title and when is not None:
        key = (_normalize_key(agency), _normalize_key(title), raw_date)
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
    """Read a file in the survey template format (module docstring) into SURVEY_COLUMNS rows,
    or raise SurveyImportError listing what is wrong (row = spreadsheet row, header = 1)."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _fail(file_name, f"the file is larger than {MAX_TEMPLATE_BYTES:,} bytes")
    text, _ = decode_csv_bytes(data, file_name)
    _check_delimiter(text.splitlines()[0] if text.splitlines() else "", file_name)
    records = _records(text, file_name)
    while records and _is_blank(records[-1]):
        records.pop()
    if not records:
        raise _fail(file_name, "the file is empty")
    problems = Problems(limit=MAX_PROBLEMS)
    header = _header(records, problems)
    problems.raise_if_any(SurveyImportError, file_name)
    col = {name: header.index(name) for name in TEMPLATE_COLUMNS}
    rows = []
    seen: dict[tuple[str, str, str], int] = {}
    for idx, record in enumerate(records[1:], start=2):
        if _is_blank(record):
            continue
        if len(record) != len(header):
            problems.add(
                idx, None, f"has {len(record)} cells; the header has {len(header)} columns"
            )
            continue
        row = _row({name: record[i] for name, i in col.items()}, idx, problems, seen)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.add(None, None, "the file has a header but no data rows")
    problems.raise_if_any(SurveyImportError, file_name)
    df = pd.DataFrame(rows, columns=SURVEY_COLUMNS)
    return df.astype({"pay": float, "annual": float, "row_no": int}).reset_index(drop=True)
