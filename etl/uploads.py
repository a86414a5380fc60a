"""The one reader of uploaded tables (CSV and XLSX): what every upload goes through before its
rows are interpreted.

`read_table(data, file_name)` returns a `Table`: the header row, the rows below it with their
spreadsheet row numbers (the header is row 1; a quoted CSV cell spanning several lines is one
row, as a spreadsheet shows it), the sheet and, for CSV, the encoding it was read in. Before any
row is read the file is held to the settings' limits and its kind is checked, each failure with
one message saying what the file is and how to save it instead:

- over `MAX_UPLOAD_BYTES`; empty;
- a PNG, JPEG, GIF or PDF; a web page (HTML); an Excel 97-2003 (.xls) or password-protected
  workbook; a ZIP that is not a workbook; a workbook with a .csv name; text with an .xlsx name;
- UTF-16 ("Unicode Text"), with or without its byte-order mark; other binary content;
- CSV whose columns are separated by semicolons or tabs (how to save it as CSV is said).

**Encoding** (CSV), decided per file: valid UTF-8 (with or without the BOM Excel writes for
"CSV UTF-8") is UTF-8. Otherwise, if the file holds no valid multi-byte UTF-8 sequence at all,
it is Windows-1252 throughout (Excel's plain "CSV (Comma delimited)" on Windows), and
`Table.encoding` says so. Otherwise the file is mostly UTF-8 with a few stray bytes (two files
pasted together, one cell typed in another program): it is refused, naming each row, column
and byte, because reading it either way would garble some cells without saying which.

**XLSX** is read with openpyxl in read-only mode and never evaluated: the unpacked size, the
rows and the columns are bounded (`MAX_XLSX_*`: a small upload can unpack to gigabytes or claim
a sixteen-thousand-column sheet), and a cell holding a formula is refused with its address
(the value shown in Excel is not in the file's formula cell, and a formula is not a figure
the other side can check). `sheet_names` lists the sheets; `read_table(..., sheet=NAME)` picks
one by name (exact, else ignoring case and surrounding space), `read_sheets` several.

Everything wrong is an `UploadError` (an `InputError`), each problem with its row, column and
sheet; cell-level problems (formulas, stray bytes) are all collected before it is raised.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from etl import defaults
from etl.errors import InputError, Problem, Problems

Cells = list[Any]


class UploadError(InputError):
    """An uploaded file that cannot be read as a table; nothing from it was used."""

    consequence = "nothing from it was read"


@dataclass(frozen=True)
class Table:
    """One table of an upload. `header` is row `header_row` as text; `rows` the rows below
    it, (spreadsheet row, cells), blank rows included (cells `[]`); `above` the rows above the
    header (titles). Cells are text for CSV, and text, numbers, dates, bools or None for XLSX.
    `encoding` is 'utf-8' or 'windows-1252' for CSV, None for XLSX."""

    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, Cells]]
    encoding: str | None
    header_row: int = 1
    above: list[tuple[int, Cells]] = field(default_factory=list)
    # Cell-level problems found while reading (formulas, stray bytes), their column a letter;
    # `cell_problems()` names the columns by this table's header.
    problems: list[Problem] = field(default_factory=list)

    def cell_problems(self) -> list[Problem]:
        """The reading problems, each column named by its header (letter when blank)."""
        out = []
        for p in self.problems:
            name = p.column
            if p.column and re.fullmatch(r"[A-Z]{1,3}", p.column) and self.header_row:
                j = column_index(p.column)
                text = render_cell(self.header[j]) if j < len(self.header) else ""
                name = self.column_name(j) if text and not _STRAY.search(text) else p.column
            out.append(replace(p, column=name))
        return out

    # The header row's cells as in the file, when `header` merges two rows.
    header_cells: Cells | None = None

    def records(self) -> list[tuple[int, Cells]]:
        """Every row of the table, in order, with its spreadsheet row number."""
        cells = self.header_cells if self.header_cells is not None else list(self.header)
        head = [(self.header_row, cells)] if self.header_row else []
        return [*self.above, *head, *self.rows]

    def with_header_at(self, row: int, top: int | None = None) -> Table:
        """The same table read with its header at spreadsheet row `row` (title rows above).
        With `top` (the row above), a two-row header: a cell of `row` names its column, else
        the cell above it ("Class Code" over a blank, a blank over "Step 1")."""
        records = self.records()
        at = next((cells for n, cells in records if n == row), [])
        header = [render_cell(c) for c in at]
        if top is not None:
            over = [render_cell(c) for c in next(c for n, c in records if n == top)]
            width = max(len(over), len(header))
            header = [
                (header[j] if j < len(header) else "") or (over[j] if j < len(over) else "")
                for j in range(width)
            ]
        return replace(
            self,
            header=header,
            rows=[r for r in records if r[0] > row],
            above=[r for r in records if r[0] < row],
            header_row=row,
            header_cells=list(at) if top is not None else None,
        )

    def column_name(self, j: int) -> str:
        """A column as a user would name it: its header text, else its letter."""
        name = self.header[j].strip() if j < len(self.header) else ""
        return " ".join(name.split()) or column_letter(j)

    def lines(self) -> list[str]:
        """The table as text, one line per spreadsheet row from row 1 (line i = row i + 1),
        cells joined by ' | ': what the Sources page shows behind a cited value."""
        records = self.records()
        last = max((n for n, _ in records), default=0)
        out = [""] * last
        for n, cells in records:
            out[n - 1] = render_row(cells)
        return out


# Cells as text -----------------------------------------------------------------------------------


def column_letter(j: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letter: str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    j = 0
    for ch in letter:
        j = j * 26 + ord(ch) - 64
    return j - 1


def render_cell(value: Any) -> str:
    """A cell as the Sources page shows it: numbers without a trailing '.0', dates as
    YYYY-MM-DD, line breaks as spaces, blanks as '', and a byte that did not decode as
    \\xE9 (text that can be printed and stored; such a file is refused anyway)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return _LONE.sub(_escape_lone, text) if _LONE.search(text) else text


_LONE = re.compile("[\ud800-\udfff]")


def _escape_lone(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def render_row(cells: Cells) -> str:
    texts = [render_cell(c) for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return " | ".join(texts)


# Kinds of file -----------------------------------------------------------------------------------

_SAVE_AS = "save it from Excel as 'CSV UTF-8 (Comma delimited)' or as 'Excel Workbook (.xlsx)'"
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or an encrypted OOXML workbook
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BINARY = f"this is not a text CSV file (binary content); {_SAVE_AS}"
_UTF16 = "the file is UTF-16 ('Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)' instead"


def _refuse(file_name: str, message: str, row: int | None = None) -> UploadError:
    return UploadError(file_name, [Problem(row, None, message)])


def file_kind(data: bytes, file_name: str) -> str:
    """'csv' or 'xlsx' for a file that can be read as one; UploadError saying what it is
    otherwise (too large, empty, an image, UTF-16, a workbook with a .csv name...)."""
    too_large = defaults.upload_too_large(len(data), defaults.MAX_UPLOAD_BYTES)
    if too_large:
        raise _refuse(file_name, too_large)
    if not data.strip():
        raise _refuse(file_name, "the file is empty")
    suffix = PurePath(file_name).suffix.lower()
    refused = _binary_kind(data, suffix)
    if refused:
        raise _refuse(file_name, refused)
    if data.startswith(_ZIP):
        return "xlsx"
    refused = _text_kind(data, suffix)
    if refused:
        raise _refuse(file_name, refused)
    return "csv"


def _binary_kind(data: bytes, suffix: str) -> str | None:
    """Why a file that is not text cannot be read as a table (None: it may be one)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return (
                f"this is {what}, not a table; upload the table as CSV or XLSX (a picture or "
                "PDF of a table has to be typed or converted into a spreadsheet first)"
            )
    if data.startswith(_OLE):
        return (
            "this is an Excel 97-2003 workbook (.xls) or a password-protected workbook; remove "
            "the password, then save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
        )
    if data.startswith(_ZIP) and suffix == ".csv":
        return (
            "this is an Excel workbook saved with a .csv name; rename it to .xlsx, or open "
            "it in Excel and save it as 'CSV UTF-8 (Comma delimited)'"
        )
    return None


def _text_kind(data: bytes, suffix: str) -> str | None:
    """Why a file that is not a workbook cannot be read as CSV text (None: it can)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        return _UTF16
    if b"\x00" in data[:20000]:
        return _BINARY
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return (
            "this is a web page or XML file (what 'Save as Web Page' or some HR systems write "
            "under an .xls name), not a table; open it in Excel and save it as 'CSV UTF-8' or "
            "'Excel Workbook (.xlsx)'"
        )
    if suffix in _XLSX_SUFFIXES:
        return (
            f"the file is named {suffix} but holds text, not a workbook (a CSV file renamed?); "
            "rename it to .csv, or open it in Excel and save it as 'Excel Workbook (.xlsx)'"
        )
    return None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without its byte-order mark: ASCII text with a NUL beside every character."""
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0), odd.count(0)) > 0.4 * len(sample) / 2


# CSV ---------------------------------------------------------------------------------------------

# A valid multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, up to U+10FFFF).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_STRAY = re.compile("[\udc80-\udcff]")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) by the policy in the module docstring. Bytes that do not decode are
    kept as lone surrogates U+DC80..U+DCFF (Python's 'surrogateescape'), for `stray_bytes`
    to report by row and column; the text is otherwise the file's."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTI.search(body):
        return body.decode("utf-8", errors="surrogateescape"), "utf-8"
    return body.decode("windows-1252", errors="surrogateescape"), "windows-1252"


def stray_bytes(text: str) -> list[int]:
    """The undecodable bytes `decode` kept, in order."""
    return [ord(ch) - 0xDC00 for ch in _STRAY.findall(text)]


def _stray_message(byte_values: list[int], encoding: str) -> str:
    shown = ", ".join(f"0x{b:02X}" for b in dict.fromkeys(byte_values))
    bytes_word = "byte" if len(set(byte_values)) == 1 else "bytes"
    if encoding == "utf-8":
        return (
            f"{bytes_word} {shown} {'is' if bytes_word == 'byte' else 'are'} not UTF-8; the rest "
            "of the file is UTF-8 — save it as 'CSV UTF-8 (Comma delimited)' and upload it again"
        )
    return (
        f"{bytes_word} {shown} {'is' if bytes_word == 'byte' else 'are'} neither UTF-8 nor "
        "Windows-1252 text; save the file as 'CSV UTF-8 (Comma delimited)'"
    )


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def check_delimiter(text: str, file_name: str) -> None:
    """Refuse a file whose columns are separated by semicolons or tabs (a European-locale
    Excel's "CSV", or "Text (Tab delimited)"): judged on its first 20 non-blank lines, outside
    quotes, so a title row or a quoted "$1,234" does not decide it."""
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()][:20]
    counts = {sep: 0 for sep in (",", ";", "\t")}
    for ln in lines:
        bare = _outside_quotes(ln)
        for sep in counts:
            counts[sep] += bare.count(sep)
    other = max((";", "\t"), key=lambda s: counts[s])
    if counts[other] > counts[","]:
        what = "semicolons (;)" if other == ";" else "tabs"
        raise _refuse(
            file_name,
            f"the columns are separated by {what}, not commas; in Excel use File > Save As > "
            "'CSV UTF-8 (Comma delimited)' (or change the list separator to a comma)",
            row=1,
        )


def decode_csv(data: bytes, file_name: str) -> tuple[str, str]:
    """A CSV upload's text and encoding, after the kind, binary and delimiter checks (stray
    bytes are left in the text as surrogates; `read_table` reports them by cell)."""
    text, encoding = decode(data)
    sample = text[:20000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) / 100:
        raise _refuse(file_name, _BINARY)
    check_delimiter(text, file_name)
    return text, encoding


def _csv_records(text: str, file_name: str) -> list[Cells]:
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise _refuse(file_name, f"not readable as CSV: {exc}") from None


def _read_csv(data: bytes, file_name: str, header_row: int | None) -> Table:
    text, encoding = decode_csv(data, file_name)
    records = _csv_records(text, file_name)
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    problems = Problems()
    if _STRAY.search(text):
        for n, cells in numbered:
            for j, cell in enumerate(cells):
                found = stray_bytes(cell)
                if found:
                    problems.add(n, column_letter(j), _stray_message(found, encoding))
    return _table(file_name, None, numbered, encoding, header_row, problems.items)


def _table(
    file_name: str,
    sheet: str | None,
    numbered: list[tuple[int, Cells]],
    encoding: str | None,
    header_row: int | None,
    problems: list[Problem],
) -> Table:
    table = Table(file_name, sheet, [], numbered, encoding, header_row=0, problems=problems)
    return table.with_header_at(header_row) if header_row else table


# XLSX --------------------------------------------------------------------------------------------


def _check_zip(data: bytes, file_name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as exc:
        raise _refuse(
            file_name, f"the workbook is damaged or incomplete ({exc}); save it again from Excel"
        ) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and not any(n.startswith("xl/") for n in names):
        raise _refuse(file_name, f"this is a ZIP archive, not an Excel workbook; {_SAVE_AS}")
    unpacked = sum(i.file_size for i in infos)
    limit = defaults.MAX_XLSX_UNPACKED_BYTES
    if unpacked > limit:
        raise _refuse(
            file_name,
            f"the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than "
            f"{limit // 1024 // 1024} MB; save the sheet you need alone, as CSV",
        )


def _open_workbook(data: bytes, file_name: str):
    import openpyxl

    _check_zip(data, file_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # data validation, unknown extensions...
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or non-XLSX file: openpyxl raises many kinds
        raise _refuse(
            file_name,
            f"cannot read the file as a workbook ({type(exc).__name__}: {exc}); "
            "save it from Excel as 'Excel Workbook (.xlsx)' or as CSV",
        ) from None


def sheet_names(data: bytes, file_name: str) -> list[str]:
    """The worksheets of a workbook, in order (chart sheets left out); [] for a CSV."""
    if file_kind(data, file_name) != "xlsx":
        return []
    wb = _open_workbook(data, file_name)
    try:
        return [ws.title for ws in wb.worksheets]
    finally:
        wb.close()


def pick_sheet(names: list[str], wanted: str) -> str | None:
    """The sheet a typed name denotes: exact, else the one equal ignoring case and space."""
    if wanted in names:
        return wanted
    folded = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
    return folded[0] if len(folded) == 1 else None


def _formula_text(cell) -> str | None:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    v = cell.value
    if isinstance(v, ArrayFormula | DataTableFormula):
        return str(getattr(v, "text", None) or v)
    if getattr(cell, "data_type", None) == "f":
        return str(v)
    return None


def _sheet_records(ws, file_name: str, problems: Problems) -> list[tuple[int, Cells]]:
    """(row, values) of every row, formulas reported (their cells read as None)."""
    ws.reset_dimensions()  # the stated size is not trusted: rows are read as stored
    records: list[tuple[int, Cells]] = []
    max_rows, max_cols = defaults.MAX_XLSX_ROWS, defaults.MAX_XLSX_COLUMNS
    for r, cells in enumerate(ws.iter_rows(), start=1):
        if r > max_rows:
            raise UploadError(
                file_name,
                [Problem(None, None, f"the sheet has more than {max_rows:,} rows", ws.title)],
            )
        if len(cells) > max_cols:
            raise UploadError(
                file_name,
                [
                    Problem(
                        r,
                        None,
                        f"the row has cells beyond column {column_letter(max_cols - 1)} (more "
                        f"than {max_cols} columns); delete the unused columns",
                        ws.title,
                    )
                ],
            )
        values: Cells = []
        for j, cell in enumerate(cells):
            formula = _formula_text(cell)
            if formula is not None:
                problems.add(
                    r,
                    column_letter(j),
                    f"cell {column_letter(j)}{r} holds a formula ({formula[:40]}); the file must "
                    "hold values: copy the cells and paste them as values",
                    ws.title,
                )
                values.append(None)
            else:
                values.append(cell.value)
        while values and values[-1] is None:
            values.pop()
        records.append((r, values))
    return records


def _read_xlsx(
    data: bytes, file_name: str, sheets: list[str] | None, header_row: int | None
) -> list[Table]:
    wb = _open_workbook(data, file_name)
    try:
        names = [ws.title for ws in wb.worksheets]
        if not names:
            raise _refuse(file_name, "the workbook has no worksheets")
        chosen, missing = [], []
        for wanted in sheets if sheets else names[:1]:
            got = pick_sheet(names, wanted)
            (chosen.append(got) if got else missing.append(wanted))
        if missing:
            raise _refuse(
                file_name,
                f"no sheet named {', '.join(map(repr, missing))}; the workbook has "
                f"{', '.join(map(repr, names))}",
            )
        tables = []
        for name in dict.fromkeys(chosen):
            problems = Problems()
            records = _sheet_records(wb[name], file_name, problems)
            tables.append(_table(file_name, name, records, None, header_row, problems.items))
    finally:
        wb.close()
    return tables


# The reader --------------------------------------------------------------------------------------


def read_sheets(
    data: bytes,
    file_name: str,
    sheets: list[str] | None = None,
    header_row: int | None = 1,
    strict: bool = True,
) -> list[Table]:
    """The named sheets of a workbook (the first when `sheets` is None or empty), or the one
    table of a CSV. `header_row=None` reads every row into `rows` (header left empty), for a
    caller that finds the header itself. Cell-level problems (formulas, stray bytes) raise
    UploadError, all of them, unless `strict=False`: then they are left in `Table.problems`
    for the caller to report with its own."""
    kind = file_kind(data, file_name)
    if kind == "csv":
        if sheets:
            raise _refuse(
                file_name, f"a CSV file has no sheets (asked for {', '.join(map(repr, sheets))})"
            )
        tables = [_read_csv(data, file_name, header_row)]
    else:
        tables = _read_xlsx(data, file_name, sheets, header_row)
    if strict:
        problems = Problems(p for t in tables for p in t.cell_problems())
        problems.raise_if_any(UploadError, file_name)
    return tables


def read_table(
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    header_row: int | None = 1,
    strict: bool = True,
) -> Table:
    """One table: the CSV, or one sheet of a workbook (the first when `sheet` is None)."""
    return read_sheets(data, file_name, [sheet] if sheet else None, header_row, strict)[0]
