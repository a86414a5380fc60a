"""Rosters: who is employed in which class, at which step and FTE, for costing a proposal.

A roster is a CSV or XLSX file with a header row and at least the columns

    agency, class_code, step, fte, count

(`count` = employees on that row), or one row per employee with `id` instead of `count`.
Optional columns: `next_step_date` (when the employee is next eligible for a merit step),
`bargaining_unit`, `note`, `name`, and premium flags, e.g. `bilingual` or `shift`: yes/no
columns naming the employees a premium change applies to (see analysis/scenario.py). Other
columns are kept as information and not costed.

Every row is checked (unknown agency or class, step outside the class's range, FTE outside
(0, 1], missing column, wrong type, duplicate id, a formula in an XLSX cell) and every problem
is reported with its row as a spreadsheet user sees it (header = row 1) and its column, all in
one RosterError: nothing is costed from a roster that failed. A file over the upload limit
(etl.defaults.MAX_UPLOAD_MB), a binary or UTF-16 file with a .csv name, a semicolon- or
tab-separated file, a value in a column with no header (an unquoted comma) and a workbook that
unpacks or stretches beyond the MAX_XLSX_* bounds are refused the same way.

Classes and steps are checked against a table of valid (agency, class_code, step), normally
`valid_positions(con)` from the warehouse's salary_schedule, so the checks are testable
without DuckDB.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pandas as pd

from analysis.warehouse import query
from etl.defaults import DATA_DIR, upload_too_large
from etl.errors import BargainError
from etl.records import step_order

ILLUSTRATIVE_ROSTER = DATA_DIR / "samples" / "illustrative_roster.csv"

REQUIRED_COLUMNS = ("agency", "class_code", "step", "fte")
INFO_COLUMNS = ("bargaining_unit", "note", "name")
RESERVED_COLUMNS = (*REQUIRED_COLUMNS, "count", "id", "next_step_date", *INFO_COLUMNS)
# Columns with these names must be yes/no premium flags; other yes/no columns are flags too.
KNOWN_FLAGS = (
    "bilingual",
    "shift",
    "evening_shift",
    "night_shift",
    "swing_shift",
    "graveyard_shift",
    "on_call",
    "standby",
)
MAX_PROBLEMS = 200  # stop collecting after this many; the error says there were more
MAX_COUNT = 1_000_000  # employees on one roster row; more is a typo (or a number gone wrong)
# An XLSX is a zip: a small upload can unpack to gigabytes or claim a million rows of a
# sixteen-thousand-column sheet. These bound the work a workbook can ask for.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_ROWS = 500_000
MAX_XLSX_COLUMNS = 200

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d")

Problem = tuple[int | None, str, str]  # (row, column, message); row None = the whole file


class RosterError(BargainError):
    """A roster that cannot be costed, with every problem found: (row, column, message)."""

    def __init__(self, source: str, problems: list[Problem], truncated: bool = False):
        self.source = source
        self.problems = list(problems)
        self.truncated = truncated
        n = len(self.problems)
        more = f" (stopped after {n}; there are more)" if truncated else ""
        lines = [
            f"{source}: {n} problem{'s' if n != 1 else ''} in the roster{more}; nothing "
            "was costed. Rows are numbered as in a spreadsheet (header = row 1)."
        ]
        for row, column, message in self.problems[:20]:
            where = ("file" if row is None else f"row {row}") + (
                f", column {column!r}" if column else ""
            )
            if len(message) > 300:  # a quoted cell can be long; the row and column say where
                message = message[:299] + "…"
            lines.append(f"  {where}: {message}")
        if n > 20:
            lines.append(f"  ... and {n - 20} more")
        super().__init__("\n".join(lines))


@dataclass(frozen=True, eq=False)
class Roster:
    """A validated roster. `rows` has one row per roster line: row (spreadsheet row number),
    agency, bargaining_unit, class_code, step, fte, count, id, next_step_date, note, and one
    boolean column per premium flag (named in `flags`)."""

    rows: pd.DataFrame
    flags: tuple[str, ...] = ()
    source: str = "roster"
    illustrative: bool = False  # True for the built-in synthetic roster
    checked_against_warehouse: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def heads(self) -> int:
        return int(self.rows["count"].sum())

    @property
    def fte(self) -> float:
        return float((self.rows["fte"] * self.rows["count"]).sum())

    @property
    def agencies(self) -> list[str]:
        return sorted(self.rows["agency"].unique().tolist())

    def for_agency(self, agency: str) -> Roster:
        """Only the rows of one agency (a roster may mix agencies; a scenario costs one)."""
        rows = self.rows[self.rows["agency"] == agency].reset_index(drop=True)
        return replace(self, rows=rows)


# Valid classes and steps ----------------------------------------------------------------------

VALID_POSITIONS_SQL = """
SELECT agency, class_code, any_value(class_title) AS class_title, step
FROM salary_schedule
WHERE ? IS NULL OR agency = ?
GROUP BY agency, class_code, step
ORDER BY agency, class_code, length(step), step
"""


def valid_positions(con: duckdb.DuckDBPyConnection, agency: str | None = None) -> pd.DataFrame:
    """Every (agency, class_code, step) with a salary in the warehouse: what a roster may name."""
    return query(con, VALID_POSITIONS_SQL, [agency, agency])


@dataclass(frozen=True)
class _Valid:
    agencies: dict[str, str]  # lower-case -> canonical
    steps: dict[tuple[str, str], tuple[str, ...]]  # (agency, class_code) -> steps, bottom to top

    @classmethod
    def of(cls, valid: pd.DataFrame) -> _Valid:
        missing = {"agency", "class_code", "step"} - set(valid.columns)
        if missing:
            raise ValueError(f"valid positions lack columns {sorted(missing)}")
        steps: dict[tuple[str, str], set[str]] = {}
        for agency, code, step in valid[["agency", "class_code", "step"]].itertuples(
            index=False, name=None
        ):
            steps.setdefault((str(agency), str(code)), set()).add(str(step))
        return cls(
            agencies={str(a).lower(): str(a) for a in valid["agency"].unique()},
            steps={k: tuple(sorted(v, key=step_order)) for k, v in steps.items()},
        )

    def resolve(self, agency: str, code: str) -> tuple[str, tuple[str, ...] | None]:
        """The class code as the warehouse spells it, and its steps (None: unknown class).
        A numeric code shorter than 4 digits is retried zero-padded: a spreadsheet that
        stored 0401 as a number shows 401."""
        steps = self.steps.get((agency, code))
        if steps is None and code.isdigit() and len(code) < 4:
            padded = code.zfill(4)
            if (agency, padded) in self.steps:
                return padded, self.steps[(agency, padded)]
        return code, steps


# Reading files ----------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, str) and not value.strip()


def _header_name(value: Any) -> str:
    return re.sub(r"\s+", "_", str(value).strip().lower()) if not _is_blank(value) else ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Unreadable(ValueError):
    """The file cannot be read as a roster at all (one problem for the whole file)."""


def _read_csv(data: bytes) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unreadable(
            "the file is UTF-16 ('Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)'"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:20000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) / 100:
        raise _Unreadable(
            "this is not a text CSV file (binary content); save the roster as CSV or XLSX"
        )
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in first:
        for sep, what in ((";", "semicolons (;)"), ("\t", "tabs")):
            if sep in first:
                raise _Unreadable(
                    f"the columns are separated by {what}, not commas; save the file as "
                    "'CSV (Comma delimited)'"
                )
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise _Unreadable(f"not readable as CSV: {exc}") from None
    if not records:
        return [], []
    # csv record i is spreadsheet row i + 1 (a quoted newline stays inside one cell)
    return records[0], [(i + 1, r) for i, r in enumerate(records) if i > 0]


def _read_xlsx(data: bytes) -> tuple[list[Any], list[tuple[int, list[Any]]], list[Problem]]:
    """Cell values of the first sheet (or one named 'roster'); formulas are reported, never
    evaluated: the workbook is read with data_only=False so a formula is seen as a formula."""
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        unpacked = sum(i.file_size for i in z.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _Unreadable(
            f"the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than "
            f"{MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB; save the roster sheet alone as CSV"
        )
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        names = {n.lower(): n for n in wb.sheetnames}
        ws = wb[names.get("roster", wb.sheetnames[0])]
        # The sheet's stated size is not trusted (a stated A1:XFD1048576 would pad every row to
        # 16,384 cells): rows are read as stored, and their number and width are capped.
        ws.reset_dimensions()
        header: list[Any] = []
        rows: list[tuple[int, list[Any]]] = []
        formulas: list[tuple[int, int, str]] = []  # row, column index, formula text
        for r, cells in enumerate(ws.iter_rows(), start=1):
            if r > MAX_XLSX_ROWS:
                raise _Unreadable(
                    f"the sheet has more than {MAX_XLSX_ROWS:,} rows; a roster has one row per "
                    "class and step (or per employee)"
                )
            if len(cells) > MAX_XLSX_COLUMNS:
                raise _Unreadable(
                    f"row {r} has cells beyond column {_column_letter(MAX_XLSX_COLUMNS - 1)} "
                    f"(more than {MAX_XLSX_COLUMNS} columns); delete the unused columns"
                )
            values = []
            for j, cell in enumerate(cells):
                v = cell.value
                if getattr(cell, "data_type", None) == "f" or isinstance(
                    v, ArrayFormula | DataTableFormula
                ):
                    text = getattr(v, "text", v)
                    formulas.append((r, j, str(text)))
                    v = None
                values.append(v)
            if r == 1:
                header = values
            else:
                rows.append((r, values))
    finally:
        wb.close()
    problems = []
    for r, j, text in formulas:
        col = _header_name(header[j]) if j < len(header) else ""
        problems.append(
            (
                r,
                col or _column_letter(j),
                f"cell contains a formula ({text[:40]}); rosters must hold values: "
                "copy the column and paste as values",
            )
        )
    return header, rows, problems


def _column_letter(j: int) -> str:
    letters = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _as_bytes(data: str | Path | bytes | BinaryIO) -> tuple[bytes, str]:
    if isinstance(data, bytes | bytearray):
        return bytes(data), "roster"
    if isinstance(data, str | Path):
        p = Path(data)
        return p.read_bytes(), p.name
    name = getattr(data, "name", "roster")
    return data.read(), Path(str(name)).name


def read_roster(
    data: str | Path | bytes | BinaryIO,
    valid: pd.DataFrame | None,
    name: str | None = None,
) -> Roster:
    """Read and validate a CSV or XLSX roster (a path, bytes or an uploaded file object).

    `valid` is the table of valid (agency, class_code, step), e.g. `valid_positions(con)`;
    None checks only the shape and types (classes and steps are then checked when costing).
    Raises RosterError listing every problem with its row and column.
    """
    raw, default_name = _as_bytes(data)
    source = name or default_name
    too_large = upload_too_large(len(raw))
    if too_large:
        raise RosterError(source, [(None, "", too_large)])
    is_xlsx = raw[:4] == b"PK\x03\x04" or source.lower().endswith((".xlsx", ".xlsm"))
    if is_xlsx:
        try:
            header, rows, problems = _read_xlsx(raw)
        except _Unreadable as exc:
            raise RosterError(source, [(None, "", str(exc))]) from None
        except Exception as exc:  # a damaged or non-XLSX file
            raise RosterError(
                source,
                [
                    (
                        1,
                        "",
                        f"cannot read the file as XLSX ({type(exc).__name__}: {exc}); save it "
                        "from Excel as 'Excel Workbook (.xlsx)' or as CSV",
                    )
                ],
            ) from exc
    else:
        try:
            header, rows = _read_csv(raw)
        except _Unreadable as exc:
            raise RosterError(source, [(None, "", str(exc))]) from None
        problems = []
    return _validate(header, rows, valid, source, problems)


def validate_roster(
    table: pd.DataFrame, valid: pd.DataFrame | None, source: str = "roster"
) -> Roster:
    """Validate a roster already in a DataFrame (one row per roster line, in file order, so
    DataFrame row i is spreadsheet row i + 2)."""
    header = list(table.columns)
    rows = [
        (i + 2, list(values))
        for i, values in enumerate(table.astype(object).itertuples(index=False, name=None))
    ]
    return _validate(header, rows, valid, source, [])


def illustrative_roster(valid: pd.DataFrame | None = None) -> Roster:
    """The built-in SYNTHETIC roster (data/samples/illustrative_roster.csv): invented
    incumbents in real classes of both agreements, to try the costing without real data."""
    roster = read_roster(ILLUSTRATIVE_ROSTER, valid)
    return replace(
        roster,
        illustrative=True,
        notes=(
            *roster.notes,
            "Illustrative roster: synthetic incumbents, not real employees "
            f"({ILLUSTRATIVE_ROSTER.name}).",
        ),
    )


# Validation ---------------------------------------------------------------------------------


class _Collector:
    def __init__(self, initial: list[Problem]):
        self.problems: list[Problem] = list(initial[:MAX_PROBLEMS])
        self.truncated = len(initial) > MAX_PROBLEMS
        # cells already reported (an XLSX formula) are not reported again as missing
        self.reported = {(r, c) for r, c, _ in initial}

    def add(self, row: int, column: str, message: str) -> None:
        if (row, column) in self.reported:
            return
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
        else:
            self.problems.append((row, column, message))


def _text(value: Any) -> str | None:
    """A cell as text: whole numbers without '.0', blanks as None."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).strip().replace(",", ""))


def _flag(value: Any) -> bool:
    if _is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    t = str(value).strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _is_flag_like(values: list[Any]) -> bool:
    try:
        for v in values:
            _flag(v)
    except ValueError:
        return False
    return True


def _validate(
    header: list[Any],
    rows: list[tuple[int, list[Any]]],
    valid: pd.DataFrame | None,
    source: str,
    initial: list[Problem],
) -> Roster:
    out = _Collector(initial)
    names = [_header_name(h) for h in header]
    col_index: dict[str, int] = {}
    for j, n in enumerate(names):
        if not n:
            continue
        if n in col_index:
            out.add(1, n, f"column {n!r} appears twice (columns {col_index[n] + 1} and {j + 1})")
        else:
            col_index[n] = j
    if not names or not any(names):
        raise RosterError(source, [(1, "", "the roster has no header row")])
    for c in REQUIRED_COLUMNS:
        if c not in col_index:
            out.add(1, c, f"missing required column {c!r}")
    has_id, has_count = "id" in col_index, "count" in col_index
    if not has_id and not has_count:
        out.add(
            1,
            "count",
            "missing column: give 'count' (employees on each row) or 'id' (one row per employee)",
        )
    rows = [(r, v) for r, v in rows if not all(_is_blank(x) for x in v)]
    if not rows:
        out.add(2, "", "the roster has no rows")
    for r, values in rows:
        # a value under no header would be silently dropped: usually an unquoted comma
        stray = [
            j
            for j, x in enumerate(values)
            if not _is_blank(x) and not (j < len(names) and names[j])
        ]
        if stray:
            j = stray[0]
            out.add(
                r,
                _column_letter(j),
                f"value {_text(values[j])!r} is in column {_column_letter(j)}, which has no "
                "header: name the column, or quote a value that contains a comma",
            )

    def cell(values: list[Any], column: str) -> Any:
        j = col_index.get(column)
        return values[j] if j is not None and j < len(values) else None

    extra = [n for n in col_index if n not in RESERVED_COLUMNS]
    flags = [n for n in extra if n in KNOWN_FLAGS or _is_flag_like([cell(v, n) for _, v in rows])]
    info = [n for n in extra if n not in flags]
    checks = _Valid.of(valid) if valid is not None else None

    records: list[dict[str, Any]] = []
    first_id: dict[str, int] = {}
    for r, values in rows:
        rec: dict[str, Any] = {"row": r}
        agency = _text(cell(values, "agency"))
        if "agency" in col_index:
            if agency is None:
                out.add(r, "agency", "agency is missing")
            elif checks is not None:
                canon = checks.agencies.get(agency.lower())
                if canon is None:
                    known = ", ".join(sorted(checks.agencies.values()))
                    out.add(
                        r,
                        "agency",
                        f"unknown agency {agency!r}: the warehouse has salary schedules for "
                        f"{known}",
                    )
                agency = canon
        rec["agency"] = agency

        code = _text(cell(values, "class_code"))
        step = _text(cell(values, "step"))
        if step is not None:
            step = re.sub(r"^step\s*", "", step, flags=re.I).upper()
        if "class_code" in col_index and code is None:
            out.add(r, "class_code", "class_code is missing")
        if "step" in col_index and step is None:
            out.add(r, "step", "step is missing")
        if checks is not None and agency and code is not None:
            code, steps = checks.resolve(agency, code)
            if steps is None:
                out.add(
                    r,
                    "class_code",
                    f"unknown class {code!r}: not a {agency} class with a salary schedule",
                )
            elif step is not None and step not in steps:
                out.add(
                    r,
                    "step",
                    f"step {step!r} is outside the range of class {code} "
                    f"({steps[0]} to {steps[-1]})",
                )
        rec["class_code"], rec["step"] = code, step

        fte_cell = cell(values, "fte")
        rec["fte"] = None
        if "fte" in col_index:
            if _is_blank(fte_cell):
                out.add(r, "fte", "fte is missing")
            else:
                try:
                    fte = _number(fte_cell)
                except ValueError:
                    out.add(r, "fte", f"fte must be a number in (0, 1], got {fte_cell!r}")
                else:
                    if not (0 < fte <= 1):
                        out.add(r, "fte", f"fte {fte:g} is outside (0, 1]")
                    rec["fte"] = fte

        count_cell = cell(values, "count")
        rec["count"] = 1 if has_id and (not has_count or _is_blank(count_cell)) else None
        if has_count and rec["count"] is None:
            if _is_blank(count_cell):
                out.add(r, "count", "count is missing")
            else:
                try:
                    n = _number(count_cell)
                    if not n.is_integer() or not 1 <= n <= MAX_COUNT:
                        raise ValueError
                    rec["count"] = int(n)
                except ValueError:
                    out.add(
                        r,
                        "count",
                        f"count must be a whole number of employees (1 to {MAX_COUNT:,}), "
                        f"got {count_cell!r}",
                    )

        emp_id = _text(cell(values, "id"))
        if has_id:
            if emp_id is None:
                out.add(r, "id", "id is missing")
            elif emp_id in first_id:
                out.add(r, "id", f"duplicate id {emp_id!r} (first on row {first_id[emp_id]})")
            else:
                first_id[emp_id] = r
        rec["id"] = emp_id

        nsd_cell = cell(values, "next_step_date")
        rec["next_step_date"] = None
        if not _is_blank(nsd_cell):
            try:
                rec["next_step_date"] = _date(nsd_cell)
            except ValueError:
                out.add(
                    r,
                    "next_step_date",
                    f"next_step_date must be a date (YYYY-MM-DD), got {nsd_cell!r}",
                )
        rec["bargaining_unit"] = _text(cell(values, "bargaining_unit"))
        rec["note"] = _text(cell(values, "note"))
        for f in flags:
            v = cell(values, f)
            try:
                rec[f] = _flag(v)
            except ValueError:
                rec[f] = False
                out.add(r, f, f"premium flag {f!r} must be yes/no (or true/false, 1/0), got {v!r}")
        records.append(rec)

    if out.problems:
        raise RosterError(source, out.problems, out.truncated)

    columns = [
        "row",
        "agency",
        "bargaining_unit",
        "class_code",
        "step",
        "fte",
        "count",
        "id",
        "next_step_date",
        "note",
        *flags,
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["row"] = df["row"].astype("int64")
    df["fte"] = df["fte"].astype("float64")
    df["count"] = df["count"].astype("int64")
    df["next_step_date"] = pd.to_datetime(df["next_step_date"]).astype("datetime64[s]")
    for f in flags:
        df[f] = df[f].astype(bool)
    notes = []
    if info:
        notes.append(f"Columns kept as information, not costed: {', '.join(info)}.")
    if checks is None:
        notes.append("Classes and steps not yet checked against the salary schedule.")
    return Roster(
        rows=df,
        flags=tuple(flags),
        source=source,
        checked_against_warehouse=checks is not None,
        notes=tuple(notes),
    )


def check_positions(roster: Roster, valid: pd.DataFrame) -> Roster:
    """Check a roster's classes and steps against valid positions (for a roster read without
    the warehouse); raises RosterError naming each row."""
    checks = _Valid.of(valid)
    out = _Collector([])
    codes, agencies = [], []
    for r, agency, code, step in roster.rows[["row", "agency", "class_code", "step"]].itertuples(
        index=False, name=None
    ):
        canon = checks.agencies.get(str(agency).lower())
        agencies.append(canon or agency)
        if canon is None:
            out.add(r, "agency", f"unknown agency {agency!r}: no salary schedule for it")
            codes.append(code)
            continue
        code, steps = checks.resolve(canon, code)
        codes.append(code)
        if steps is None:
            out.add(
                r,
                "class_code",
                f"unknown class {code!r}: not a {canon} class with a salary schedule",
            )
        elif step not in steps:
            out.add(
                r,
                "step",
                f"step {step!r} is outside the range of class {code} ({steps[0]} to {steps[-1]})",
            )
    if out.problems:
        raise RosterError(roster.source, out.problems, out.truncated)
    rows = roster.rows.assign(agency=agencies, class_code=codes)
    return replace(roster, rows=rows, checked_against_warehouse=True)
