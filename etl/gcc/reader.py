"""Import of the State Controller's "Government Compensation in California" (GCC) raw export.

`read_gcc(source, file_name, agencies=..., year=..., progress=...)` takes the ZIP as
downloaded (exactly one CSV inside) or the bare CSV, of any employer type (County, City,
Special District, Superior Court, ...) and any year from FIRST_YEAR, and returns a GccImport:
one row per agency x position x year (RESULT_COLUMNS) plus what was matched, skipped and why.

How it reads (etl.gcc.archive, etl.gcc.layout, etl.gcc.sql):
- The CSV is streamed out of the ZIP to a temporary file with a byte cap (ZIP bombs, damaged
  ZIPs, no CSV or several are refused with one message each).
- Encoding: decided line by line by the one decoder of uploads (etl/uploads/decoding.py) as
  the CSV streams, Windows-1252 lines transcoded to UTF-8 (etl.gcc.archive says why DuckDB's
  own Latin-1 reader cannot be used). GccImport.encoding says 'utf-8', 'windows-1252' or
  'utf-8 + windows-1252', and `cp1252_rows` which rows (lines, when a quoted cell spans lines)
  were read as Windows-1252; a line mixing both fails the file with its line number.
- The header is found by content and its columns by name (older spaced layouts, disclaimer
  lines above the header, a 29th SpecialDistrictType column and unknown extra columns are
  fine); DuckDB's CSV reader then reads every column as VARCHAR with strict quoting, and all
  checking and aggregation is SQL over the whole file, no Python loop per row.

Bad rows, the policy. GCC data are self-reported and unaudited: real files carry junk rows
(hourly rates in the annual MaxPositionSalary, placeholder ranges, positions reported without
a range), and one such row must not block a survey of 3,000 employers. But a file whose
structure is broken, or whose number columns hold text, is a different file or a damaged one,
and reading it anyway would give wrong numbers without a sign. So:
- The import FAILS (GccImportError, nothing returned, up to 10 problems listed with row and
  column, then "and N more") on: structure (no header, a required column missing, a column
  named twice, a row with too many or too few cells, an unterminated quote) anywhere in the
  file; and, in the rows asked for (the chosen agencies and year), a Year that is not a year
  from FIRST_YEAR to next year, or a money cell (Min/MaxPositionSalary, the four benefit
  costs) that is not an amount ("abc", "23,45").
- Rows are SKIPPED AND COUNTED per reason (GccImport.skipped: reason, rows, first example
  rows) when the row is readable but unusable: blank or zero MaxPositionSalary, a
  MaxPositionSalary over MAX_ANNUAL (etl/defaults: $2,000 an hour) or under
  MIN_ANNUAL_SALARY ($1,000 a year, not an annual salary), a blank Position or EmployerName.
  A range bottom that is blank, zero or above the top is kept as a blank min_salary.
Blank benefit cells are not zeros: medians and means are over the incumbents that report
the cost. `retirement_*` is the employer's whole retirement cost per incumbent,
DefinedBenefitPlanContribution + EmployeesRetirementCostCovered (one of the two blank counts as
0; both blank, the incumbent does not report it), so its median is a real incumbent's total,
not the sum of two medians.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from etl import agency_names
from etl.defaults import MAX_ANNUAL, MAX_PROBLEMS, MAX_TEXT
from etl.errors import GccImportError
from etl.gcc import sql as q
from etl.gcc.archive import CsvFile, gcc_csv
from etl.gcc.layout import HEAD_BYTES, USED, Layout, find_layout

FIRST_YEAR = 2009


def last_year() -> int:
    """The latest Year a file may hold: next year (an export can list the coming year)."""
    return date.today().year + 1


MIN_ANNUAL_SALARY = 1000.0
MAX_LISTED = 10

RESULT_COLUMNS = [
    "agency",  # as survey lists write it: "Napa County", "City of Ukiah"
    "requested",  # the asked-for name(s) that matched this employer ('; '), None for all
    "employer_name",
    "employer_type",
    "employer_county",
    "year",
    "position",
    "department",  # distinct DepartmentOrSubdivision values, '; '
    "incumbents",  # rows used (one per employee)
    "min_salary",
    "max_salary",  # MaxPositionSalary: annual top of the range
    "ranges",  # distinct (min, max) pairs the incumbents reported
    "range_incumbents",  # incumbents reporting the kept pair
    "defined_benefit_median",
    "defined_benefit_mean",
    "retirement_covered_median",
    "retirement_covered_mean",
    "deferred_comp_median",
    "deferred_comp_mean",
    "health_dental_vision_median",
    "health_dental_vision_mean",
    "retirement_median",  # per incumbent: defined benefit + employee's share covered
    "retirement_mean",
    "first_row",  # the position's first CSV row, as a spreadsheet shows it (header = 1)
    "source",
    "note",
]
MATCH_COLUMNS = ["requested", "agency", "employer_name", "employer_type", "rows"]

Progress = Callable[[float, str], None]


@dataclass
class GccImport:
    """The result of read_gcc. `rows`: RESULT_COLUMNS. `matches`: one row per requested name
    x employer it matched (MATCH_COLUMNS); `unmatched`: requested names matching no employer.
    `skipped`: reason, rows, example_rows (spreadsheet rows). `employers`: every employer in
    the file (employer_name, employer_type, employer_county, rows, agency)."""

    file: str
    member: str | None
    encoding: str
    header_row: int
    columns_ignored: list[str]
    rows: pd.DataFrame
    matches: pd.DataFrame
    unmatched: list[str]
    skipped: pd.DataFrame
    employers: pd.DataFrame
    records: int  # data rows in the file
    rows_used: int
    years: list[int] = field(default_factory=list)
    # The first rows read as Windows-1252 (etl.uploads.decoding), how many there are, and
    # whether the numbers are spreadsheet rows ('row') or lines of the file ('line': a quoted
    # cell spans lines somewhere, so the two differ).
    cp1252_rows: list[int] = field(default_factory=list)
    cp1252_count: int = 0
    cp1252_unit: str = "row"

    def encoding_note(self) -> str:
        """The encoding in words, for the import summary."""
        if self.encoding == "utf-8":
            return "UTF-8"
        if self.encoding == "windows-1252":
            return "Windows-1252 (the file holds no UTF-8 characters)"
        listed = ", ".join(map(str, self.cp1252_rows))
        more = " …" if self.cp1252_count > len(self.cp1252_rows) else ""
        return (
            f"UTF-8, but {self.cp1252_count:,} {self.cp1252_unit}(s) read as Windows-1252: "
            f"{self.cp1252_unit}(s) {listed}{more}"
        )

    @property
    def skipped_total(self) -> int:
        return int(self.skipped["rows"].sum()) if not self.skipped.empty else 0


def _step(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), message)


def _head_text(csv: CsvFile) -> str:
    with open(csv.path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if len(head) == HEAD_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    return head.decode("utf-8-sig", errors="replace")  # the file read is always UTF-8


def _load(con: duckdb.DuckDBPyConnection, csv: CsvFile, layout: Layout, file_name: str) -> int:
    """Table gcc_rows from the CSV; structure problems fail the file. Returns data rows."""
    by_position = {i: name for name, i in layout.columns.items() if name in USED}
    columns = {by_position.get(i, f"x{i}"): "VARCHAR" for i in range(layout.width)}
    for macro in q.MACROS:
        con.execute(macro)
    params = {
        "path": str(csv.path),
        "columns": columns,
        "skip": layout.skip_lines,
        "header_row": layout.header_row,
    }
    try:
        con.execute(q.LOAD, params)
    except duckdb.Error as exc:
        raise GccImportError(file_name, [(None, None, f"not readable as CSV: {exc}")]) from None
    bad = con.execute(q.REJECTS_COUNT).fetchone()[0]
    if bad:
        problems = [
            (int(line), None, _reject_message(kind, msg, layout.width))
            for line, _col, kind, msg in con.execute(q.REJECTS, {"limit": MAX_PROBLEMS}).fetchall()
        ]
        raise GccImportError(file_name, problems, total=bad)
    for name, statement in q.ADD_COLUMN.items():
        if name not in layout.columns:
            con.execute(statement)
    con.execute(q.MARK_HEADERS[0])
    names = {"year_name": layout.header[layout.columns["Year"]]}
    names["pos_name"] = layout.header[layout.columns["Position"]]
    con.execute(q.MARK_HEADERS[1], names)
    return con.execute(q.RECORDS).fetchone()[0]


def _line_unit(con: duckdb.DuckDBPyConnection, csv: CsvFile, layout: Layout) -> str:
    """'row' when every record is one line (line n is spreadsheet row n), else 'line'."""
    loaded = con.execute("SELECT count(*) FROM gcc_rows").fetchone()[0]
    return "row" if layout.header_row + loaded == csv.decoding.lines else "line"


def _reject_message(kind: str, message: str, width: int) -> str:
    kind = (kind or "").upper()
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
        found = message.rsplit("Found:", 1)[-1].strip() if "Found:" in message else "?"
        return f"has {found} cells; the header has {width} columns (line of the file)"
    if kind == "UNQUOTED VALUE":
        return "a quote is not closed (line of the file)"
    if kind == "INVALID ENCODING" or "unicode" in (message or "").lower():
        return "text that is not valid in the file's encoding (line of the file)"
    return f"{message} (line of the file)"


def _employers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    df = con.execute(q.EMPLOYERS).df()
    df["agency"] = [
        agency_names.display_name(n, t)
        for n, t in zip(df["employer_name"], df["employer_type"], strict=True)
    ]
    return df


def _match(
    employers: pd.DataFrame, agencies: list[str] | None
) -> tuple[pd.DataFrame, list[str], pd.Series]:
    """(matches, unmatched names, mask of employers chosen)."""
    if agencies is None:
        return pd.DataFrame(columns=MATCH_COLUMNS), [], pd.Series(True, index=employers.index)
    rows, unmatched = [], []
    chosen = pd.Series(False, index=employers.index)
    for name in dict.fromkeys(a for a in agencies if str(a).strip()):
        hit = [agency_names.same_agency(name, a) for a in employers["agency"]]
        mask = pd.Series(hit, index=employers.index, dtype=bool)
        if not mask.any():
            unmatched.append(name)
        chosen |= mask
        for e in employers[mask].itertuples(index=False):
            rows.append([name, e.agency, e.employer_name, e.employer_type, int(e.rows)])
    return pd.DataFrame(rows, columns=MATCH_COLUMNS), unmatched, chosen


_PROBLEMS = {
    "no_year": "empty; a year is required",
    "not_year": f"not a year from {FIRST_YEAR} to next year",
    "not_money": "not an amount of dollars",
    "too_long": f"longer than {MAX_TEXT} characters (the start is shown)",
}
SKIP_REASONS = {
    "no_range": "blank or zero MaxPositionSalary",
    "over_max": f"MaxPositionSalary over ${MAX_ANNUAL:,.0f} a year",
    "under_min": f"MaxPositionSalary under ${MIN_ANNUAL_SALARY:,.0f} a year (not an annual salary)",
    "no_position": "blank Position",
    "no_employer": "blank EmployerName",
}


def _check_cells(con: duckdb.DuckDBPyConnection, file_name: str) -> None:
    con.execute(q.BAD_CELLS)
    total = con.execute(q.BAD_COUNT).fetchone()[0]
    if not total:
        return
    problems = [
        (int(row), col, f"{value!r} is {_PROBLEMS[code]}" if value is not None else _PROBLEMS[code])
        for row, col, value, code in con.execute(q.BAD_FIRST, {"limit": MAX_PROBLEMS}).fetchall()
    ]
    raise GccImportError(file_name, problems, total=total)


def _skipped(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    df = con.execute(q.SKIPPED).df()
    df.insert(0, "reason", df.pop("skip").map(SKIP_REASONS))
    df["example_rows"] = df["example_rows"].map(lambda v: [int(x) for x in v])
    return df


def _finish(
    df: pd.DataFrame, employers: pd.DataFrame, matches: pd.DataFrame, label: str
) -> pd.DataFrame:
    key = ["_name", "_type"]

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(
            _name=frame["employer_name"].astype(object).fillna(""),
            _type=frame["employer_type"].astype(object).fillna(""),
        )

    df = keyed(df).merge(keyed(employers)[[*key, "agency"]], on=key, how="left")
    if matches.empty:
        df["requested"] = None
    else:
        req = keyed(matches).groupby(key)["requested"].agg("; ".join).reset_index()
        df = df.merge(req, on=key, how="left")
    df["source"] = [
        f"SCO Government Compensation in California {y}, {label}, Position {p!r}, first at row {r}"
        for y, p, r in zip(df["year"], df["position"], df["first_row"], strict=True)
    ]
    df["note"] = [
        f"{n} ranges reported; kept the most common, {k} of {i} incumbents" if n > 1 else None
        for n, k, i in zip(df["ranges"], df["range_incumbents"], df["incumbents"], strict=True)
    ]
    df = df[RESULT_COLUMNS].astype(
        {"year": int, "incumbents": int, "ranges": int, "range_incumbents": int, "first_row": int}
    )
    for c in ("requested", "note", "employer_type", "employer_county", "department"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df.reset_index(drop=True)


def _params(year: int | None) -> dict:
    return {
        "year": None if year is None else int(year),
        "first_year": FIRST_YEAR,
        "last_year": last_year(),
        "min_annual": MIN_ANNUAL_SALARY,
        "max_annual": MAX_ANNUAL,
        "max_text": MAX_TEXT,
    }


def read_gcc(
    source: str | os.PathLike | bytes,
    file_name: str,
    *,
    agencies: list[str] | None = None,
    year: int | None = None,
    progress: Progress | None = None,
) -> GccImport:
    """Read a GCC export (module docstring) into one row per agency x position x year.

    `agencies`: survey agency names ("Napa County", "City of Ukiah", "Sonoma"), matched to
    employers with etl.agency_names; None takes every employer. `year`: only that Year.
    `progress(fraction, message)` is called as the stages go (extract, read, check,
    aggregate). Raises GccImportError (etl.errors) for a file that cannot be used."""
    _step(progress, 0.0, "opening the file")
    with gcc_csv(source, file_name, progress) as csv:
        layout = find_layout(_head_text(csv), file_name)
        label = f"{file_name}" + (f" ({csv.member})" if csv.member else "")
        con = duckdb.connect()
        try:
            _step(progress, 0.35, "reading the CSV")
            records = _load(con, csv, layout, file_name)
            if not records:
                raise GccImportError(
                    file_name, [(None, None, "the file has a header but no data rows")]
                )
            unit = _line_unit(con, csv, layout)
            _step(progress, 0.65, "matching agencies")
            employers = _employers(con)
            matches, unmatched, chosen = _match(employers, agencies)
            con.register(
                "gcc_employers_df", employers.loc[chosen, ["employer_name", "employer_type"]]
            )
            con.execute(q.EMPLOYERS_TABLE)
            con.execute(q.PARAMS, _params(year))
            con.execute(q.SELECTION_ALL if agencies is None else q.SELECTION_CHOSEN)
            _step(progress, 0.7, "checking cells")
            _check_cells(con, file_name)
            con.execute(q.TYPED)
            skipped = _skipped(con)
            _step(progress, 0.8, "aggregating positions")
            df = con.execute(q.AGGREGATE).df()
        finally:
            con.close()
    rows = _finish(df, employers, matches, label)
    _step(progress, 1.0, f"{len(rows):,} positions from {records:,} rows")
    return GccImport(
        file=file_name,
        member=csv.member,
        encoding=csv.encoding,
        header_row=layout.header_row,
        columns_ignored=layout.ignored,
        rows=rows,
        matches=matches,
        unmatched=unmatched,
        skipped=skipped,
        employers=employers,
        records=int(records),
        rows_used=int(rows["incumbents"].sum()) if not rows.empty else 0,
        years=sorted({int(y) for y in rows["year"]}),
        cp1252_rows=list(csv.decoding.cp1252),
        cp1252_count=csv.decoding.cp1252_count,
        cp1252_unit=unit,
    )
