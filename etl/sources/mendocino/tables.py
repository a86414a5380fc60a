"""The two tables of the Mendocino MOU, Attachment B "SEIU - GRADE CHART" and Attachment C
(class code, title, grade), and the hourly schedules derived from the chart.

Both are tab-separated rows in markdown-ish text. A table region runs from its heading to the
next heading line; every non-blank line in between must be a row of the expected shape, or
parsing stops with a SourceParseError naming the line (nothing is skipped silently).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, normalize_ws
from etl.records import SourceRef, WageIncrease
from etl.registry import MENDOCINO
from etl.rounding import round_half_up

AGENCY = MENDOCINO.agency
AGREEMENT_ID = MENDOCINO.agreement_id
DOC = MENDOCINO.doc

ATTACHMENT_B_HEADING = "ATTACHMENT B - SALARY SCHEDULE"
GRADE_CHART_TITLE = "SEIU - GRADE CHART"
ATTACHMENT_C_HEADING = "ATTACHMENT C - UNIT JOB CLASSIFICATIONS"

GRADE_CHART_COLUMNS = (
    "Grade",
    "Step 1",
    "Step 2",
    "Step 3",
    "Step 4",
    "Step 5",
    "Bi-wkly Step 1",
    "Bi-wkly Step 5",
)
CLASS_LIST_COLUMNS = ("Job Class Code", "Classification Title", "Grade")

# The printed chart runs S18A..S41D: ranges 18-41, each with sub-grades A-D (24 x 4 = 96).
FIRST_RANGE, LAST_RANGE = 18, 41
SUB_GRADES = "ABCD"
EXPECTED_GRADES = (LAST_RANGE - FIRST_RANGE + 1) * len(SUB_GRADES)

STEPS = ("1", "2", "3", "4", "5")

_GRADE = re.compile(r"^S(\d{2})([A-D])$")
_HOURLY = re.compile(r"^\d{1,3}\.\d{2}$")
_BIWEEKLY = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$")
_CLASS_CODE = re.compile(r"^(?:S\d{3}|\d{4})$")
_TITLE = re.compile(r"^[A-Z0-9][A-Z0-9 &/'.,()-]*$")
_MARKUP = re.compile(r"</?b>|\*\*|^#+\s*")


@dataclass(frozen=True)
class GradeRow:
    """One printed grade-chart row: hourly Step 1-5 and the biweekly Step 1 and Step 5."""

    grade: str
    hourly: tuple[Decimal, ...]  # Step 1..5, dollars per hour as printed
    biweekly_step1: Decimal
    biweekly_step5: Decimal
    line: int


@dataclass(frozen=True)
class ClassRow:
    """One Attachment C row; title and grade are None for the rows printed with a code only."""

    class_code: str
    class_title: str | None
    grade: str | None
    line: int


def strip_markup(text: str) -> str:
    """The words of a line without the markdown/HTML emphasis around them."""
    return normalize_ws(_MARKUP.sub("", text.strip()))


def _is_heading(text: str) -> bool:
    s = text.strip()
    return s.startswith(("#", "**"))


def _cells(text: str) -> list[str]:
    return [strip_markup(c) for c in text.rstrip("\r").split("\t")]


def find_heading(doc: RawDocument, heading: str, start: int = 1) -> int | None:
    """1-based line of a heading whose words (markup removed) are exactly `heading`. Table of
    contents entries ('ATTACHMENT B - SALARY SCHEDULE .....') never match."""
    want = heading.casefold()
    for n in range(max(start, 1), len(doc.lines) + 1):
        if strip_markup(doc.line(n)).casefold() == want:
            return n
    return None


def _next_nonblank(doc: RawDocument, start: int) -> int | None:
    for n in range(start, len(doc.lines) + 1):
        if doc.line(n).strip():
            return n
    return None


def _expect_header(doc: RawDocument, line: int | None, columns: tuple[str, ...], what: str) -> int:
    if line is None:
        raise SourceParseError(doc.name, len(doc.lines), f"{what}: file ends before the header")
    cells = [c for c in _cells(doc.line(line))]
    while cells and cells[-1] == "":
        cells.pop()
    if tuple(cells) != columns:
        raise SourceParseError(
            doc.name, line, f"{what}: expected header {' | '.join(columns)}, got {cells}"
        )
    return line


def _money(doc: RawDocument, line: int, cell: str, column: str, pattern: re.Pattern) -> Decimal:
    if not pattern.match(cell):
        raise SourceParseError(doc.name, line, f"not a dollar amount: {cell!r}", column=column)
    return Decimal(cell.replace(",", ""))


def _grade_key(grade: str) -> tuple[int, int]:
    m = _GRADE.match(grade)
    assert m  # callers validate first
    return int(m.group(1)), SUB_GRADES.index(m.group(2))


def _next_grade(grade: str) -> str:
    rng, sub = _grade_key(grade)
    if sub + 1 < len(SUB_GRADES):
        return f"S{rng:02d}{SUB_GRADES[sub + 1]}"
    return f"S{rng + 1:02d}{SUB_GRADES[0]}"


def parse_grade_chart(doc: RawDocument) -> tuple[list[GradeRow], int]:
    """Attachment B rows in order, and the line of the heading that ends the chart.

    Blank lines inside the chart (page breaks in the original) are allowed; anything else that
    is not a row of 8 cells with a grade in sequence raises SourceParseError.
    """
    heading = find_heading(doc, ATTACHMENT_B_HEADING)
    if heading is None:
        raise SourceParseError(doc.name, None, f"heading {ATTACHMENT_B_HEADING!r} not found")
    title = _next_nonblank(doc, heading + 1)
    if title is None or strip_markup(doc.line(title)) != GRADE_CHART_TITLE:
        raise SourceParseError(
            doc.name, title or heading, f"expected the table title {GRADE_CHART_TITLE!r}"
        )
    header = _expect_header(
        doc, _next_nonblank(doc, title + 1), GRADE_CHART_COLUMNS, "Attachment B grade chart"
    )

    rows: list[GradeRow] = []
    n = header + 1
    while n <= len(doc.lines):
        text = doc.line(n)
        if not text.strip():
            n += 1
            continue
        if _is_heading(text):
            break
        cells = _cells(text)
        grade = cells[0]
        if not _GRADE.match(grade):
            raise SourceParseError(
                doc.name, n, f"unrecognized row in the grade chart: {text.strip()[:80]!r}"
            )
        if len(cells) != len(GRADE_CHART_COLUMNS):
            raise SourceParseError(
                doc.name,
                n,
                f"grade {grade}: expected {len(GRADE_CHART_COLUMNS)} cells "
                f"({', '.join(GRADE_CHART_COLUMNS)}), got {len(cells)}",
            )
        expected = _next_grade(rows[-1].grade) if rows else f"S{FIRST_RANGE:02d}A"
        if grade != expected:
            raise SourceParseError(
                doc.name, n, f"grade chart out of sequence: expected {expected}, got {grade}"
            )
        hourly = tuple(
            _money(doc, n, cells[i], GRADE_CHART_COLUMNS[i], _HOURLY) for i in range(1, 6)
        )
        bw1 = _money(doc, n, cells[6], GRADE_CHART_COLUMNS[6], _BIWEEKLY)
        bw5 = _money(doc, n, cells[7], GRADE_CHART_COLUMNS[7], _BIWEEKLY)
        rows.append(GradeRow(grade, hourly, bw1, bw5, n))
        n += 1
    else:
        raise SourceParseError(
            doc.name,
            len(doc.lines),
            f"the grade chart runs to the end of the file ({len(rows)} grades read); "
            f"the {ATTACHMENT_C_HEADING!r} heading never comes",
        )
    if len(rows) != EXPECTED_GRADES:
        last = rows[-1] if rows else None
        raise SourceParseError(
            doc.name,
            last.line if last else header,
            f"grade chart is truncated: {len(rows)} grades, expected {EXPECTED_GRADES} "
            f"(S{FIRST_RANGE}A-S{LAST_RANGE}D); last grade read: {last.grade if last else None}",
        )
    return rows, n


def parse_class_list(doc: RawDocument, start: int, grades: set[str]) -> list[ClassRow]:
    """Attachment C rows, which must begin at line `start` (where the grade chart ended).

    A row has a class code, then title and grade, or neither (a code printed alone: kept with
    title and grade None). A grade missing from the chart, a duplicate code or any other line
    inside the table raises SourceParseError.
    """
    if start > len(doc.lines) or strip_markup(doc.line(start)) != ATTACHMENT_C_HEADING:
        found = doc.line(start).strip()[:80] if start <= len(doc.lines) else "end of file"
        raise SourceParseError(
            doc.name,
            min(start, len(doc.lines)),
            f"expected the {ATTACHMENT_C_HEADING!r} heading after the grade chart, found {found!r}",
        )
    header = _expect_header(
        doc, _next_nonblank(doc, start + 1), CLASS_LIST_COLUMNS, "Attachment C class list"
    )
    rows: list[ClassRow] = []
    seen: dict[str, int] = {}
    for n in range(header + 1, len(doc.lines) + 1):
        text = doc.line(n)
        if not text.strip():
            continue
        if _is_heading(text):
            break
        row = _class_row(doc, n, grades)
        code = row.class_code
        if code in seen:
            raise SourceParseError(
                doc.name, n, f"class code {code} is listed twice (first at line {seen[code]})"
            )
        rows.append(row)
        seen[row.class_code] = n
    if not rows:
        raise SourceParseError(doc.name, header, "Attachment C has no rows")
    return rows


def _class_row(doc: RawDocument, n: int, grades: set[str]) -> ClassRow:
    """One line of Attachment C: code, title and grade, or a code alone."""
    text = doc.line(n)
    cells = _cells(text)
    while len(cells) < len(CLASS_LIST_COLUMNS) and len(cells) > 1:
        cells.append("")
    if len(cells) != len(CLASS_LIST_COLUMNS) or not _CLASS_CODE.match(cells[0]):
        raise SourceParseError(
            doc.name, n, f"unrecognized row in Attachment C: {text.strip()[:80]!r}"
        )
    code, title, grade = cells
    if not title and not grade:
        return ClassRow(code, None, None, n)
    if not (title and grade):
        missing = "Grade" if title else "Classification Title"
        raise SourceParseError(
            doc.name, n, f"{code}: row has a {missing.lower()} missing", column=missing
        )
    if not _TITLE.match(title):
        raise SourceParseError(
            doc.name, n, f"{code}: unexpected title {title!r}", column="Classification Title"
        )
    if grade not in grades:
        raise SourceParseError(
            doc.name, n, f"{code}: grade {grade!r} is not in the grade chart", column="Grade"
        )
    return ClassRow(code, title, grade, n)


@dataclass(frozen=True)
class Rate:
    """One hourly value of a grade's schedule; `derivation` is None when printed."""

    hourly: Decimal
    derivation: str | None
    source: SourceRef


Schedules = dict[str, list[tuple[date, tuple[Rate, ...]]]]


def grade_schedules(
    grades: list[GradeRow], printed_date: date, increases: list[WageIncrease], doc_name: str
) -> Schedules:
    """Per grade: the printed schedule at `printed_date`, then one derived schedule per general
    increase in date order, each = the previous schedule x (1 + pct/100) per step, rounded to
    the cent (halves up). Derived values cite the line of the increase."""
    general = sorted(
        (w for w in increases if w.kind == "general" and w.pct is not None),
        key=lambda w: w.effective_date or date.min,
    )
    out: Schedules = {}
    for g in grades:
        schedule = tuple(
            Rate(h, None, SourceRef(doc_name, g.line, "Attachment B")) for h in g.hourly
        )
        prev_date = printed_date
        out[g.grade] = [(printed_date, schedule)]
        for w in general:
            if w.effective_date is None or w.pct is None:  # pragma: no cover - filtered above
                continue
            factor = (1 + Decimal(str(w.pct)) / 100).normalize()
            derived = []
            for step, prev in zip(STEPS, schedule, strict=True):
                exact = prev.hourly * factor
                was = (
                    f"derived schedule of {prev_date.isoformat()}"
                    if prev.derivation
                    else f"printed, Attachment B line {g.line}"
                )
                how = (
                    f"{g.grade} Step {step}: {prev.hourly} ({was}) x {factor} = {exact} -> "
                    f"{round_half_up(exact)}; 7.1 {w.pct:g}% general increase, {w.note}"
                )
                derived.append(Rate(round_half_up(exact), how, w.source))
            schedule = tuple(derived)
            prev_date = w.effective_date
            out[g.grade].append((w.effective_date, schedule))
    return out
