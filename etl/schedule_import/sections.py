"""Effective dates a table states in words, for the pay columns whose header states none and
when no date column dates the rows (etl/schedule_import/row_dates.py): a
title row above the header ("Salary Schedule - Hourly Rates, effective July 1, 2024"), a
heading between sections ("Effective July 1, 2025", "Salary Schedule FY 2025-26", printed on
every page of a PDF), or the name of the sheet ("FY 2024-25"), each read by
etl/stated_dates.py. A row's pay takes the date of the last such heading above it.

The effective date given (--effective) is the date of every such column instead, and the
notes say which heading it overrides; given over sections of two or more dates it is refused
(it would file both sections under one date).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from etl import cells, stated_dates
from etl.schedule_import.layout_types import Column, Layout
from etl.schedule_import.options import Options
from etl.schedule_import.row_dates import RowDates
from etl.uploads.reader import render_cell

MAX_HEADING_CELLS = 2  # "Effective" | 2024-07-01 in two cells is still a heading


@dataclass(frozen=True)
class Heading:
    row: int  # the table's running row (0: the sheet's name)
    date: date
    how: str  # 'date' | 'fiscal year'
    text: str
    where: str  # 'row 2', 'p. 1, row 2', "the sheet's name"

    def __str__(self) -> str:
        how = ", a fiscal year from its first day" if self.how == "fiscal year" else ""
        return f"{self.date.isoformat()} ({self.where}: {self.text!r}{how})"


def headings(lay: Layout, options: Options, unreal: list[int] | None = None) -> list[Heading]:
    """The dated headings of a table, top to bottom; the rows of headings whose date is not
    one (February 30, the year 2200) go to `unreal`, each reported on the layout."""
    out: list[Heading] = []
    if lay.context_date is not None:
        when, text = lay.context_date
        got = stated_dates.stated_date(text, options.fiscal_start, bare=True)
        out.append(Heading(0, when, got[1] if got else "date", text, "the sheet's name"))
    for n, row in [*lay.table.above, *lay.table.rows]:
        filled = [render_cell(c) for c in row if not cells.is_blank(c)]
        if not filled or len(filled) > MAX_HEADING_CELLS:
            continue
        text = " ".join(filled)
        bad = stated_dates.unreal_date(text, options.fiscal_start)
        if bad:  # passed over, its section's pay would take the date of the one above
            lay.problem(n, None, f"the heading states the date pay took effect, but {bad}")
            if unreal is not None:
                unreal.append(n)
        got = stated_dates.stated_date(text, options.fiscal_start)
        if got is not None:
            out.append(Heading(n, got[0], got[1], text, lay.place(n)))
    return out


class Dating:
    """The effective date of each pay cell of a table, the first of:

    1. its column's own date (a header "Effective 7/1/2025", or pay@YYYY-MM-DD=HEADER);
    2. the date in its row's date cell (a column "Effective Date": row_dates.py);
    3. the effective date given (--effective);
    4. the heading above its row (or the sheet's name).

    A table with a date column is dated by it alone: a blank cell takes the row above's date,
    and the effective date given must equal every row's (else a problem: leave it out, or
    map ignore=HEADER); headings are not read. Without one, the effective date given dates
    every undated column over a heading of one other date (a note says so), and is refused
    over sections of several dates.
    """

    def __init__(self, lay: Layout, options: Options, cols: list[Column]):
        self.lay, self.options = lay, options
        self.undated = [c for c in cols if c.date is None]
        col = lay.fields.get("row_date")
        if col is not None and not self.undated:
            lay.notes.append(
                f"{lay.name}: the date column {col.header!r} is not read: every pay column "
                "states its own date"
            )
        by_row = RowDates(lay, options, col) if col is not None and self.undated else None
        self.by_row = by_row if by_row is not None and by_row.used else None
        self.unreal: list[int] = []  # rows of headings that state no real date
        self.heads = headings(lay, options, self.unreal) if self.undated and not self.by_row else []
        self.rows = [h.row for h in self.heads]
        self.missing: int | None = None  # the first row found without a date
        self.ok = self._check()

    def _check(self) -> bool:
        if self.by_row is not None:
            return True  # checked once the rows are read (done)
        lay, given = self.lay, self.options.effective
        distinct = sorted({h.date for h in self.heads})
        if self.undated and given is None and not self.heads:
            if not self.unreal:  # else the heading's problem says it
                self._no_date(None, self.undated[0])
            return False
        if not self.undated or given is None:
            if self.undated and self.heads:
                firsts = {h.date: h for h in reversed(self.heads)}
                lay.notes.append(
                    f"{lay.name}: effective dates from the headings: "
                    + "; ".join(str(firsts[d]) for d in sorted(firsts))
                )
            return True
        if len(distinct) > 1:
            lay.problem(
                None,
                None,
                "the table has sections of different dates ("
                + "; ".join(str(h) for h in _first_of_each(self.heads))
                + f"), so one effective date given ({given.isoformat()}) cannot date them: "
                "leave the effective date out and each section takes its heading's date",
            )
            return False
        if distinct and distinct[0] != given:
            lay.notes.append(
                f"{lay.name}: the effective date given, {given.isoformat()}, is used; the "
                f"heading says {self.heads[0]}"
            )
        return True

    def reset(self) -> None:
        """A blank row (a merged date cell does not reach across it)."""
        if self.by_row is not None:
            self.by_row.reset()

    def done(self) -> None:
        """Every row read: the rows' dates checked against the effective date given."""
        if self.by_row is not None:
            self.by_row.done()

    def of(self, n: int, col: Column, cells_: list | None = None) -> date | None:
        if col.date is not None:
            return col.date
        if self.by_row is not None:
            return self.by_row.of(n, cells_ or [])
        if self.options.effective is not None:
            return self.options.effective
        k = bisect_right(self.rows, n - 1) - 1
        u = bisect_right(self.unreal, n - 1) - 1
        if u >= 0 and (k < 0 or self.unreal[u] > self.rows[k]):
            return None  # below a heading whose date is not one: reported there
        if k >= 0:
            return self.heads[k].date
        if self.missing is None:
            self.missing = n
            self._no_date(n, col)
        return None

    def _no_date(self, n: int | None, col: Column) -> None:
        from etl.schedule_import.extract import date_hint

        lay = self.lay
        if self.heads:
            lay.problem(
                n,
                col.header,
                f"no effective date for this row: it comes before the first heading that "
                f"says one ({self.heads[0]}); give the effective date (YYYY-MM-DD), or date "
                "the pay column with pay@YYYY-MM-DD=HEADER",
            )
            return
        dated = [c for c in lay.pays + lay.steps if c.date is not None]
        hint = date_hint(lay)
        if dated:
            lay.problem(
                None,
                col.header,
                f"no effective date for {', '.join(repr(c.header) for c in self.undated)}: the "
                "other pay columns are dated; date these with pay@YYYY-MM-DD=HEADER, or give "
                f"the effective date (YYYY-MM-DD){hint}",
            )
        else:
            lay.problem(
                None,
                None,
                "no effective date: give the date the schedule took effect (YYYY-MM-DD), or "
                f"date each pay column with pay@YYYY-MM-DD=HEADER{hint}",
            )


def _first_of_each(heads: list[Heading]) -> list[Heading]:
    seen: dict[date, Heading] = {}
    for h in heads:
        seen.setdefault(h.date, h)
    return list(seen.values())
