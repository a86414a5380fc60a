"""Appendix A (salary ranges) and Appendix B (market and internal adjustments) of the Sonoma
SEIU 707 MOU, read as tab-separated table rows and turned into classes, salary rates (printed
A steps, derived B-I steps and derived 8.1 schedules) and market wage increases.

The PDF's text interleaves page footers ("2002-2008 COUNTY/SEIU MOU") and bare page numbers
with the rows; those are skipped. Anything else inside a table region that is not a recognised
row raises SourceParseError with the line, so a damaged source never loses rows silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import JobClass, SalaryRate, SourceRef, WageIncrease
from etl.registry import SONOMA
from etl.rounding import decimal_of, round_half_up

AGENCY = SONOMA.agency
AGREEMENT_ID = SONOMA.agreement_id
DOC = SONOMA.doc

STEPS = "ABCDEFGHI"
STEP_FACTOR = Decimal("1.025")  # Art. 3.2: nine steps "each approximately 2-1/2% apart"

PAGE_FOOTER = "2002-2008 COUNTY/SEIU MOU"
PAYROLL_FOOTNOTE = "* Coded for payroll administration only, not a formal job class."

_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_APPENDIX_HEADING = re.compile(r"^APPENDIX ([A-Z])$")
_UNIT_HEADER = re.compile(r"^SEIU .+ -- (\d{4})$")
_A_DATE = re.compile(r"A RANGE (\d{1,2}/\d{1,2}/\d{2,4})")
_CODE = re.compile(r"^(\d{4})\s*(\*)?$")
_RANGE = re.compile(r"^\d{3,5}$")
_PCT = re.compile(r"^(\d+(?:\.\d+)?)%$")


@dataclass(frozen=True)
class ClassRow:
    """One Appendix A row: a class in a unit with its printed A-step range numbers (cents)."""

    unit: str
    code: str
    title: str
    payroll_only: bool
    ranges: dict[date, int]
    line: int


@dataclass(frozen=True)
class AdjustmentRow:
    """One Appendix B row: percent adjustments by effective date for a class code."""

    code: str
    title: str
    pcts: dict[date, float]
    line: int


def parse_mdy(text: str) -> date:
    """Dates as the tables print them: 07/23/02 or 1/7/2003."""
    for fmt in ("%m/%d/%y", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a m/d/y date: {text!r}")


def _cells(raw: str) -> list[str]:
    return [c.strip() for c in raw.split("\t") if c.strip()]


def _is_noise(text: str) -> bool:
    """Blank lines, page footers and bare page numbers: expected between table rows."""
    return not text or text == PAGE_FOOTER or bool(_PAGE_NUMBER.match(text))


def find_heading(doc: RawDocument, letter: str, start: int = 1) -> int | None:
    """1-based line of the body heading 'APPENDIX <letter>' (a line with nothing else on it;
    the table of contents has dotted leaders and page numbers, so it never matches)."""
    for n in range(start, len(doc.lines) + 1):
        if doc.line(n).strip() == f"APPENDIX {letter}":
            return n
    return None


def parse_appendix_a(doc: RawDocument) -> tuple[int, list[ClassRow]]:
    """All class rows of all units; returns (heading line, rows). The region ends at the
    APPENDIX B heading; reaching another appendix or the end of file first is an error."""
    name = doc.name
    start = find_heading(doc, "A")
    if start is None:
        raise SourceParseError(name, None, "APPENDIX A (salary table) heading not found")
    rows: list[ClassRow] = []
    unit: str | None = None
    dates: list[date] | None = None
    for n in range(start + 1, len(doc.lines) + 1):
        text = doc.line(n).strip()
        if _is_noise(text) or text == PAYROLL_FOOTNOTE:
            continue
        heading = _APPENDIX_HEADING.match(text)
        if heading:
            if heading.group(1) == "B":
                if not rows:
                    raise SourceParseError(name, n, "Appendix A has no class rows")
                return start, rows
            raise SourceParseError(
                name,
                n,
                f"Appendix B (market and internal adjustments) is missing: the Appendix A "
                f"table is followed by {text!r}",
            )
        unit_match = _UNIT_HEADER.match(text)
        if unit_match:
            unit, dates = unit_match.group(1), None
            continue
        if text.startswith("Class #"):
            found = [parse_mdy(d) for d in _A_DATE.findall(text)]
            if not found:
                raise SourceParseError(name, n, "Appendix A column header has no 'A RANGE' dates")
            dates = found
            continue
        rows.append(_class_row(doc, n, unit, dates))
    raise SourceParseError(
        name,
        len(doc.lines),
        f"Appendix A (from line {start}) runs to the end of the file without an APPENDIX B "
        "heading: the table is truncated",
    )


def _class_row(doc: RawDocument, n: int, unit: str | None, dates: list[date] | None) -> ClassRow:
    name = doc.name
    raw = doc.line(n)
    cells = _cells(raw)
    code_match = _CODE.match(cells[0]) if cells else None
    if code_match is None:
        raise SourceParseError(
            name,
            n,
            f"unrecognized row in the Appendix A table: {raw.strip()!r} (expected a class "
            "row, a unit header, a page footer or a page number)",
        )
    if unit is None or dates is None:
        raise SourceParseError(name, n, "Appendix A class row before its unit and column header")
    if len(cells) != 2 + len(dates):
        raise SourceParseError(
            name,
            n,
            f"Appendix A row for class {code_match.group(1)} has {len(cells) - 2} range "
            f"cell(s); the unit {unit} header has {len(dates)} dates",
        )
    title = cells[1]
    payroll_only = bool(code_match.group(2)) or title.startswith("*")
    title = title.lstrip("*").strip()
    ranges: dict[date, int] = {}
    for d, cell in zip(dates, cells[2:], strict=True):
        if not _RANGE.match(cell):
            raise SourceParseError(
                name,
                n,
                f"range cell {cell!r} for class {code_match.group(1)} is not a whole number "
                "of cents",
                column=f"A RANGE {d:%m/%d/%y}",
            )
        ranges[d] = int(cell)
    return ClassRow(unit, code_match.group(1), title, payroll_only, ranges, n)


def parse_appendix_b(doc: RawDocument) -> tuple[int, list[AdjustmentRow]]:
    """All Appendix B rows; returns (heading line, rows). The region ends at APPENDIX C."""
    name = doc.name
    start = find_heading(doc, "B")
    if start is None:
        raise SourceParseError(name, None, "APPENDIX B (market and internal adjustments) not found")
    rows: list[AdjustmentRow] = []
    dates: list[date] | None = None
    for n in range(start + 1, len(doc.lines) + 1):
        raw = doc.line(n)
        text = raw.strip()
        if _is_noise(text) or text == "MARKET AND INTERNAL ADJUSTMENTS":
            continue
        if _APPENDIX_HEADING.match(text):
            if not rows:
                raise SourceParseError(name, n, "Appendix B has no adjustment rows")
            return start, rows
        cells = _cells(raw)
        if text.startswith("JC #"):
            dates = [parse_mdy(c) for c in cells[2:]]
            continue
        rows.append(_adjustment_row(name, n, text, cells, dates))
    raise SourceParseError(
        name,
        len(doc.lines),
        f"Appendix B (from line {start}) runs to the end of the file without an APPENDIX C "
        "heading: the table is truncated",
    )


def _adjustment_row(
    name: str, n: int, text: str, cells: list[str], dates: list[date] | None
) -> AdjustmentRow:
    """One Appendix B row (line `text`): a class code, its title and one percent per date."""
    code_match = _CODE.match(cells[0]) if cells else None
    if code_match is None or code_match.group(2):
        raise SourceParseError(name, n, f"unrecognized row in the Appendix B table: {text!r}")
    if dates is None:
        raise SourceParseError(name, n, "Appendix B row before its column header")
    if len(cells) != 2 + len(dates):
        raise SourceParseError(
            name,
            n,
            f"Appendix B row for class {cells[0]} has {len(cells) - 2} percent cell(s); "
            f"the header has {len(dates)} dates",
        )
    pcts: dict[date, float] = {}
    for d, cell in zip(dates, cells[2:], strict=True):
        pct = _PCT.match(cell)
        if pct is None:
            raise SourceParseError(
                name,
                n,
                f"adjustment cell {cell!r} for class {cells[0]} is not a percent",
                column=f"{d:%m/%d/%Y}",
            )
        pcts[d] = float(pct.group(1))
    return AdjustmentRow(cells[0], cells[1], pcts, n)


# --- table rows to warehouse rows ----------------------------------------------------------------


def _section(row: ClassRow) -> str:
    return f"Appendix A (unit {row.unit})"


def job_class(row: ClassRow) -> JobClass:
    """A class of one unit; a code printed in two units would be two rows."""
    return JobClass(
        agency=AGENCY,
        agreement_id=AGREEMENT_ID,
        bargaining_unit=row.unit,
        class_code=row.code,
        class_title=row.title,
        payroll_only=row.payroll_only,
        grade=None,
        source=SourceRef(DOC, row.line, _section(row)),
    )


def market_increases(
    adjustments: list[AdjustmentRow], classes: list[ClassRow]
) -> list[WageIncrease]:
    """Every Appendix B cell, 0.00% included; matched to Appendix A by code, not title."""
    titles = {c.code: c.title for c in classes}
    out = []
    for row in adjustments:
        note = "Appendix B market and internal equity adjustment"
        if row.code in titles and titles[row.code] != row.title:
            note += f"; Appendix B title {row.title!r}, Appendix A title {titles[row.code]!r}"
        for when, pct in row.pcts.items():
            out.append(
                WageIncrease(
                    agency=AGENCY,
                    agreement_id=AGREEMENT_ID,
                    effective_date=when,
                    kind="market",
                    class_code=row.code,
                    pct=pct,
                    amount=None,
                    note=note,
                    source=SourceRef(DOC, row.line, "Appendix B"),
                )
            )
    return out


def step_rates(a_hourly: float) -> dict[str, float]:
    """Steps A-I from step A: the exact A x 1.025^k rounded half up to the cent (Art. 3.2
    '2-1/2% apart'): 14.20 x 1.025 = 14.555 -> 14.56."""
    a = decimal_of(a_hourly)
    return {step: float(round_half_up(a * STEP_FACTOR**k)) for k, step in enumerate(STEPS)}


def _step_derivation(k: int) -> str:
    return (
        f"step {STEPS[k]} = step A x 1.025^{k}, exact product rounded half up to the cent "
        "(Art. 3.2: nine steps 'each approximately 2-1/2% apart'; only step A is printed)"
    )


def salary_rates(classes: list[ClassRow], general: list[WageIncrease]) -> list[SalaryRate]:
    """Printed A steps, derived B-I, and derived schedules for 8.1 increases after the last
    printed date (A = previous range x (1 + general%), rounded to the cent)."""
    out: list[SalaryRate] = []
    for row in classes:
        row_ref = SourceRef(DOC, row.line, _section(row))
        for when, cents in row.ranges.items():
            out.extend(_schedule(row, when, cents, None, row_ref))
        last_date = max(row.ranges)
        prev_cents, prev_derived = row.ranges[last_date], False
        for inc in sorted(general, key=lambda w: w.effective_date or date.min):
            if inc.effective_date is None or inc.effective_date <= last_date:
                continue
            assert inc.pct is not None
            exact = Decimal(prev_cents) * (1 + Decimal(str(inc.pct)) / 100)
            cents = int(round_half_up(exact, 0))
            how = (
                f"8.1 general increase {inc.pct:g}% applied to {last_date:%m/%d/%y} A step"
                f"{' (itself derived)' if prev_derived else ''}: range {prev_cents} x "
                f"{1 + inc.pct / 100:g} = {exact.normalize():f} -> {cents} cents (half a cent "
                "rounds up); Appendix B lists no adjustment after the printed dates"
            )
            out.extend(_schedule(row, inc.effective_date, cents, how, inc.source))
            last_date, prev_cents, prev_derived = inc.effective_date, cents, True
    return out


def _schedule(
    row: ClassRow, when: date, cents: int, a_derivation: str | None, source: SourceRef
) -> list[SalaryRate]:
    rates = step_rates(cents / 100)
    out = []
    for k, step in enumerate(STEPS):
        if k == 0:
            derivation = a_derivation
        elif a_derivation:
            derivation = f"{_step_derivation(k)}; step A: {a_derivation}"
        else:
            derivation = _step_derivation(k)
        out.append(
            SalaryRate(
                agency=AGENCY,
                agreement_id=AGREEMENT_ID,
                bargaining_unit=row.unit,
                class_code=row.code,
                effective_date=when,
                step=step,
                hourly=rates[step],
                is_derived=derivation is not None,
                derivation=derivation,
                source=source,
            )
        )
    return out
