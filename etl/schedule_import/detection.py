"""What the reader saw, for a person to check before anything is stored: `Detection` (the
shape, each table's header row and the column each field was read from and why, the pay
period, the sheets, the first rows as read, notes and problems) and `Summary` (classes,
steps, dates, pay range) of a read that succeeded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.errors import Problem
from etl.schedule_import.layout import Layout, describe
from etl.uploads.reader import render_cell

PREVIEW_ROWS = 5
SHAPES = {
    "long": "long: one row per class and step",
    "wide": "wide: one row per class, one column per step",
    "grades+classes": "a grade chart (pay by grade and step) with a class list (class -> grade)",
}


@dataclass(frozen=True)
class ColumnUse:
    field: str  # class_code | class_title | step | grade | pay | pay@YYYY-MM-DD | step N
    column: str  # the header, or the letter of a column without one
    letter: str
    reason: str
    period: str | None = None


@dataclass(frozen=True)
class TableUse:
    file: str
    sheet: str | None
    reads_as: str  # in words
    role: str  # schedule | grades | classes | unknown
    used: bool
    header_row: int | None
    columns: tuple[ColumnUse, ...]
    first_rows: tuple[tuple[int, tuple[str, ...]], ...]  # the header and the rows below it
    encoding: str | None = None  # CSV: utf-8 | windows-1252 | utf-8 + windows-1252
    encoding_note: str | None = None  # CSV: the encoding in words, rows read as Windows-1252

    @property
    def name(self) -> str:
        return f"{self.file}, sheet {self.sheet!r}" if self.sheet else self.file


@dataclass
class Detection:
    shape: str | None  # long | wide | grades+classes (None: not determined)
    tables: list[TableUse] = field(default_factory=list)
    sheets: dict[str, list[str]] = field(default_factory=dict)  # workbook -> its sheets
    periods: list[str] = field(default_factory=list)  # pay periods of the columns read
    dates: list[date] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    total_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The detection as text (the CLI prints it; the app may show it as is)."""
        out = [f"Shape: {SHAPES.get(self.shape or '', 'not recognized')}"]
        for name, sheets in self.sheets.items():
            out.append(f"Sheets of {name}: {', '.join(map(repr, sheets))}")
        for t in self.tables:
            state = "read" if t.used else "not read"
            head = f"row {t.header_row}" if t.header_row else "not found"
            out.append(f"{t.name}: {t.reads_as} ({state}; header {head})")
            if t.encoding_note:
                out.append(f"  encoding: {t.encoding_note}")
            for c in t.columns:
                per = f", {c.period}" if c.period else ""
                out.append(f"  {c.field:<16} <- {c.column!r} (column {c.letter}{per}): {c.reason}")
            if t.used and t.first_rows:
                out.append("  first rows as read:")
                out.extend(f"    {n:>4} | {' | '.join(cells)}" for n, cells in t.first_rows)
        if self.periods:
            out.append(f"Pay period: {', '.join(self.periods)}")
        if self.dates:
            out.append(f"Effective: {', '.join(d.isoformat() for d in self.dates)}")
        if self.steps:
            out.append(f"Steps: {', '.join(self.steps)}")
        out.extend(f"Note: {n}" for n in self.notes)
        return out


def table_use(lay: Layout, used: bool) -> TableUse:
    cols = []
    for c in lay.columns:
        if c.field == "step_column":
            label = f"step {c.step}"
        elif c.field == "pay" and c.date:
            label = f"pay@{c.date.isoformat()}"
        else:
            label = c.field
        cols.append(ColumnUse(label, c.header, c.letter, c.reason, c.period))
    for c in lay.checks:
        cols.append(
            ColumnUse(
                "check",
                c.header,
                c.letter,
                "the same pay in another period, checked against the column read",
                c.period,
            )
        )
    t = lay.table
    rows: list[tuple[int, tuple[str, ...]]] = []
    if lay.role != "unknown" or t.header:
        rows.append((t.header_row, tuple(t.header)))
        data = [(n, c) for n, c in t.rows if any(render_cell(x) for x in c)][:PREVIEW_ROWS]
        rows.extend((n, tuple(render_cell(x) for x in c)) for n, c in data)
    return TableUse(
        t.file,
        t.sheet,
        describe(lay),
        lay.role,
        used,
        t.header_row or None,
        tuple(cols),
        tuple(rows),
        t.encoding,
        t.encoding_note(),
    )


@dataclass(frozen=True)
class Summary:
    classes: int
    rates: int
    steps: tuple[str, ...]
    dates: tuple[date, ...]
    hourly_min: float | None
    hourly_max: float | None
    derived_codes: int

    def lines(self) -> list[str]:
        if self.hourly_min is None:
            pay_range = "no pay"
        else:
            pay_range = f"${self.hourly_min:,.2f} to ${self.hourly_max:,.2f} an hour"
        out = [
            f"Classes: {self.classes:,}; rates: {self.rates:,}",
            f"Steps: {', '.join(self.steps)}",
            f"Dates: {', '.join(d.isoformat() for d in self.dates)}",
            f"Pay: {pay_range}",
        ]
        if self.derived_codes:
            out.append(
                f"Class codes: {self.derived_codes:,} derived from the titles (the file has no "
                "code column)"
            )
        return out
