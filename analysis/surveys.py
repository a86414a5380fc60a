"""Salary surveys: who surveys whom, which comparators have pay data for each benchmark class,
and outside survey data brought in as CSV.

Two upload formats are read into the same rows (analysis.survey_data.COLUMNS: agency,
class_title, pay, pay_period, annual, effective_date, source, row_no):

**The survey template** (data/templates/survey_template.csv), one row per class and date::

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

**The State Controller's "Government Compensation in California" raw export**
(publicpay.ca.gov): quoted CSV in Windows-1252, one row per position and year. Columns are
found by header name (older years lack some); Year, EmployerName, Position and
MaxPositionSalary are required. See `parse_sco_gcc`.

A file with any problem raises SurveyImportError listing up to MAX_PROBLEMS problems, each with
the row as a spreadsheet shows it (the header is row 1) and the column; nothing is returned
partially.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from analysis import agencies, crosswalk
from analysis.warehouse import query
from etl import defaults, pay
from etl.agency_names import county_agency_for, same_agency, sco_agency_name
from etl.errors import BargainError
from userdata.survey_data import COLUMNS as SURVEY_COLUMNS

SURVEY_TEMPLATE = defaults.DATA_DIR / "templates" / "survey_template.csv"
TEMPLATE_COLUMNS = ["agency", "class_title", "pay", "pay_period", "effective_date", "source"]
PERIODS_PER_YEAR = pay.UNITS_PER_YEAR
MAX_HOURLY = defaults.MAX_HOURLY
MAX_ANNUAL = MAX_HOURLY * pay.HOURS_PER_YEAR
MAX_PROBLEMS = 10
MAX_TEXT = 200  # characters in an agency, class title or source cell
MAX_TEMPLATE_BYTES = 5_000_000

SCO_REQUIRED = ["Year", "EmployerName", "Position", "MaxPositionSalary"]
SCO_OPTIONAL = ["EmployerType", "DepartmentOrSubdivision", "MinPositionSalary", "EmployerCounty"]
# SCO reports cities and counties by calendar year; its July 1 is the date a Year's salary
# range is filed under (mid-year, so a 2016 range lines up with schedules in force in 2016).
SCO_EFFECTIVE_MONTH_DAY = (7, 1)


# Errors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file: the spreadsheet row (header = 1), the column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        # a quoted cell can be long; the row and column say where it is
        message = self.message if len(self.message) <= 300 else self.message[:299] + "…"
        return f"{', '.join(where)}: {message}" if where else message


class SurveyImportError(BargainError):
    """An uploaded survey file that cannot be used; the message names file, rows and columns."""

    def __init__(self, file: str, problems: list[Problem], total: int | None = None):
        self.file = file
        self.problems = problems[:MAX_PROBLEMS]
        self.total = max(total or len(problems), len(problems))
        lines = [str(p) for p in self.problems]
        more = self.total - len(self.problems)
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        head = f"{file}: " if len(lines) == 1 else f"{file}: {self.total} problems:\n  "
        super().__init__(head + "\n  ".join(lines))


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))

    def raise_if_any(self, file: str) -> None:
        if self.total:
            raise SurveyImportError(file, self.problems, self.total)


# Reading text --------------------------------------------------------------------------------

_BINARY = (
    "this is not a text CSV file (binary content; an .xlsx workbook must be saved as CSV first)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_csv_bytes(data: bytes, file_name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (BOM or not), else Windows-1252; binary and UTF-16 files are
    refused with a message saying how to save the file instead."""
    if not data or not data.strip():
        raise SurveyImportError(file_name, [Problem(None, None, "the file is empty")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SurveyImportError(
            file_name,
            [
                Problem(
                    None,
                    None,
                    "the file is UTF-16 ('Unicode Text'); save it as 'CSV UTF-8 (Comma "
                    "delimited)' instead",
                )
            ],
        )
    if b"\x00" in data[:20000]:  # NUL bytes: binary (UTF-16 with its BOM is named above)
        raise SurveyImportError(file_name, [Problem(None, None, _BINARY)])
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("windows-1252"), "windows-1252"
        except UnicodeDecodeError:
            text, encoding = "", ""
    if not encoding:
        raise SurveyImportError(
            file_name,
            [
                Problem(
                    None,
                    None,
                    "the file is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8 "
                    "(Comma delimited)'",
                )
            ],
        )
    sample = text[:20000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) / 100:
        raise SurveyImportError(file_name, [Problem(None, None, _BINARY)])
    return text, encoding


def _records(text: str, file_name: str) -> list[list[str]]:
    """CSV records (quoted fields may span lines); a record's index + 1 is its spreadsheet row."""
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise SurveyImportError(
            file_name, [Problem(None, None, f"not readable as CSV: {exc}")]
        ) from None


def _check_delimiter(header_line: str, file_name: str) -> None:
    if "," in header_line:
        return
    for sep, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if sep in header_line:
            raise SurveyImportError(
                file_name,
                [
                    Problem(
                        1,
                        None,
                        f"the columns are separated by {name}, not commas; save the file as "
                        "'CSV (Comma delimited)'",
                    )
                ],
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


def _text_cell(
    value: str, row: int, column: str, problems: _Collector, required: bool = True
) -> str:
    v = " ".join(value.split())
    if required and not v:
        problems.add(row, column, "empty; a value is required")
    elif len(v) > MAX_TEXT:
        problems.add(row, column, f"longer than {MAX_TEXT} characters")
    return v


def _normalize_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# The survey template -------------------------------------------------------------------------


def parse_survey_csv(data: bytes, file_name: str) -> pd.DataFrame:
    """Read a file in the survey template format (module docstring) into SURVEY_COLUMNS rows,
    or raise SurveyImportError listing what is wrong (row = spreadsheet row, header = 1)."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise SurveyImportError(
            file_name,
            [Problem(None, None, f"the file is larger than {MAX_TEMPLATE_BYTES:,} bytes")],
        )
    text, _ = decode_csv_bytes(data, file_name)
    _check_delimiter(text.splitlines()[0] if text.splitlines() else "", file_name)
    records = _records(text, file_name)
    while records and _is_blank(records[-1]):
        records.pop()
    if not records:
        raise SurveyImportError(file_name, [Problem(None, None, "the file is empty")])
    header = [h.strip().lower() for h in records[0]]
    problems = _Collector()
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
    problems.raise_if_any(file_name)
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
        cell = {name: record[i] for name, i in col.items()}
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
        pay = None
        shown = cell["pay"].strip()
        try:
            pay = parse_money(shown.removeprefix("-"))
            if shown.startswith("-"):
                pay = -pay
        except ValueError:
            problems.add(
                idx,
                "pay",
                f"{shown!r} is not a number" if shown else "empty; a value is required",
            )
        if pay is not None:
            if pay <= 0:
                problems.add(idx, "pay", f"{shown} is not more than 0")
                pay = None
            elif period in PERIODS_PER_YEAR and pay * PERIODS_PER_YEAR[period] > MAX_ANNUAL:
                problems.add(
                    idx,
                    "pay",
                    f"{pay:,.2f} {period} is more than ${MAX_HOURLY:,.0f} an hour "
                    f"(${MAX_ANNUAL:,.0f} a year); check the number and the pay_period",
                )
                pay = None
        when = None
        raw_date = cell["effective_date"].strip()
        if not _ISO_DATE.match(raw_date):
            problems.add(
                idx,
                "effective_date",
                f"{raw_date!r} is not a date written YYYY-MM-DD (e.g. 2016-07-01)"
                if raw_date
                else "empty; a date YYYY-MM-DD is required",
            )
        else:
            try:
                when = date.fromisoformat(raw_date)
            except ValueError:
                problems.add(idx, "effective_date", f"{raw_date!r} is not a calendar date")
        if agency and title and when is not None:
            key = (_normalize_key(agency), _normalize_key(title), raw_date)
            if key in seen:
                problems.add(
                    idx,
                    None,
                    f"repeats row {seen[key]} (same agency, class_title and effective_date)",
                )
            else:
                seen[key] = idx
        if pay is not None and period in PERIODS_PER_YEAR and when is not None:
            rows.append(
                {
                    "agency": agency,
                    "class_title": title,
                    "pay": pay,
                    "pay_period": period,
                    "annual": round(pay * PERIODS_PER_YEAR[period], 2),
                    "effective_date": when,
                    "source": source,
                    "row_no": idx,
                }
            )
    if not rows and not problems.total:
        problems.add(None, None, "the file has a header but no data rows")
    problems.raise_if_any(file_name)
    return _survey_frame(rows)


def _survey_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=SURVEY_COLUMNS)
    return df.astype({"pay": float, "annual": float, "row_no": int}).reset_index(drop=True)


# The State Controller's Government Compensation in California export ------------------------


def _cell(record: list[str], col: dict[str, int | None], name: str) -> str:
    i = col[name]
    return record[i].strip() if i is not None else ""


def _looks_like_sco_header(record: list[str]) -> bool:
    names = {c.strip().casefold() for c in record}
    return all(r.casefold() in names for r in SCO_REQUIRED)


def _sco_header(
    record: list[str], row: int, file_name: str
) -> tuple[list[str], dict[str, int | None]]:
    """The header's cells and each known column's position (None when this year lacks it)."""
    header = [h.strip() for h in record]
    by_name = {h.casefold(): i for i, h in enumerate(header) if h}
    missing = [c for c in SCO_REQUIRED if c.casefold() not in by_name]
    if missing:
        raise SurveyImportError(
            file_name,
            [
                Problem(
                    row,
                    None,
                    f"missing column(s) {', '.join(missing)}: this does not look like the "
                    "Government Compensation in California raw export",
                )
            ],
        )
    return header, {c: by_name.get(c.casefold()) for c in SCO_REQUIRED + SCO_OPTIONAL}


def parse_sco_gcc(data: bytes, file_name: str) -> pd.DataFrame:
    """Read the SCO Government Compensation in California raw export into SURVEY_COLUMNS rows
    plus `records` (how many SCO rows were merged).

    MaxPositionSalary is the annual top of the position's range (pay_period 'annual'). Several
    incumbents share a position, so rows are merged per agency x Position x Year, keeping the
    highest MaxPositionSalary. Rows with a blank or zero MaxPositionSalary (positions reported
    without a range, common for elected and per-diem positions) are left out and counted in
    `attrs['skipped']`. effective_date is July 1 of Year (SCO_EFFECTIVE_MONTH_DAY: cities and
    counties report calendar years). Columns are found by header name, so years that lack an
    optional column read the same way, and a header row repeated further down (several years'
    downloads pasted into one file) re-maps the columns for the rows after it.
    """
    too_large = defaults.upload_too_large(len(data))
    if too_large:
        raise SurveyImportError(file_name, [Problem(None, None, too_large)])
    text, _ = decode_csv_bytes(data, file_name)
    records = _records(text, file_name)
    while records and _is_blank(records[-1]):
        records.pop()
    if not records:
        raise SurveyImportError(file_name, [Problem(None, None, "the file is empty")])
    _check_delimiter(text.splitlines()[0], file_name)
    header, col = _sco_header(records[0], 1, file_name)
    problems = _Collector()
    groups: dict[tuple[str, str, int], dict] = {}
    skipped = 0
    for idx, record in enumerate(records[1:], start=2):
        if _is_blank(record):
            continue
        if _looks_like_sco_header(record):
            # several years' exports pasted together: each section brings its own header
            header, col = _sco_header(record, idx, file_name)
            continue
        if len(record) != len(header):
            problems.add(
                idx, None, f"has {len(record)} cells; the header has {len(header)} columns"
            )
            continue
        year_text = _cell(record, col, "Year")
        year = None
        if re.fullmatch(r"\d{4}", year_text) and 1990 <= int(year_text) <= 2100:
            year = int(year_text)
        else:
            problems.add(idx, "Year", f"{year_text!r} is not a year")
        employer = _text_cell(_cell(record, col, "EmployerName"), idx, "EmployerName", problems)
        position = _text_cell(_cell(record, col, "Position"), idx, "Position", problems)
        top_text = _cell(record, col, "MaxPositionSalary")
        top = None
        if top_text:
            try:
                top = parse_money(top_text)
            except ValueError:
                problems.add(idx, "MaxPositionSalary", f"{top_text!r} is not an amount of dollars")
            else:
                if top > MAX_ANNUAL:
                    problems.add(
                        idx,
                        "MaxPositionSalary",
                        f"{top:,.2f} a year is more than ${MAX_HOURLY:,.0f} an hour",
                    )
                    top = None
        if year is None or not employer or not position:
            continue
        if not top:
            skipped += 1
            continue
        agency = sco_agency_name(employer, _cell(record, col, "EmployerType"))
        key = (_normalize_key(agency), _normalize_key(position), year)
        g = groups.get(key)
        if g is None:
            groups[key] = {
                "agency": agency,
                "class_title": position,
                "pay": top,
                "year": year,
                "row_no": idx,
                "records": 1,
            }
        else:
            g["pay"] = max(g["pay"], top)
            g["records"] += 1
    problems.raise_if_any(file_name)
    if not groups:
        raise SurveyImportError(
            file_name,
            [
                Problem(
                    None,
                    "MaxPositionSalary",
                    f"no row has a salary range ({skipped} row(s) with a blank or zero "
                    "MaxPositionSalary)",
                )
            ],
        )
    month, day = SCO_EFFECTIVE_MONTH_DAY
    rows = [
        {
            "agency": g["agency"],
            "class_title": g["class_title"],
            "pay": g["pay"],
            "pay_period": "annual",
            "annual": round(g["pay"], 2),
            "effective_date": date(g["year"], month, day),
            "source": (
                f"SCO Government Compensation in California {g['year']}, MaxPositionSalary "
                f"(highest of {g['records']} record(s)), {file_name}"
            ),
            "row_no": g["row_no"],
            "records": g["records"],
        }
        for g in groups.values()
    ]
    df = pd.DataFrame(rows, columns=[*SURVEY_COLUMNS, "records"])
    df = df.astype({"pay": float, "annual": float, "row_no": int, "records": int})
    df = df.sort_values(["agency", "class_title", "effective_date"], kind="stable")
    df = df.reset_index(drop=True)
    df.attrs["skipped"] = skipped
    return df


# Survey network ------------------------------------------------------------------------------

SURVEY_EDGES_SQL = """
SELECT agency, survey_agency, purpose, source_ref
FROM survey_agencies
ORDER BY agency, source_ref, survey_agency
"""

# What each loaded agency has in the warehouse (salary tables, increases, benefit shares).
AGENCY_DATA_SQL = """
SELECT a.agency,
       (SELECT count(*) FROM salary_schedule s WHERE s.agency = a.agency) AS salary_rows,
       (SELECT count(*) FROM wage_increases w WHERE w.agency = a.agency) AS increase_rows,
       (SELECT count(*) FROM benefit_shares b WHERE b.agency = a.agency) AS benefit_rows
FROM (SELECT DISTINCT agency FROM agreements) a
ORDER BY a.agency
"""

PAID_CLASSES_SQL = "SELECT DISTINCT class_code FROM salary_schedule WHERE agency = ?"


def _agency_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, AGENCY_DATA_SQL).set_index("agency")


def survey_network(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Who surveys whom, from the loaded agreements' own survey lists: one row per agency x
    survey_agency x purpose, with loaded_agency (the survey agency's loaded agreement, or None)
    and has_salary_data (its salary table is in the warehouse)."""
    edges = query(con, SURVEY_EDGES_SQL)
    data = _agency_data(con)
    known = agencies.names(con)
    loaded = [county_agency_for(n, known) for n in edges["survey_agency"]]
    edges["loaded_agency"] = pd.Series(loaded, index=edges.index, dtype=object)
    edges["has_salary_data"] = [
        bool(a is not None and a in data.index and data.loc[a, "salary_rows"] > 0) for a in loaded
    ]
    return edges


def network_nodes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per agency in the survey network: node (the loaded agency name, or the survey
    agency name), kind ('loaded agreement' | 'survey agency'), and what the warehouse holds
    for it (salary tables, wage increases, benefit shares), surveys (how many agencies its
    agreement surveys) and surveyed_by (the loaded agencies whose lists name it)."""
    edges = survey_network(con)
    data = _agency_data(con)
    nodes: dict[str, dict] = {}

    def node(name: str, loaded: str | None) -> dict:
        key = loaded or name
        if key not in nodes:
            d = data.loc[loaded] if loaded in data.index else None
            nodes[key] = {
                "node": key,
                "kind": "loaded agreement" if loaded else "survey agency",
                "loaded_agency": loaded,
                "has_salary_data": bool(d is not None and d["salary_rows"] > 0),
                "has_wage_increases": bool(d is not None and d["increase_rows"] > 0),
                "has_benefit_shares": bool(d is not None and d["benefit_rows"] > 0),
                "surveys": set(),
                "surveyed_by": set(),
            }
        return nodes[key]

    for agency in data.index:
        node(agency, agency)
    for agency, survey_agency, loaded in zip(
        edges["agency"], edges["survey_agency"], edges["loaded_agency"], strict=True
    ):
        src = node(agency, agency)
        dst = node(survey_agency, loaded)
        src["surveys"].add(dst["node"])
        dst["surveyed_by"].add(src["node"])
    rows = []
    for n in nodes.values():
        rows.append(
            {
                **n,
                "surveys": len(n["surveys"]),
                "surveyed_by": ", ".join(sorted(n["surveyed_by"])),
            }
        )
    out = crosswalk.with_none(pd.DataFrame(rows), ["loaded_agency"])
    order = out["kind"].eq("survey agency")
    return (
        out.assign(_o=order).sort_values(["_o", "node"]).drop(columns="_o").reset_index(drop=True)
    )


# Matching uploaded titles and coverage -------------------------------------------------------


def match_uploaded(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    uploaded: pd.DataFrame,
    threshold: float = crosswalk.FUZZY_THRESHOLD,
) -> pd.DataFrame:
    """Each uploaded row with the subject agency's class its title matches (the crosswalk's
    normalization, weighting and level/rank guards): the uploaded columns plus
    subject_class_code, subject_title, method ('exact' | 'fuzzy' | 'none'), score, reason."""
    out_cols = ["subject_class_code", "subject_title", "method", "score", "reason"]
    if uploaded is None or uploaded.empty:
        given = list(uploaded.columns) if uploaded is not None else []
        return pd.DataFrame(columns=[*given, *out_cols])
    classes = crosswalk.agency_classes(con, subject_agency)
    titles = sorted({str(t) for t in uploaded["class_title"]})
    if classes.empty:
        reason = crosswalk.no_classes_reason(subject_agency)
        matched = pd.DataFrame(
            {
                "class_title": titles,
                "subject_class_code": None,
                "subject_title": None,
                "method": "none",
                "score": 0.0,
                "reason": reason,
            }
        )
    else:
        m = crosswalk.match_titles(
            titles, classes["class_code"].tolist(), classes["class_title"].tolist(), threshold
        )
        matched = pd.DataFrame(
            {
                "class_title": titles,
                "subject_class_code": m["class_code"],
                "subject_title": m["class_title"],
                "method": m["method"],
                "score": m["score"],
                "reason": m["reason"],
            }
        )
    base = uploaded.drop(columns=[c for c in out_cols if c in uploaded.columns])
    base = base.assign(class_title=base["class_title"].astype(str))
    out = base.merge(matched, on="class_title", how="left")
    return crosswalk.with_none(out, ["subject_class_code", "subject_title"])


def coverage_detail(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    comparators: list[str],
    uploaded: pd.DataFrame | None = None,
    *,
    user_decisions: pd.DataFrame | None = None,
    overrides_path: Path | None = crosswalk.OVERRIDES_CSV,
) -> pd.DataFrame:
    """Long form of `coverage`: one row per subject class x comparator with has_pay, where
    ('warehouse' | 'upload' | None), the matched comparator class or uploaded title, method
    and score. A comparator that is a loaded agreement (loaded_agency_for) is matched through
    the crosswalk; uploaded rows whose agency names the comparator are matched by title."""
    classes = crosswalk.agency_classes(con, subject_agency)
    classes = classes[classes["class_title"].notna()]
    cols = [
        "subject_class_code",
        "subject_title",
        "comparator",
        "has_pay",
        "where",
        "comparator_class_code",
        "comparator_title",
        "method",
        "score",
    ]
    rows: list[dict] = []
    known = agencies.names(con)
    for comparator in dict.fromkeys(comparators):
        found: dict[str, dict] = {}
        loaded = comparator if comparator in known else county_agency_for(comparator, known)
        if loaded is not None and loaded != subject_agency:
            paid = set(query(con, PAID_CLASSES_SQL, [loaded])["class_code"])
            xw = crosswalk.crosswalk(
                con,
                subject_agency,
                loaded,
                user_decisions=user_decisions,
                overrides_path=overrides_path,
            )
            for r in xw.itertuples(index=False):
                if r.comparator_class_code is not None and r.comparator_class_code in paid:
                    found[r.subject_class_code] = {
                        "where": "warehouse",
                        "comparator_class_code": r.comparator_class_code,
                        "comparator_title": r.comparator_title,
                        "method": r.method,
                        "score": r.score,
                    }
        if uploaded is not None and not uploaded.empty:
            mine = uploaded[[same_agency(a, comparator) for a in uploaded["agency"]]]
            if not mine.empty:
                matched = match_uploaded(con, subject_agency, mine)
                matched = matched[matched["subject_class_code"].notna()]
                matched = matched.sort_values("score", ascending=False, kind="stable")
                for r in matched.itertuples(index=False):
                    if r.subject_class_code not in found:
                        found[r.subject_class_code] = {
                            "where": "upload",
                            "comparator_class_code": None,
                            "comparator_title": r.class_title,
                            "method": r.method,
                            "score": r.score,
                        }
        for c in classes.itertuples(index=False):
            hit = found.get(c.class_code)
            rows.append(
                {
                    "subject_class_code": c.class_code,
                    "subject_title": c.class_title,
                    "comparator": comparator,
                    "has_pay": hit is not None,
                    "where": None,
                    "comparator_class_code": None,
                    "comparator_title": None,
                    "method": None,
                    "score": None,
                    **(hit or {}),
                }
            )
    return crosswalk.with_none(
        pd.DataFrame(rows, columns=cols), ["where", "comparator_class_code", "comparator_title"]
    )


def coverage(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    comparators: list[str],
    uploaded: pd.DataFrame | None = None,
    *,
    user_decisions: pd.DataFrame | None = None,
    overrides_path: Path | None = crosswalk.OVERRIDES_CSV,
) -> pd.DataFrame:
    """Benchmark coverage: one row per subject class (code and title), one boolean column per
    comparator (True = pay data for the matched class, from the warehouse or an upload), and
    `comparators_with_pay`."""
    detail = coverage_detail(
        con,
        subject_agency,
        comparators,
        uploaded,
        user_decisions=user_decisions,
        overrides_path=overrides_path,
    )
    base = crosswalk.agency_classes(con, subject_agency)
    base = base[base["class_title"].notna()][["class_code", "class_title"]]
    out = base.rename(
        columns={"class_code": "subject_class_code", "class_title": "subject_title"}
    ).reset_index(drop=True)
    comparators = list(dict.fromkeys(comparators))
    for comparator in comparators:
        d = detail[detail["comparator"] == comparator].set_index("subject_class_code")["has_pay"]
        out[comparator] = out["subject_class_code"].map(d).fillna(False).astype(bool)
    out["comparators_with_pay"] = out[comparators].sum(axis=1).astype(int)
    if out.empty:
        out.attrs["reason"] = crosswalk.no_classes_reason(subject_agency)
    return out


def nodes_with_pay(nodes: pd.DataFrame, names: list[str], uploaded_agencies: list[str]) -> set:
    """Which network nodes have pay data: a salary table in the warehouse, or uploaded
    survey data under any spelling of their name ('Napa' = 'Napa County')."""
    out = set(nodes.loc[nodes["has_salary_data"], "node"]) | set(uploaded_agencies)
    out |= {n for n in names if any(same_agency(n, u) for u in uploaded_agencies)}
    return out
