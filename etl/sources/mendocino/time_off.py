"""Mendocino time off: the 12.1 holiday list and the 13.1 vacation table are parsed here; the
prose leaves (sick, wellness, bereavement, personal, voluntary time off, flexible and
compensatory time, jury and witness leave) come from data/reference/mendocino_time_off.csv.

The vacation table prints the rate per pay period and, beside it, annual hours, days and weeks
that are rounded (3.079 x 26 = 80.054, printed 80). Hours a year are derived from the rate
(the exact figure) and the printed annual hours are checked against it and quoted in the note.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, normalize_ws
from etl.records import SourceRef, TimeOff
from etl.sources.mendocino.tables import AGENCY, AGREEMENT_ID, DOC, strip_markup
from etl.time_off import (
    HOURS_PER_DAY,
    HOURS_PER_PAY_PERIOD,
    accrual_per_year,
    days_to_hours,
    load_time_off,
    time_off_row,
)

TIME_OFF_CSV = "mendocino_time_off.csv"
HOURS_PER_WEEK = 5 * HOURS_PER_DAY  # the table's "weeks" columns

_BAND = re.compile(
    r"^(?P<gt>>?)(?P<lo>\d+)(?: to (?P<hi>\d+))? (?P<rate>\d+\.\d{3}) (?P<hrs>\d+) (?P<days>\d+) "
    r"(?P<weeks>\d+) (?P<max_hrs>\d+) (?P<max_days>\d+) (?P<max_weeks>\d+)$"
)
# A printed annual figure may differ from rate x 26 by rounding only.
ROUNDING_SLACK = 0.5


def parse(doc: RawDocument, reference_dir: Path) -> list[TimeOff]:
    """Every Mendocino time-off row."""
    rows = holidays(doc) + vacation(doc)
    return rows + load_time_off(reference_dir / TIME_OFF_CSV, doc, AGENCY, AGREEMENT_ID)


def _row(**kw) -> TimeOff:
    return time_off_row(AGENCY, AGREEMENT_ID, **kw)


def holidays(doc: RawDocument) -> list[TimeOff]:
    """12.1: one "<date>\\t<name>" line per holiday, then the designated-days sentence."""
    intro, _ = doc.require("The following are paid holidays.", context="12.1")
    extra, _ = doc.require("Any additional days designated by the President", start_line=intro)
    names = []
    for n in range(intro + 1, extra):
        text = doc.line(n)
        if not text.strip():
            continue
        if "\t" not in text:
            raise SourceParseError(doc.name, n, f"12.1: not a holiday line: {text!r}")
        names.append(normalize_ws(strip_markup(text.split("\t")[-1])))
    if not names:
        raise SourceParseError(doc.name, intro, "12.1: no holidays listed")
    hours, how = days_to_hours(len(names))
    note = (
        f"{len(names)} paid holidays at regular pay for permanent full-time and part-time "
        f"employees: {'; '.join(names)}. Hours {how} (a full-time day). Weekend holidays move "
        "to the Friday before or the Monday after (12.2); pay needs pay status the workday "
        "before or after (12.6)"
    )
    designated = (
        "Any additional days designated by the President or the Governor and recognized by the "
        "Board of Supervisors as a holiday, day of thanksgiving or public mourning: how many is "
        "not fixed, so no hours"
    )
    return [
        _row(kind="holiday", hours_per_year=hours, note=note, source=SourceRef(DOC, intro, "12.1")),
        _row(
            kind="holiday",
            hours_per_year=None,
            note=designated,
            source=SourceRef(DOC, extra, "12.1"),
        ),
    ]


def vacation(doc: RawDocument) -> list[TimeOff]:
    """13.1.A table: one row per service band, checked against the 13.1.A prose rates."""
    prose, _ = doc.require(
        "shall be credited with forty (40) hours of paid vacation", context="13.1.A"
    )
    header, _ = doc.require("Years of pay Service", start_line=prose, context="13.1 table")
    n = header + 1
    while not _BAND.match(normalize_ws(doc.line(n))):
        n += 1
        if n > header + 5:  # two more column-header lines, then the bands
            raise SourceParseError(doc.name, header, "13.1: no vacation bands under the header")
    out = []
    while m := _BAND.match(normalize_ws(doc.line(n))):
        _check(doc, n, m, doc.line(prose))
        out.append(_band(n, m))
        n += 1
    if len(out) != 4 or out[-1].service_years_max is not None:
        raise SourceParseError(doc.name, header, f"13.1: {len(out)} bands read, expected 4")
    return out


def _check(doc: RawDocument, n: int, m: re.Match[str], prose: str) -> None:
    hours, _ = accrual_per_year(m["rate"], HOURS_PER_PAY_PERIOD)
    ok = (
        m["rate"] in prose
        and abs(hours - int(m["hrs"])) <= ROUNDING_SLACK
        and int(m["hrs"]) == int(m["days"]) * HOURS_PER_DAY == int(m["weeks"]) * HOURS_PER_WEEK
        and int(m["max_hrs"]) == int(m["max_days"]) * HOURS_PER_DAY
        and int(m["max_hrs"]) == int(m["max_weeks"]) * HOURS_PER_WEEK
    )
    if not ok:
        raise SourceParseError(doc.name, n, f"13.1: band {m.group(0)!r} does not add up")


def _band(n: int, m: re.Match[str]) -> TimeOff:
    hours, how = accrual_per_year(m["rate"], HOURS_PER_PAY_PERIOD)
    years = f"{'over ' if m['gt'] else ''}{m['lo']}" + (f" to {m['hi']}" if m["hi"] else "")
    note = (
        f"Vacation for permanent full-time employees, {years} years of service: {m['rate']} h "
        f"per pay period, {how} (the table prints {m['hrs']} hours, {m['days']} days, "
        f"{m['weeks']} weeks a year); maximum accrual {m['max_hrs']} h (13.3; limits waived "
        "during paid sick leave, 13.4). Part-time (20+ hours a week) prorated (13.1.B)"
    )
    if m["lo"] == "0":
        note += (
            ". The first 40 hours are credited at once after 13 pay periods of service, and "
            f"{m['rate']} h per pay period accrue after that (13.1.A)"
        )
    return _row(
        kind="vacation",
        service_years_min=float(m["lo"]),
        service_years_max=float(m["hi"]) if m["hi"] else None,
        hours_per_year=hours,
        cap_hours=float(m["max_hrs"]),
        note=note,
        source=SourceRef(DOC, n, "13.1"),
    )
