"""Reading a salary table's header: which column holds what, and why.

Published tables name their columns in many ways; a header is compared after normalizing it
(case, spacing, punctuation, footnote markers such as "*", "†", "¹" or "(1)" at the end):

    class_code   code, class code, job code, class no., class number, class #, job class code
    class_title  title, class title, job title, position, position title, classification,
                 classification title, job classification, class name, class, job
    step         step, step no., step #
    grade        grade, range, salary grade, pay grade, salary range, pay range, grade/range
    unit         unit, bargaining unit, BU, coalition, group, bargaining group, employee group,
                 rep code, representation unit, union, association (each with code/no/name)
    row_date     effective, effective date, eff. date, date effective, date, start date,
                 pay/rate/salary effective date: the date each row's pay took effect ("Pay
                 Period", "End Date" are not)
    pay          any header with pay, rate, salary, wage, amount or compensation in it, or a
                 pay-period word alone ("Hourly", "Monthly"); the pay period is read from the
                 header when it says one ("hourly rate", "monthly salary", "annual",
                 "biweekly", "bi-wkly")
    step columns 1 … 99, A … Z, "Step 1", "STEP 2", "Step A", each optionally with a pay-period
                 word ("Bi-wkly Step 1", "Step 1 Hourly")
    dated pay    a header stating the date its pay took effect ("Effective 7/1/2025", "7/1/2025",
                 "FY 2024-25 monthly"; etl/stated_dates.py) is pay at that date
    derived      differences, changes, increases, percentages, totals and annualized copies
                 ("Monthly difference", "% change", "Total", "Annualized") are not read

A header row is the row, among the first `HEADER_SCAN_ROWS`, that names the most of these;
rows above it are titles. A header the user mapped explicitly (FIELD=HEADER) always counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from etl import cells, stated_dates
from etl.uploads.table import render_cell

HEADER_SCAN_ROWS = 30

_FOOTNOTE = re.compile(r"(?:\s*(?:[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d{1,2}\)|\[\w{1,2}\]))+$")
_PERIOD_WORDS = {
    "hourly": r"hourly|hour|hr|hrly|per hour",
    "biweekly": r"biweekly|bi weekly|bi wkly|biwkly|bi wk|bi monthly pay period|pay period",
    "monthly": r"monthly|month|mo|mthly|mnthly",
    "annual": r"annual|annually|yearly|year|yr|per annum",
}
_PERIOD_RE = {k: re.compile(rf"\b(?:{v})\b") for k, v in _PERIOD_WORDS.items()}
_PERIOD_ANY = "|".join(_PERIOD_WORDS.values())

_CODE = re.compile(
    r"^(?:job |class |classification |position |job class |jobclass )?"
    r"(?:code|no|number|num|#|id)(?: #)?$|^class(?:ification)? #$|^jcc$"
)
_TITLE = re.compile(
    r"^(?:class(?:ification)?(?: title| name| description)?|job(?: title| class(?:ification)?"
    r"(?: title)?| name)?|position(?: title)?|title|job classification title)$"
)
_STEP = re.compile(r"^step(?: no| number| #)?$")
_UNIT = re.compile(
    r"^(?:(?:collective )?bargaining unit|barg(?:aining)? unit|bu|units?|coalition|"
    r"(?:bargaining |employee )?group|rep(?:resentation)?(?: unit| code)?|union|association|"
    r"bargaining agent)(?: code| no| number| #| name| id)?$"
)
_DERIVED = re.compile(
    r"\b(?:diff|difference|change|chg|increase|incr|delta|variance|total|totals|sum|"
    r"annuali[sz]ed|equivalent|equiv|pct|percent|percentage)\b|\bx ?12\b"
)
# A column of dates, one per row (a header that states a date itself is a dated pay column).
_ROW_DATE = re.compile(
    r"^(?:(?:pay |rate |salary |wage )?(?:effective|eff)(?: start)?(?: date| from| on)?|"
    r"date(?: effective)?|(?:start|begin|beginning) date)$"
)
_GRADE = re.compile(r"^(?:(?:salary|pay) )?(?:grade|range|band)(?: no| number| #)?$|^grade range$")
_PAY_WORDS = re.compile(r"\b(?:pay|rate|rates|salary|salaries|wage|wages|amount|compensation)\b")
_NOT_PAY = re.compile(r"\b(?:period|basis|frequency|date|effective|unit|units|code|note|notes)\b")
_STEP_COLUMN = re.compile(
    rf"^(?:(?P<p1>{_PERIOD_ANY}) )?(?:(?P<word>step) )?(?P<label>[0-9]{{1,2}}|[a-z])"
    rf"(?: (?P<p2>{_PERIOD_ANY}))?(?: (?:rate|pay|salary))?$"
)


def normalize(header: Any) -> str:
    """A header as compared: lower case, footnote markers and punctuation dropped."""
    if isinstance(header, str):
        return _normalize_text(header)
    return _normalize_text(cells.text(header))


@lru_cache(maxsize=65536)
def _normalize_text(header: str) -> str:
    s = " ".join(header.split())
    s = _FOOTNOTE.sub("", s).casefold()
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    s = re.sub(r"[^0-9a-z#]+", " ", s.replace("-", " "))
    return " ".join(s.split())


def period_of(header: str) -> str | None:
    """The pay period a header states ('Monthly Salary' -> 'monthly'); None when it states
    none or several."""
    norm = normalize(header)
    found = [k for k, rx in _PERIOD_RE.items() if rx.search(norm)]
    return found[0] if len(found) == 1 else None


def _period_word(word: str | None) -> str | None:
    if not word:
        return None
    return next((k for k, rx in _PERIOD_RE.items() if rx.fullmatch(word)), None)


def step_name(value: Any) -> str:
    """A step as the warehouse names it: 'Step 1' / 1 / 1.0 / ' 1 ' -> '1', 'step a' -> 'A'."""
    s = cells.text(value)
    s = re.sub(r"^step\s*", "", s, flags=re.I).strip()
    if not s:
        raise cells.CellError("the step is blank")
    if re.fullmatch(r"[0-9]+", s):
        return str(int(s))
    if re.fullmatch(r"[A-Za-z]", s):
        return s.upper()
    if len(s) > 20:
        raise cells.CellError(f"{cells.shown(s)} is not a step (steps are 1, 2, ... or A, B, ...)")
    return s


@dataclass(frozen=True)
class StepLabel:
    step: str
    period: str | None  # a period word in the header ("Bi-wkly Step 1")
    has_word: bool  # the header says "step"


def step_column(header: str) -> StepLabel | None:
    """'Step 1 ' -> step 1; 'A' -> step A; 'Bi-wkly Step 5' -> step 5 (biweekly); None when
    the header is not a step column."""
    m = _STEP_COLUMN.match(normalize(header))
    if not m:
        return None
    label = m.group("label")
    period = _period_word(m.group("p1") or m.group("p2"))
    if label.isalpha() and not m.group("word") and (m.group("p1") or m.group("p2")):
        return None  # "Hourly A"? too loose to be a step column
    step = str(int(label)) if label.isdigit() else label.upper()
    if step == "0":
        return None
    return StepLabel(step, period, bool(m.group("word")))


# In the order tried: "Class" alone is a title only when no other pattern reads it.
_NAMED = (
    ("class_code", _CODE),
    ("step", _STEP),
    ("grade", _GRADE),
    ("unit", _UNIT),
    ("class_title", _TITLE),
    ("row_date", _ROW_DATE),
)


def field_of(header: str) -> tuple[str, str | None] | None:
    """(field, pay period) a header names by itself, or None."""
    norm = normalize(header)
    if not norm:
        return None
    for name, rx in _NAMED:
        if rx.match(norm):
            return name, None
    if step_column(header) is not None:
        return None
    if _NOT_PAY.search(norm):
        return None
    period = period_of(header)
    if _PAY_WORDS.search(norm) or (period and re.fullmatch(rf"(?:{_PERIOD_ANY})", norm)):
        return "pay", period
    return None


def derived(header: str) -> bool:
    """A column computed from others (a difference, a change, a total, an annualized copy)."""
    return "%" in header or bool(_DERIVED.search(normalize(header)))


def label_date(header: str, fiscal_start: tuple[int, int]) -> tuple[date, str] | None:
    """The date a column's header says its pay took effect ('Effective 7/1/2025')."""
    return stated_dates.stated_date(header, fiscal_start, bare=True)


def why(field: str, header: str) -> str:
    names = {
        "class_code": "a class code",
        "class_title": "a class title",
        "step": "a step",
        "grade": "a grade or range",
        "unit": "the bargaining unit (or group) of the row",
        "pay": "pay",
        "row_date": "the date each row's pay took effect",
    }
    return f"the header {header!r} reads as {names[field]}"


def header_score(cells_: list[Any], mapped: set[str]) -> int:
    """How much a row looks like a header: the fields and step columns it names (a mapped
    header counts ten)."""
    fields: set[str] = set()
    worded, bare = 0, []
    score = 0
    for c in cells_:
        text = render_cell(c)
        if not text:
            continue
        if normalize(text) in mapped:
            score += 10
            continue
        f = field_of(text)
        label = step_column(text) if f is None else None
        if f and f[0] != "pay":
            fields.add(f[0])
        elif f:
            score += 1
        elif label is not None and label.has_word:
            worded += 1
        elif label is not None:
            bare.append(label.step)
    steps = worded + (len(bare) if is_run(bare) else 0)
    return score + len(fields) + (steps if steps >= 2 else 0)


def is_run(labels: list[str]) -> bool:
    """Bare step headers count only as a run: 1, 2, 3 ... or A, B, C ... (a data row's
    small numbers and letters do not look like that)."""
    if len(labels) < 2:
        return False
    if all(s.isdigit() for s in labels):
        return [int(s) for s in labels] == list(range(int(labels[0]), int(labels[0]) + len(labels)))
    if all(len(s) == 1 and s.isalpha() for s in labels):
        return [ord(s) for s in labels] == list(range(ord(labels[0]), ord(labels[0]) + len(labels)))
    return False


def _merged(top: list[Any], bottom: list[Any]) -> list[str]:
    over, under = [render_cell(c) for c in top], [render_cell(c) for c in bottom]
    width = max(len(over), len(under))
    return [
        (under[j] if j < len(under) else "") or (over[j] if j < len(over) else "")
        for j in range(width)
    ]


def find_header(
    records: list[tuple[int, list[Any]]], mapped: set[str]
) -> tuple[int, int | None] | None:
    """(row, top) of the header among the first rows: its spreadsheet row, and the row above
    it when the header takes two rows ("Class Code" over a blank, "Steps" over "1 2 3"); None
    when no row names at least two columns."""
    best, found = 1, None
    scan = records[:HEADER_SCAN_ROWS]
    for k, (n, cells_) in enumerate(scan):
        s = header_score(cells_, mapped)
        if s > best:
            best, found = s, (n, None)
        if k + 1 < len(scan) and scan[k + 1][0] == n + 1:
            below = scan[k + 1][1]
            pair = header_score(_merged(cells_, below), mapped)
            alone = max(s, header_score(below, mapped))
            if pair > alone and pair > best:
                best, found = pair, (n + 1, n)
    return found
