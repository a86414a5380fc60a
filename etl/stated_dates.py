"""Dates a label or heading states. A published table dates its pay in words: a column
"Effective 7/1/2025", a heading "Effective July 1, 2024" above a section, a sheet "FY 2024-25".
`stated_date` reads such a date only when the text says it is the date pay took effect (or
names a fiscal year); "Adopted 6/15/2024", "Printed 3/1/2025" and "Page 2 of 40" state no
effective date.

The cells a user types are read by etl/cells.py; a table's date cell falls back to these
readings (cells.table_date).
"""

from __future__ import annotations

import re
from datetime import date

from etl.defaults import EARLIEST_DATE, LATEST_DATE

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for m in names.split()
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})\b"),
    re.compile(r"\b(?P<m>[0-9]{1,2})[/.-](?P<d>[0-9]{1,2})[/.-](?P<y>[0-9]{4})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>[0-9]{{4}})\b", re.I),
    re.compile(rf"\b(?P<d>[0-9]{{1,2}})\s+{_MONTH}\s+(?P<y>[0-9]{{4}})\b", re.I),
)
_EFFECTIVE = re.compile(r"\b(?:effective|eff\.?|beginning|commencing|starting)\b", re.I)
_FISCAL = re.compile(
    r"\b(?:fy|fiscal\s+year)\s*'?(?P<a>[0-9]{4}|[0-9]{2})\s*[-/–]\s*(?P<b>[0-9]{4}|[0-9]{2})\b",
    re.I,
)
_YEAR_RANGE = re.compile(r"\b(?P<a>[0-9]{4})\s*[-/–]\s*(?P<b>[0-9]{4}|[0-9]{2})\b")
_SCHEDULE_WORDS = re.compile(r"\b(?:salary|salaries|pay|wage|wages|schedule|rates?)\b", re.I)
_NOT_EFFECTIVE = re.compile(
    r"\b(?:adopted|approved|printed|revised|run|generated|updated|prepared|as\s+of|page)\b", re.I
)
_YEAR = re.compile(r"(?<![0-9/.-])(?P<y>(?:19|20)[0-9]{2})(?![0-9/.-])")


def _found_date(m: re.Match) -> date | str:
    """The date a match states, or why it is none (no such day, or outside the range)."""
    g = m.groupdict()
    month = _MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
    try:
        d = date(int(g["y"]), month, int(g["d"]))
    except ValueError:
        return f"{m.group(0)!r} is not a real date (no such day)"
    return d if EARLIEST_DATE <= d <= LATEST_DATE else _out_of_range(m.group(0), d)


def _out_of_range(shown_as: str, d: date) -> str:
    return (
        f"{shown_as!r} ({d.isoformat()}) is outside {EARLIEST_DATE.isoformat()} to "
        f"{LATEST_DATE.isoformat()}; check the year"
    )


def _fiscal(m: re.Match, start: tuple[int, int]) -> date | str | None:
    a, b = m.group("a"), m.group("b")
    first = int(a) if len(a) == 4 else 2000 + int(a)
    second = int(b) if len(b) == 4 else first // 100 * 100 + int(b)
    if second != first + 1:
        return None
    try:
        d = date(first, *start)
    except ValueError:
        return None
    return d if EARLIEST_DATE <= d <= LATEST_DATE else _out_of_range(m.group(0), d)


def _stated(text: str, fiscal_start: tuple[int, int], bare: bool) -> tuple[date, str] | str | None:
    """stated_date's reading: (date, how), or why the date the text states is none."""
    if not isinstance(text, str) or not text.strip():
        return None
    unreal: str | None = None
    effective = _EFFECTIVE.search(text)
    titled = _SCHEDULE_WORDS.search(text) and not _NOT_EFFECTIVE.search(text)
    if effective or bare or titled:
        rest = text[effective.end() :] if effective else text
        found = sorted(
            ((m.start(), _found_date(m)) for p in _DATE_PATTERNS for m in p.finditer(rest)),
            key=lambda x: x[0],
        )
        real = [d for _, d in found if isinstance(d, date)]
        if real:
            return real[0], "date"
        unreal = next((d for _, d in found if isinstance(d, str)), None)
    m = _FISCAL.search(text)
    if m is None and _SCHEDULE_WORDS.search(text):
        m = _YEAR_RANGE.search(text)
    if m is not None:
        d = _fiscal(m, fiscal_start)
        if isinstance(d, date):
            return d, "fiscal year"
        unreal = unreal or d
    return unreal


def stated_date(
    text: str, fiscal_start: tuple[int, int] = (7, 1), bare: bool = False
) -> tuple[date, str] | None:
    """(date, how) that a label or heading states pay took effect, or None. Read: a date after
    "effective" (or "eff.", "beginning") as YYYY-MM-DD, M/D/YYYY, M-D-YYYY or "July 1, 2024"; a
    date in a heading that names a salary schedule ("Salary Schedule - July 1, 2024") unless it
    says adopted, printed, revised, as of...; a fiscal year ("FY 2024-25", "Fiscal Year
    2024-2025", and "2024-25" in a heading that says salary, pay or schedule) as its first day
    (`fiscal_start`, month and day); with `bare`, any such date alone (a column "7/1/2025").
    `how` says which: 'date' or 'fiscal year'. A date that does not exist (February 30) or
    lies outside EARLIEST_DATE..LATEST_DATE is none: `unreal_date` says why."""
    got = _stated(text, fiscal_start, bare)
    return got if isinstance(got, tuple) else None


def unreal_date(
    text: str, fiscal_start: tuple[int, int] = (7, 1), bare: bool = False
) -> str | None:
    """Why the effective date a label or heading states (as `stated_date` reads it) is not a
    date to use ("'2/30/2025' is not a real date", "... is outside 1900-01-01 to
    2100-12-31"), or None when it states a real one or none: a heading the reader would
    otherwise pass over, leaving its pay dated by another."""
    got = _stated(text, fiscal_start, bare)
    return got if isinstance(got, str) else None


def year_named(text: str) -> int | None:
    """The one year a label names without a day ('2024 monthly pay' -> 2024), else None."""
    years = {int(m.group("y")) for m in _YEAR.finditer(text or "")}
    return years.pop() if len(years) == 1 else None
