"""The one reader of uploaded tables (CSV and XLSX): what every upload goes through before its
rows are interpreted.

`read_table(data, file_name)` returns a `Table`: the header row, the rows below it with their
spreadsheet row numbers (the header is row 1; a quoted CSV cell spanning several lines is one
row, as a spreadsheet shows it), the sheet and, for CSV, the encoding it was read in. Before any
row is read the file is held to the settings' limits and its kind is checked, each failure with
one message saying what the file is and how to save it instead:

- over `MAX_UPLOAD_BYTES`; empty;
- a PNG, JPEG, GIF, TIFF or PDF (a PDF is read only where a caller asks: the salary-table reader,
  by etl/uploads/pdf/pages.py); a web page (HTML); an Excel 97-2003 (.xls) or password-protected
  workbook; a ZIP that is not a workbook; a workbook with a .csv name; text with an .xlsx name;
- UTF-16 ("Unicode Text"), with or without its byte-order mark; other binary content;
- CSV whose columns are separated by semicolons or tabs (how to save it as CSV is said).

**Encoding** (CSV), decided line by line by the one decoder (etl/uploads/decoding.py): a line
that is valid UTF-8 (the file with or without the BOM Excel writes for "CSV UTF-8") is UTF-8;
a line that is not and holds no multi-byte UTF-8 sequence is Windows-1252 (Excel's plain "CSV
(Comma delimited)" on Windows, or a row pasted from such a file). `Table.encoding` says
'utf-8', 'windows-1252' or 'utf-8 + windows-1252', `Table.cp1252_rows` which rows were read as
Windows-1252 and `Table.encoding_note()` says it in words for the import summary. A line that
mixes both (bytes that are not UTF-8 beside UTF-8 characters) cannot be read either way without
garbling part of it: it is refused, naming its row, column and bytes, as are the five bytes
Windows-1252 leaves undefined.

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

from etl.errors import Problems
from etl.uploads.csv_file import check_delimiter, decode, decode_csv, read_csv, stray_bytes  # noqa: F401
from etl.uploads.kinds import file_kind
from etl.uploads.table import (  # noqa: F401  (callers import them from here)
    Cells,
    Table,
    UploadError,
    column_index,
    column_letter,
    refuse,
    render_cell,
    render_row,
)
from etl.uploads.xlsx_file import pick_sheet, read_xlsx, sheet_names  # noqa: F401

# The reader --------------------------------------------------------------------------------------


def read_sheets(
    data: bytes,
    file_name: str,
    sheets: list[str] | None = None,
    header_row: int | None = 1,
    strict: bool = True,
    pdf: frozenset[str] | None = None,
) -> list[Table]:
    """The named sheets of a workbook (the first when `sheets` is None or empty), or the one
    table of a CSV. `header_row=None` reads every row into `rows` (header left empty), for a
    caller that finds the header itself. Cell-level problems (formulas, stray bytes) raise
    UploadError, all of them, unless `strict=False`: then they are left in `Table.problems`
    for the caller to report with its own. With `pdf` (the headers the caller knows, as
    etl/schedule_import/headers normalizes them) a PDF is read too (etl/uploads/pdf/pages.py), its
    header found by the caller's rules, always with `header_row=None`."""
    kind = file_kind(data, file_name, pdf=pdf is not None)
    if kind == "pdf":
        from etl.uploads.pdf.pages import read_pdf

        if sheets:
            raise refuse(file_name, "a PDF has no sheets (asked for a sheet to read)")
        return read_pdf(data, file_name, pdf or frozenset())
    if kind == "csv":
        if sheets:
            raise refuse(
                file_name, f"a CSV file has no sheets (asked for {', '.join(map(repr, sheets))})"
            )
        tables = [read_csv(data, file_name, header_row)]
    else:
        tables = read_xlsx(data, file_name, sheets, header_row)
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
