"""An uploaded table as read: its rows with their spreadsheet numbers, cells as text, and
the error every reader raises (etl/uploads/reader.py is the reader)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from etl.errors import InputError, Problem

# Lone surrogates that stand for bytes that were not UTF-8 (surrogateescape decoding).
STRAY = re.compile("[\udc80-\udcff]")
Cells = list[Any]


class UploadError(InputError):
    """An uploaded file that cannot be read as a table; nothing from it was used."""

    consequence = "nothing from it was read"


@dataclass(frozen=True)
class Table:
    """One table of an upload. `header` is row `header_row` as text; `rows` the rows below
    it, (spreadsheet row, cells), blank rows included (cells `[]`); `above` the rows above the
    header (titles). Cells are text for CSV, and text, numbers, dates, bools or None for XLSX.
    `encoding` is 'utf-8', 'windows-1252' or 'utf-8 + windows-1252' for CSV (the line rule of
    etl/uploads/decoding.py; `cp1252_rows` the rows read as Windows-1252), None for XLSX."""

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
                name = self.column_name(j) if text and not STRAY.search(text) else p.column
            out.append(replace(p, column=name))
        return out

    # The header row's cells as in the file, when `header` merges two rows.
    header_cells: Cells | None = None
    # A PDF: each running line's (page, row on the page), and the text of every line as the
    # Sources page shows it (lines[i] is running line i + 1).
    places: dict[int, tuple[int, int]] | None = None
    text_lines: list[str] | None = None

    def place(self, row: int | None) -> tuple[int | None, int | None]:
        """(page, row on the page) of a PDF's running line; (None, row) for a spreadsheet."""
        if row is not None and self.places and row in self.places:
            return self.places[row]
        return None, row

    # CSV: the spreadsheet rows decoded as Windows-1252 (etl/uploads/decoding.py).
    cp1252_rows: tuple[int, ...] = ()

    def encoding_note(self) -> str | None:
        """The encoding in words for an import summary; None for XLSX."""
        if self.encoding is None:
            return None
        if self.encoding == "utf-8":
            return "UTF-8"
        if self.encoding == "windows-1252":
            return "Windows-1252 (the file holds no UTF-8 characters)"
        rows = ", ".join(map(str, self.cp1252_rows[:10]))
        more = f" and {len(self.cp1252_rows) - 10} more" if len(self.cp1252_rows) > 10 else ""
        n = len(self.cp1252_rows)
        return f"UTF-8, but {n} row(s) read as Windows-1252: row(s) {rows}{more}"

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
        if self.text_lines is not None:
            return list(self.text_lines)
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


def refuse(file_name: str, message: str, row: int | None = None) -> UploadError:
    return UploadError(file_name, [Problem(row, None, message)])


def make_table(
    file_name: str,
    sheet: str | None,
    numbered: list[tuple[int, Cells]],
    encoding: str | None,
    header_row: int | None,
    problems: list[Problem],
    cp1252_rows: tuple[int, ...] = (),
) -> Table:
    table = Table(
        file_name,
        sheet,
        [],
        numbered,
        encoding,
        header_row=0,
        problems=problems,
        cp1252_rows=cp1252_rows,
    )
    return table.with_header_at(header_row) if header_row else table


def exact_header(header: list, columns: list[str], what: str, problems) -> list[str]:
    """A header that must hold exactly `columns` (any order, any case): the header lowercased,
    with a row-1 problem each for missing, unexpected and repeated columns (`what` names the
    file kind in the message: "a rate file", "the template")."""
    got = [str(h).strip().lower() for h in header]
    missing = [c for c in columns if c not in got]
    extra = [h or "(blank)" for h in got if h not in columns]
    repeated = sorted({h for h in got if h and got.count(h) > 1})
    if missing:
        problems.add(1, None, f"missing column(s): {', '.join(missing)}")
    if extra:
        problems.add(
            1,
            None,
            f"unexpected column(s): {', '.join(extra)}; {what} has exactly {', '.join(columns)}",
        )
    if repeated:
        problems.add(1, None, f"column(s) named twice: {', '.join(repeated)}")
    return got
