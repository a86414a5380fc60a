"""Rows of a laid-out table -> the cells of pay and the classes they belong to.

Rows that are not data are skipped and said so: blank rows, the header repeated (a table
printed over several pages), and note or heading rows (one cell of text, no pay: "CLERICAL
SERIES", "* Y-rated", "Source: Human Resources"). Pay cells that are blank, 0, "N/A", "-" or
"—" mean the class has no such step; "$" and thousands commas are read, and footnote markers
after a number ("23.45*", "23.45 (1)") are dropped. In a long table a blank class code and
title below a class's first row (a merged cell, or a printed table that names the class once)
is that class; in a class list, a row with a code but no title or grade is a class without
pay (Mendocino's Attachment C has such rows).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from etl import cells, pay
from etl.errors import Problem
from etl.schedule_import import headers
from etl.schedule_import.layout import Column, Layout
from etl.schedule_import.options import Options
from etl.uploads.reader import render_cell

_NA = frozenset({"n/a", "na", "n.a.", "-", "--", "—", "–", "none", "nil"})
_CODE_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#-]*(?: [A-Za-z0-9._/#-]+)?$")
MAX_CODE = 20
DERIVED_CODE_CHARS = 40


@dataclass(frozen=True)
class Where:
    file: str
    sheet: str | None
    row: int  # the table's running row: the spreadsheet row, or a PDF's line of text
    column: str | None
    page: int | None = None  # a PDF: the page, and the row (line of text) on it
    page_row: int | None = None

    @property
    def place(self) -> str:
        """'row 14', or 'p. 3, row 14' in a PDF."""
        return f"p. {self.page}, row {self.page_row}" if self.page else f"row {self.row}"

    def problem(self, message: str) -> Problem:
        row = self.page_row if self.page else self.row
        return Problem(row, self.column, message, self.sheet, self.file, page=self.page)


# (unit, class code as printed or None, class title as printed or None): which class a row
# names, before etl/schedule_import/classes.py decides the class code it is stored under.
Ident = tuple[str | None, str | None, str | None]


@dataclass(frozen=True)
class PayCell:
    key: str  # the class code (schedule) or the grade (grade chart)
    step: str
    date: date
    amount: float  # as printed
    period: str
    where: Where
    unit: str | None = None
    ident: Ident | None = None


@dataclass(frozen=True)
class ClassRow:
    code: str
    title: str | None
    grade: str | None
    where: Where
    derived_code: bool = False
    unit: str | None = None
    ident: Ident | None = None


@dataclass
class Extracted:
    classes: list[ClassRow] = field(default_factory=list)
    cells: list[PayCell] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    filled: list[tuple[int, int]] = field(default_factory=list)  # (row, row the class is from)
    no_step: int = 0  # blank / 0 / N/A pay cells


def pay_amount(value: Any) -> float | None:
    """A pay cell: None when the class has no such step (blank, 0, N/A); CellError when it
    is not an amount."""
    if cells.is_blank(value):
        return None
    if isinstance(value, str):
        s = headers._FOOTNOTE.sub("", value.strip()).strip()
        if not s or s.casefold() in _NA:
            return None
        value = s
    x = cells.money(value)
    if x == 0:
        return None
    if x < 0:
        raise cells.CellError(f"{cells.shown(value)} is negative")
    return x


def derive_code(title: str) -> str:
    """A stable class code from a title: the same title (ignoring case, spacing and
    punctuation) always gives the same code ('Account Clerk II' -> 'ACCOUNT-CLERK-II')."""
    base = re.sub(r"[^A-Z0-9]+", "-", title.upper()).strip("-")
    digest = hashlib.sha1(base.encode() or title.encode()).hexdigest()
    if not base:
        return "T-" + digest[:8]
    if len(base) > DERIVED_CODE_CHARS:
        return base[: DERIVED_CODE_CHARS - 7].rstrip("-") + "-" + digest[:6]
    return base


def looks_like_code(text: str) -> bool:
    return len(text) <= MAX_CODE and bool(_CODE_TEXT.match(text))


class _Rows:
    """Reads one table's rows, collecting problems on the layout."""

    def __init__(self, lay: Layout, options: Options):
        self.lay, self.options = lay, options
        self.t = lay.table
        self.out = Extracted()
        self.seen: set[str] = set()  # class keys already in out.classes
        self.header_names = [headers.normalize(h) for h in self.t.header]
        self.header_filled = [x for x in self.header_names if x]

    def where(self, row: int, col: Column | None) -> Where:
        page, at = self.t.place(row)
        column = col.header if col else None
        return Where(self.t.file, self.t.sheet, row, column, page, at if page else None)

    def cell(self, cells_: list[Any], col: Column | None) -> Any:
        if col is None or col.index >= len(cells_):
            return None
        return cells_[col.index]

    def text(self, n: int, cells_: list[Any], name: str) -> str | None:
        col = self.lay.fields.get(name)
        try:
            return cells.text(self.cell(cells_, col)) or None
        except cells.CellError as exc:
            self.lay.problem(n, col.header if col else None, str(exc))
            return None

    def amount(self, n: int, cells_: list[Any], col: Column) -> float | None:
        try:
            x = pay_amount(self.cell(cells_, col))
        except cells.CellError as exc:
            self.lay.problem(n, col.header, str(exc))
            return None
        if x is None:
            self.out.no_step += 1
        return x

    def skip_row(self, n: int, cells_: list[Any]) -> str | None:
        """Why a row is not data (None when it may be)."""
        filled = [c for c in cells_ if not cells.is_blank(c)]
        if not filled:
            return "blank"
        if len(filled) >= min(2, len(self.header_filled)) and all(
            isinstance(c, str) for c in filled
        ):
            names = self.header_names
            if all(
                j < len(names) and headers.normalize(c) == names[j]
                for j, c in enumerate(cells_)
                if not cells.is_blank(c)
            ):
                return "the header repeated"
        return None

    def note_row(self, n: int, cells_: list[Any]) -> bool:
        filled = [c for c in cells_ if not cells.is_blank(c)]
        if len(filled) <= 1:
            self.out.skipped.append((n, "a note or heading (one cell, no pay)"))
            return True
        return False

    def stray(self, n: int, cells_: list[Any]) -> None:
        """A value beyond the header (an unquoted comma, or a column with no name)."""
        width = len(self.t.header)
        for j in range(width, len(cells_)):
            if not cells.is_blank(cells_[j]):
                self.lay.problem(
                    n,
                    self.t.column_name(j),
                    f"a value ({cells.shown(cells_[j])}) in a column with no header (an "
                    "unquoted comma in a cell?)",
                )
                return


def periods(lay: Layout, options: Options) -> dict[int, str]:
    """The pay period of each pay column (long) or of the step columns (wide), by column."""
    out: dict[int, str] = {}
    cols = lay.pays + lay.checks if lay.shape == "long" else lay.steps
    for col in cols:
        stated = col.period or (headers.period_of(col.header) if lay.shape == "wide" else None)
        if stated and options.period and stated != options.period and col not in lay.checks:
            lay.problem(
                lay.table.header_row,
                col.header,
                f"the header says {stated} but the pay period given is {options.period}; "
                "leave the period out, or correct it",
            )
        period = stated or options.period
        if period is None:
            lay.problem(
                lay.table.header_row,
                col.header,
                "the header does not say the pay period: give it (hourly, biweekly, monthly "
                f"or annual){_title_hint(lay, _period_hint)}",
            )
            return {}
        out[col.index] = period
    return out


def _period_hint(text: str) -> bool:
    return headers.period_of(text) is not None


def _date_hint(text: str) -> bool:
    return bool(re.search(r"\beffective\b|\b[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\b", text, re.I))


def _title_hint(lay: Layout, says) -> str:
    """What a title row above the header says about it (never taken as given: a title's
    "Annual Salary Schedule" may name the publication, not the period of its cells)."""
    for n, cells_ in lay.table.above:
        text = " ".join(t for t in (render_cell(c) for c in cells_) if t)
        if text and says(text):
            shown = text if len(text) <= 80 else text[:79] + "…"
            return f" ({lay.place(n)} above the header says {shown!r})"
    return ""


def date_hint(lay: Layout) -> str:
    """What a title row above the header says of a date (when it names none exactly)."""
    return _title_hint(lay, _date_hint)


def check_other_periods(
    r: _Rows, n: int, cells_: list[Any], main: Column, amount: float, per: dict[int, str]
) -> None:
    """The same pay shown in another period must agree with the column read, to rounding."""
    for col in r.lay.checks:
        other = r.amount(n, cells_, col)
        if other is None:
            continue
        f = pay.factor(per[main.index], per[col.index])
        expected = amount * f
        rounding = 0.5 if other.is_integer() and other >= 1000 else 0.005
        if abs(other - expected) > 0.005 * f + rounding + 1e-6:
            r.lay.problem(
                n,
                col.header,
                f"{other:,.2f} does not match {main.header!r} {amount:,.2f} "
                f"({per[main.index]}) = {expected:,.2f} {per[col.index]}; the columns "
                "disagree: map the one to read with pay=HEADER",
            )
