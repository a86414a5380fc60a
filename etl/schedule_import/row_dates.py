"""A column of dates, one per row ("Effective Date"): each row's pay takes the date in its
row's cell (etl/cells.table_date: YYYY-MM-DD, M/D/YYYY, "July 1, 2025", a workbook's date
cell or date serial).

- A blank cell below a dated row is that row's date (a merged cell, or a date printed once
  over its block; the notes list the rows), never across a blank row; a blank cell with no
  date above it is a problem naming its row and column, as is a cell that is not a date.
- A column blank in every row is not read (the notes say so): the table is dated as if it
  had none.
- With the effective date given (--effective): rows that all state it are read; rows that
  state one other date, or several dates, are refused, saying to leave the effective date
  out (or, for one other date, to map ignore=HEADER): the file and the user disagree, and
  which is right cannot be known.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from etl import cells
from etl.schedule_import.assemble import _rows
from etl.schedule_import.layout_types import Column, Layout
from etl.schedule_import.options import Options


class RowDates:
    """The date of each row of a table with a date column (see the module docstring)."""

    def __init__(self, lay: Layout, options: Options, col: Column):
        self.lay, self.options, self.col = lay, options, col
        self.above: date | None = None  # the date of the row above, in this block
        self.quiet = False  # below a bad or missing date (reported once): no more problems
        self.last: tuple[int, date | None] | None = None  # (row, date) of the row last read
        self.carried: list[int] = []  # blank cells that took the date above
        self.serials: list[tuple[int, Any, date]] = []
        self.used = any(
            not cells.is_blank(row[col.index]) for _, row in lay.table.rows if col.index < len(row)
        )
        if not self.used:
            lay.notes.append(
                f"{lay.name}: the date column {col.header!r} is blank in every row: not read"
            )

    def reset(self) -> None:
        """A blank row: a merged date cell does not reach across it."""
        self.above, self.quiet = None, False

    def of(self, n: int, cells_: list[Any]) -> date | None:
        """The date of row `n` (None: a problem says why)."""
        if self.last is None or self.last[0] != n:
            self.last = (n, self._read(n, cells_))
        return self.last[1]

    def _read(self, n: int, cells_: list[Any]) -> date | None:
        col = self.col
        raw = cells_[col.index] if col.index < len(cells_) else None
        if cells.is_blank(raw):
            if self.above is None:
                if not self.quiet:
                    self.quiet = True
                    self.lay.problem(
                        n,
                        col.header,
                        "the date is blank and no row above gives one: write the date this "
                        "row's pay took effect (YYYY-MM-DD or M/D/YYYY)",
                    )
                return None
            self.carried.append(n)
            when = self.above
        else:
            try:
                when, how = cells.table_date(raw, self.options.fiscal_start)
            except cells.CellError as exc:
                self.lay.problem(n, col.header, f"{exc}; the cell dates this row's pay")
                self.above, self.quiet = None, True
                return None
            if how == "serial":
                self.serials.append((n, raw, when))
            self.above, self.quiet = when, False
        self.lay.row_dates[when] = self.lay.row_dates.get(when, 0) + 1
        return when

    def done(self) -> None:
        """The notes of a table read, and the effective date given checked against the rows."""
        lay, col, given = self.lay, self.col, self.options.effective
        found = sorted(lay.row_dates)
        if not found:
            return
        counts = "; ".join(f"{d.isoformat()}: {lay.row_dates[d]:,} rows" for d in found)
        if given is not None and (len(found) > 1 or found[0] != given):
            if len(found) > 1:
                why = (
                    f"the rows state {len(found)} effective dates in the column {col.header!r} "
                    f"({counts}), so one effective date given ({given.isoformat()}) cannot date "
                    f"them: leave the effective date out and each row takes the date in its "
                    f"{col.header!r} cell"
                )
            else:
                n = lay.row_dates[found[0]]
                why = (
                    f"every row's {col.header!r} cell ({n:,} rows) says "
                    f"{found[0].isoformat()}, but the effective date "
                    f"given is {given.isoformat()}: leave the effective date out to use the "
                    f"rows' date, or map ignore={col.header} to date every row "
                    f"{given.isoformat()}"
                )
            lay.problem(None, col.header, why)
            return
        lay.notes.append(f"{lay.name}: effective dates from the column {col.header!r}: {counts}")
        if self.carried:
            lay.notes.append(
                f"{lay.name}: the {col.header!r} cell is blank in {_place(lay, self.carried)}; "
                "each takes the date of the row above (a merged cell, or a date printed once "
                "over its rows)"
            )
        if self.serials:
            n, raw, when = self.serials[0]
            k = len(self.serials)
            what = "cell holds a number" if k == 1 else "cells hold numbers"
            lay.notes.append(
                f"{lay.name}: {k} {col.header!r} {what}, read as Excel date serials "
                f"({lay.place(n)}: {cells.shown(raw)} is {when.isoformat()})"
            )


def _place(lay: Layout, rows: list[int]) -> str:
    if lay.table.places:  # a PDF: each row by its page
        return ", ".join(lay.place(n) for n in rows[:10]) + ("…" if len(rows) > 10 else "")
    return f"row{'s' if len(rows) > 1 else ''} {_rows(rows)}"
