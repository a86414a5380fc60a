"""What the reader saw, for a person to check before anything is stored: `Detection` (the
shape, each table's header row and what every column is used for and why, the pay period,
the sheets, the first rows as read, notes and problems) and `Summary` (classes, units, steps,
dates, pay range, reused codes) of a read that succeeded.

Each `ColumnUse` is one column of a table with the use the reader proposes (or the user
mapped): `use` is one of USES, the choices a form offers for a column; `date` is the date of
a pay column when its header or a mapping gives one; `mapped` says the user named it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from etl.errors import Problem
from etl.schedule_import.layout import Layout, describe
from etl.uploads.reader import render_cell

PREVIEW_ROWS = 5
# What a column can be used for (a dropdown per column); "step" is the long table's step
# column, "step_column" one of a wide table's columns per step (its step in ColumnUse.step),
# "row_date" a column of the date each row's pay took effect ("Effective Date").
USES = (
    "class_code",
    "class_title",
    "step",
    "grade",
    "unit",
    "row_date",
    "pay",
    "step_column",
    "ignore",
)
SHAPES = {
    "long": "long: one row per class and step",
    "wide": "wide: one row per class, one column per step",
    "grades+classes": "a grade chart (pay by grade and step) with a class list (class -> grade)",
}


@dataclass(frozen=True)
class ColumnUse:
    field: str  # class_code | ... | unit | pay | pay@YYYY-MM-DD | step N | check | ignore
    column: str  # the header, or the letter of a column without one
    letter: str
    reason: str
    period: str | None = None
    use: str = "ignore"  # one of USES ("check": pay read to check another, is "ignore")
    date: date | None = None
    step: str | None = None
    mapped: bool = False
    index: int = 0


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
    places: dict[int, tuple[int, int]] | None = None  # a PDF: row -> (page, row on the page)
    unit: str | None = None  # the unit the sheet's name gives it
    sheet_date: date | None = None  # the date the sheet's name gives it

    def lines(self) -> list[str]:
        """What the reader saw in this table, as text."""
        state = "read" if self.used else "not read"
        head = self.place(self.header_row) if self.header_row else "not found"
        out = [f"{self.name}: {self.reads_as} ({state}; header {head})"]
        if self.unit:
            out.append(f"  unit: {self.unit} (the sheet's name)")
        if self.encoding_note:
            out.append(f"  encoding: {self.encoding_note}")
        for c in self.columns:
            per = f", {c.period}" if c.period else ""
            out.append(f"  {c.field:<16} <- {c.column!r} (column {c.letter}{per}): {c.reason}")
        if self.used and self.first_rows:
            out.append("  first rows as read:")
            w = 14 if self.places else 4
            out.extend(
                f"    {(self.place(n) if self.places else str(n)):>{w}} | {' | '.join(cells)}"
                for n, cells in self.first_rows
            )
        return out

    def place(self, row: int | None) -> str:
        """'row 14', or 'p. 3, row 14' for a PDF."""
        if row is not None and self.places and row in self.places:
            page, at = self.places[row]
            return f"p. {page}, row {at}"
        return f"row {row}"

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
    date_rows: dict[date, int] = field(default_factory=dict)  # rows dated by a date column
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
            out.extend(t.lines())
        if self.periods:
            out.append(f"Pay period: {', '.join(self.periods)}")
        if self.dates:
            out.append(f"Effective: {dates_text(self.dates, self.date_rows)}")
        if self.steps:
            out.append(f"Steps: {', '.join(self.steps)}")
        out.extend(f"Note: {n}" for n in self.notes)
        return out


def dates_text(dates, rows: dict[date, int]) -> str:
    """'2024-07-01 (12 rows), 2025-07-01 (12 rows)': the rows of the dates a date column gave."""
    return ", ".join(
        f"{d.isoformat()} ({rows[d]:,} {'row' if rows[d] == 1 else 'rows'})"
        if d in rows
        else d.isoformat()
        for d in dates
    )


def _use(c, label: str, use: str, reason: str | None = None) -> ColumnUse:
    return ColumnUse(
        label,
        c.header,
        c.letter,
        reason or c.reason,
        c.period,
        use,
        c.date,
        c.step,
        c.mapped,
        c.index,
    )


def table_use(lay: Layout, used: bool) -> TableUse:
    cols = []
    for c in lay.columns:
        if c.field == "step_column":
            label = f"step {c.step}"
        elif c.field == "pay" and c.date:
            label = f"pay@{c.date.isoformat()}"
        else:
            label = c.field
        cols.append(_use(c, label, c.field))
    why = "the same pay in another period, checked against the column read"
    cols += [_use(c, "check", "ignore", why) for c in lay.checks]
    listed = {c.index for c in cols}
    for c in lay.ignored:
        if c.index not in listed:  # pay still to be dated stays pay, with no date
            cols.append(
                _use(c, "pay (no date)", "pay") if c.field == "pay" else _use(c, "ignore", "ignore")
            )
    cols.sort(key=lambda c: c.index)
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
        t.places,
        lay.context_unit,
        lay.context_date[0] if lay.context_date else None,
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
    units: tuple[tuple[str, int], ...] = ()  # (unit, classes)
    reused: tuple[tuple[str | None, str, tuple[str, ...]], ...] = ()  # (unit, code, titles)
    by_title: int = 0  # classes without a code, keyed by their title
    date_rows: tuple[tuple[date, int], ...] = ()  # (date, rows) of the rows a date column dated

    def lines(self) -> list[str]:
        if self.hourly_min is None:
            pay_range = "no pay"
        else:
            pay_range = f"${self.hourly_min:,.2f} to ${self.hourly_max:,.2f} an hour"
        out = [
            f"Classes: {self.classes:,}; rates: {self.rates:,}",
            f"Steps: {', '.join(self.steps)}",
            f"Dates: {dates_text(self.dates, dict(self.date_rows))}",
            f"Pay: {pay_range}",
        ]
        if self.units:
            shown = ", ".join(f"{u} ({n:,} classes)" for u, n in self.units)
            out.append(f"Bargaining units: {len(self.units)}: {shown}")
        if self.derived_codes:
            out.append(
                f"Class codes: {self.derived_codes:,} derived from the titles (the file has no "
                "code column)"
            )
        if self.by_title:
            out.append(
                f"Classes without a code: {self.by_title:,}, each keyed by its title within its "
                "unit"
            )
        if self.reused:
            codes = sorted({code for _, code, _ in self.reused})
            shown = ", ".join(codes[:20]) + (
                f" and {len(codes) - 20} more" if len(codes) > 20 else ""
            )
            out.append(
                f"Codes naming two or more titles: {len(codes):,} ({shown}); each title is its "
                "own class, stored as CODE/TITLE"
            )
        return out
