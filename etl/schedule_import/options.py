"""How to read an imported salary table: the options a user gives (CLI flags, the app's form),
checked, and kept with the files as JSON (etl.schedule_import.stored.Imported.options) so
every build reads the files the same way.

    agency                the agency the schedule belongs to (required)
    title, union          of the agreement (default: "<agency> salary schedule (imported)")
    effective             YYYY-MM-DD: the date of every pay column not dated by the mapping;
                          required unless every pay column is dated
    period                hourly | biweekly | monthly | annual, when no header says it
    mapping               ["FIELD=HEADER", ...]: FIELD is class_code, class_title, step, grade,
                          unit (the bargaining unit or group each row belongs to), row_date
                          (a column of the date each row's pay took effect), pay,
                          pay@YYYY-MM-DD (a pay column for one date), or ignore (a column
                          not to read, e.g. one the reader proposed)
    sheets                the workbook sheets to read (a grade chart and a class list may be
                          two sheets of one workbook)
    steps                 the steps in order, bottom to top ("A,B,C" or a list)
    months_between_steps  full-time months at each step before the next advance
    first_step_months     months at the hire step before the first advance (default: the same)
    steps_per_advance     steps gained at each advance (default 1)
    hire_step             where a new hire starts (default: the first step)
    term_start, term_end  the agreement's term (default: the first to the last effective date)
    fiscal_year_start     MM-DD: the first day of a fiscal year a heading or label names
                          ("FY 2024-25" -> 2024-07-01 by default)
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from datetime import date
from typing import Any

from etl import agency_names, cells, defaults, pay
from etl.errors import Problem

FIELDS = ("class_code", "class_title", "step", "grade", "unit", "row_date", "pay", "ignore")
DEFAULT_FISCAL_YEAR_START = (7, 1)
MAX_MONTHS_BETWEEN_STEPS = 120  # ten years at one step is a typo, not a rule
_KEYS = (
    "agency",
    "title",
    "union",
    "effective",
    "period",
    "mapping",
    "sheets",
    "steps",
    "months_between_steps",
    "first_step_months",
    "steps_per_advance",
    "hire_step",
    "term_start",
    "term_end",
    "fiscal_year_start",
)
_MAP = re.compile(r"^\s*([a-z_]+)(?:@([^=]*))?\s*=(.*)$", re.S)


@dataclass(frozen=True)
class Mapped:
    """One column named by the user: FIELD (with a date for pay@DATE) = HEADER."""

    field: str
    header: str
    date: date | None = None

    @property
    def label(self) -> str:
        return f"pay@{self.date.isoformat()}" if self.date else self.field

    def __str__(self) -> str:
        return f"{self.label}={self.header}"


@dataclass(frozen=True)
class Options:
    agency: str
    title: str | None = None
    union: str | None = None
    effective: date | None = None
    period: str | None = None
    mapping: tuple[Mapped, ...] = ()
    sheets: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    months_between_steps: float | None = None
    first_step_months: float | None = None
    steps_per_advance: int | None = None
    hire_step: str | None = None
    term_start: date | None = None
    term_end: date | None = None
    fiscal_year_start: str | None = None  # MM-DD

    @property
    def fiscal_start(self) -> tuple[int, int]:
        """(month, day) a fiscal year begins."""
        if not self.fiscal_year_start:
            return DEFAULT_FISCAL_YEAR_START
        month, day = self.fiscal_year_start.split("-")
        return int(month), int(day)

    def to_dict(self) -> dict:
        """JSON-safe, in the form `parse` reads (only what was given)."""
        out: dict[str, Any] = {}
        for key in _KEYS:
            v = getattr(self, key)
            if v is None or v == ():
                continue
            if key == "mapping":
                v = [str(m) for m in v]
            elif isinstance(v, date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            out[key] = v
        return out

    def mapped(self, field: str) -> list[Mapped]:
        return [m for m in self.mapping if m.field == field]


def parse_mapping(text: str) -> Mapped:
    """'pay@2024-07-01=2024 monthly pay' -> Mapped; CellError saying the form otherwise."""
    m = _MAP.match(str(text))
    if not m:
        raise cells.CellError(f"{text!r} is not FIELD=HEADER (e.g. class_title=Job Title)")
    field, when, header = m.group(1), m.group(2), cells.text(m.group(3))
    if field not in FIELDS:
        raise cells.CellError(
            f"{field!r} is not a field; use one of {', '.join(FIELDS)}, or pay@YYYY-MM-DD"
        )
    if when is not None and field != "pay":
        raise cells.CellError(f"only pay takes a date (pay@YYYY-MM-DD), not {field}")
    if not header:
        raise cells.CellError(f"{text!r} names no header after '='")
    day = _iso(when) if when is not None else None
    return Mapped(field, header, day)


def _iso(value: Any) -> date:
    s = value.strip() if isinstance(value, str) else value
    if isinstance(s, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
        raise cells.CellError(f"{s!r} is not a date in the form YYYY-MM-DD")
    return cells.date_value(s)


def _listed(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [v for v in (p.strip() for p in value.split(",")) if v]
    if isinstance(value, list | tuple):
        return list(value)
    raise cells.CellError(f"{value!r} is not a list")


def _months(value: Any) -> float:
    x = cells.number(value)
    if not 0 < x <= MAX_MONTHS_BETWEEN_STEPS:
        raise cells.CellError(f"{x:g} months is not between 0 and {MAX_MONTHS_BETWEEN_STEPS}")
    return x


def _period(value: Any) -> str:
    s = cells.text(value).lower()
    if s not in pay.PAY_BASES:
        raise cells.CellError(f"{s!r} is not one of {', '.join(pay.PAY_BASES)}")
    return s


def _month_day(value: Any) -> str:
    s = cells.text(value)
    m = re.fullmatch(r"([0-9]{1,2})-([0-9]{1,2})", s)
    if not m:
        raise cells.CellError(f"{s!r} is not a month and day in the form MM-DD (e.g. 07-01)")
    month, day = int(m.group(1)), int(m.group(2))
    try:
        date(2000, month, day)  # a leap year: 02-29 is a day a fiscal year can start
    except ValueError:
        raise cells.CellError(f"{s!r} is not a day of the year") from None
    return f"{month:02d}-{day:02d}"


def _step_label(value: Any) -> str:
    from etl.schedule_import.headers import step_name

    return step_name(value)


def _agency(value: Any) -> str:
    """The agency typed; one that names a published agency ("sonoma  county" for Sonoma) is
    that agency, as its agreements spell it: the warehouse never holds one county under two
    names (etl/agency_names.py decides what is the same agency)."""
    from etl.registry import PUBLISHED

    typed = cells.text(value, defaults.MAX_NAME, "the agency")
    return agency_names.resolve_typed(typed, [e.agency for e in PUBLISHED]) or typed


_READERS = {
    "agency": _agency,
    "title": lambda v: cells.text(v, defaults.MAX_TEXT, "the title") or None,
    "union": lambda v: cells.text(v, defaults.MAX_NAME, "the union") or None,
    "effective": _iso,
    "period": _period,
    "months_between_steps": _months,
    "first_step_months": _months,
    "hire_step": _step_label,
    "term_start": _iso,
    "term_end": _iso,
    "fiscal_year_start": _month_day,
}


def parse(raw: MappingABC[str, Any]) -> tuple[Options, list[Problem]]:
    """Options from a dict (stored JSON, or the CLI's flags), with every problem found; the
    Options returned leave out what could not be read."""
    problems: list[Problem] = []
    got: dict[str, Any] = {}

    def bad(key: str, message: str) -> None:
        problems.append(Problem(None, None, f"option {key!r}: {message}"))

    for key in raw:
        if key not in _KEYS:
            bad(key, f"unknown option; the options are {', '.join(_KEYS)}")
    for key, read in _READERS.items():
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            got[key] = read(value)
        except cells.CellError as exc:
            bad(key, str(exc))
    got.update(_lists(raw, bad))
    if not got.get("agency"):
        if not any(p.message.startswith("option 'agency'") for p in problems):
            bad("agency", "give the agency the schedule belongs to")
        got["agency"] = ""
    _check_rule(got, bad)
    if got.get("term_start") and got.get("term_end") and got["term_end"] < got["term_start"]:
        bad("term_end", f"{got['term_end']} is before term_start {got['term_start']}")
    return Options(**got), problems


def _lists(raw: MappingABC[str, Any], bad) -> dict[str, Any]:
    got: dict[str, Any] = {}
    for key, read in (("mapping", parse_mapping), ("sheets", cells.text), ("steps", _step_label)):
        value = raw.get(key)
        if value in (None, "", [], ()):
            continue
        try:
            items = _listed(value) if key != "mapping" or not isinstance(value, str) else [value]
        except cells.CellError as exc:
            bad(key, str(exc))
            continue
        out = []
        for item in items:
            try:
                out.append(read(item))
            except cells.CellError as exc:
                bad(key, str(exc))
        if key == "steps" and len(set(out)) != len(out):
            bad(key, f"a step is listed twice: {', '.join(out)}")
        got[key] = tuple(out)
    value = raw.get("steps_per_advance")
    if value not in (None, ""):
        try:
            n = cells.integer(value)
            if n < 1:
                raise cells.CellError(f"{n} is less than 1")
            got["steps_per_advance"] = n
        except cells.CellError as exc:
            bad("steps_per_advance", str(exc))
    return got


def _check_rule(got: dict[str, Any], bad) -> None:
    steps = got.get("steps") or ()
    hire = got.get("hire_step")
    if hire and steps and hire not in steps:
        bad("hire_step", f"{hire!r} is not one of the steps {', '.join(steps)}")
    per = got.get("steps_per_advance")
    if per and steps and per >= len(steps) > 1:
        bad("steps_per_advance", f"{per} steps per advance skips the whole range {steps}")
    fields = [m.label for m in got.get("mapping", ()) if m.field != "ignore"]
    for label in dict.fromkeys(fields):
        if fields.count(label) > 1:
            bad("mapping", f"{label} is mapped to more than one header")
    headers = [m.header.casefold() for m in got.get("mapping", ())]
    for h in dict.fromkeys(headers):
        if headers.count(h) > 1:
            bad("mapping", f"the header {h!r} is mapped to more than one field")
