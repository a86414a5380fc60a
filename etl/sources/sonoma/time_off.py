"""Sonoma time off: the 13.1 holiday list and the 14.3 / 14.4 vacation accrual tables are
parsed here; the prose leaves (floating and eve hours, sick leave, compassionate, court, jury,
voting, blood donation, moving leave, compensatory time) come from the curated
data/reference/sonoma_time_off.csv, whose quotes fix the cited lines.

Vacation accrues per 80 in-service hours (one full-time pay period), so hours a year are the
rate x 26, marked derived. Bands are "years of completed full-time service", printed with
their in-service hour limits; consecutive bands must meet (hours 0.1 apart), else the table
was not read as printed.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, normalize_ws
from etl.records import SourceRef, TimeOff
from etl.rounding import decimal_of
from etl.sources.sonoma.appendix import AGENCY, AGREEMENT_ID, DOC
from etl.time_off import (
    HOURS_PER_PAY_PERIOD,
    accrual_per_year,
    days_to_hours,
    load_time_off,
    time_off_row,
)

TIME_OFF_CSV = "sonoma_time_off.csv"
SUPERVISORY_UNIT = "0095"  # "General Supervisory Bargaining Unit" (8.21.2: "Supervisory 95")

_HOLIDAY = re.compile(r"^\(\s*(\d+)\)\s+(.+)$")
_BAND = re.compile(
    r"^(?P<lo>\d+) (?:through (?P<hi>\d+)|or greater) (?P<h_lo>\d+\.\d) "
    r"(?:to (?P<h_hi>\d+\.\d)|or more) (?P<rate>\d+\.\d\d) (?P<cap>\d+)$"
)
TABLES = (
    ("14.3", "14.3\tVacation - Accrual Rates - Non-Supervisory Unit", "non-supervisory"),
    ("14.4", "14.4\tVacation - Accrual Rates - Supervisory Unit", "supervisory"),
)


def parse(doc: RawDocument, reference_dir: Path, units: list[str]) -> list[TimeOff]:
    """Every Sonoma time-off row; `units` are the agreement's bargaining units."""
    rows = holidays(doc)
    # The table of contents repeats the headings; the body's come after the 13.1 list.
    body, _ = doc.require("Scheduled holidays are as follows:", context="13.1")
    for section, heading, which in TABLES:
        start, _ = doc.require(heading, start_line=body, context=section)
        if which == "supervisory":
            targets = [SUPERVISORY_UNIT]
        else:
            targets = [u for u in units if u != SUPERVISORY_UNIT]
        rows += vacation(doc, start, section, targets)
    return rows + load_time_off(reference_dir / TIME_OFF_CSV, doc, AGENCY, AGREEMENT_ID)


def _row(**kw) -> TimeOff:
    return time_off_row(AGENCY, AGREEMENT_ID, **kw)


def holidays(doc: RawDocument) -> list[TimeOff]:
    """13.1: the numbered fixed holidays (8 hours each, 13.5.1) and the Governor's days."""
    intro, _ = doc.require("Scheduled holidays are as follows:", context="13.1")
    items: list[tuple[int, int, str]] = []  # (number, line, text)
    n = intro + 1
    while m := _HOLIDAY.match(doc.line(n).strip()):
        items.append((int(m.group(1)), n, m.group(2).strip()))
        n += 1
    governor = [line for _, line, text in items if "appointed by the Governor" in text]
    fixed = [text for _, _, text in items if "appointed by the Governor" not in text]
    if [k for k, _, _ in items] != list(range(1, len(items) + 1)) or len(governor) != 1:
        raise SourceParseError(doc.name, intro, "13.1: the holiday list is not numbered 1..N")
    hours, how = days_to_hours(len(fixed))
    note = (
        f"{len(fixed)} fixed paid holidays: {'; '.join(fixed)}. Hours {how} (13.5.1: 8 hours "
        "for a full-time employee; part-time get 1/10 hour per scheduled hour, 3.2 to 8 hours, "
        "13.6). Pay needs pay status on the scheduled workdays before and after. Disposal "
        "Workers and Disposal Supervisor observe Easter Sunday instead of Martin Luther King's "
        "Birthday (13.3)"
    )
    extra = (
        "Each day appointed by the Governor and recognized by the Board of Supervisors as a day "
        "of mourning, thanksgiving or special observance: paid as a holiday; how many is not "
        "fixed, so no hours"
    )
    return [
        _row(kind="holiday", hours_per_year=hours, note=note, source=SourceRef(DOC, intro, "13.1")),
        _row(
            kind="holiday",
            hours_per_year=None,
            note=extra,
            source=SourceRef(DOC, governor[0], "13.1 (12)"),
        ),
    ]


def vacation(doc: RawDocument, start: int, section: str, units: list[str]) -> list[TimeOff]:
    """One table's bands (the rows after its heading), one row per band x unit."""
    n = start + 1
    while not _BAND.match(normalize_ws(doc.line(n))):
        n += 1
        if n > start + 20:  # the heading, a sentence and a four-line column header
            raise SourceParseError(doc.name, start, f"{section}: no accrual table rows")
    bands = []
    while m := _BAND.match(normalize_ws(doc.line(n))):
        bands.append((n, m))
        n += 1
    _check_bands(doc, section, bands)
    out = []
    for line, m in bands:
        hours, how = accrual_per_year(m["rate"], HOURS_PER_PAY_PERIOD)
        span = f"{m['h_lo']} to {m['h_hi']}" if m["h_hi"] else f"{m['h_lo']} or more"
        years = f"{m['lo']} through {m['hi']}" if m["hi"] else f"{m['lo']} or greater"
        note = (
            f"Vacation, {years} years of completed full-time service ({span} in-service hours): "
            f"{m['rate']} h per 80 in-service hours, {how}; maximum accumulation {m['cap']} h. "
            "Reduced for unpaid time; part-time prorated (14.2); extra-help excluded (14.11)"
        )
        for unit in units:
            out.append(
                _row(
                    bargaining_unit=unit,
                    kind="vacation",
                    service_years_min=float(m["lo"]),
                    service_years_max=float(m["hi"]) if m["hi"] else None,
                    hours_per_year=hours,
                    cap_hours=float(m["cap"]),
                    note=note,
                    source=SourceRef(DOC, line, section),
                )
            )
    return out


def _check_bands(doc: RawDocument, section: str, bands: list) -> None:
    """Bands run from 0 with no gap: each starts where the last ended (years), 0.1 in-service
    hour later (hours), and only the last is open-ended."""
    if not bands or bands[0][1]["lo"] != "0":
        raise SourceParseError(doc.name, None, f"{section}: the table does not start at 0")
    for (_, prev), (line, cur) in zip(bands, bands[1:], strict=False):
        gap = decimal_of(cur["h_lo"]) - decimal_of(prev["h_hi"] or "0")
        if prev["hi"] != cur["lo"] or gap != decimal_of("0.1"):
            raise SourceParseError(doc.name, line, f"{section}: band does not follow the last")
    if bands[-1][1]["hi"] is not None:
        raise SourceParseError(doc.name, bands[-1][0], f"{section}: the last band is closed")
