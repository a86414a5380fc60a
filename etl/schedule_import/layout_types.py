"""The layout of one table: its columns and what each is used for (etl/schedule_import/layout.py
finds it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.errors import Problem
from etl.uploads.reader import Table, column_letter


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # the column's name in citations and messages: its header, else its letter
    field: str  # class_code, class_title, step, grade, unit, row_date, pay, step_column, ignore
    reason: str
    period: str | None = None  # stated by the header
    date: date | None = None  # pay@DATE, or the date the header states
    step: str | None = None  # step columns

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def mapped(self) -> bool:
        """Named by the user (FIELD=HEADER), not proposed by the reader."""
        return self.reason.startswith("mapped")


@dataclass(eq=False)  # compared by identity: two sheets may read alike
class Layout:
    table: Table
    role: str = "unknown"  # schedule | grades | classes | unknown
    shape: str | None = None  # long | wide
    fields: dict[str, Column] = field(default_factory=dict)
    pays: list[Column] = field(default_factory=list)  # long: the pay columns read
    checks: list[Column] = field(default_factory=list)  # long: same pay in other periods
    steps: list[Column] = field(default_factory=list)  # wide: the step columns read
    step_candidates: list[Column] = field(default_factory=list)
    ignored: list[Column] = field(default_factory=list)  # not read, each with its reason
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Read with other sheets: the unit or the date the sheet's name gives it.
    context_unit: str | None = None
    context_date: tuple[date, str] | None = None  # (date, the words that say it)
    # Dated by a date column (etl/schedule_import/sections.py): the rows read at each date.
    row_dates: dict[date, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        t = self.table
        return f"{t.file}, sheet {t.sheet!r}" if t.sheet else t.file

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        page, at = self.table.place(row)
        self.problems.append(
            Problem(at, column, message, self.table.sheet, self.table.file, page=page)
        )

    def place(self, row: int) -> str:
        """'row 14', or 'p. 3, row 14' in a PDF."""
        page, at = self.table.place(row)
        return f"p. {page}, row {at}" if page is not None else f"row {at}"

    @property
    def columns(self) -> list[Column]:
        return [*self.fields.values(), *self.pays, *self.steps]
