"""Time off as data: the derivations every agency shares, and the curated-file loader.

Hours per year are for a full-time employee: an accrual per pay period (or per N hours
worked) becomes hours a year over 2,080 hours in pay status, and a holiday or leave day is 8
hours. Each derived figure says so in its note ("derived: 3.079 h per pay period x 26 = ...").
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from etl.curated import load_curated, one_of, optional, parse_date
from etl.errors import SourceParseError
from etl.pay import HOURS_PER_DAY, HOURS_PER_PAY_PERIOD, HOURS_PER_YEAR, PAY_PERIODS_PER_YEAR
from etl.rawtext import RawDocument
from etl.records import TIME_OFF_KINDS, TimeOff
from etl.rounding import decimal_of

__all__ = [
    "HOURS_PER_DAY",
    "HOURS_PER_PAY_PERIOD",
    "accrual_per_year",
    "days_to_hours",
    "load_time_off",
    "time_off_row",
]


def time_off_row(agency: str, agreement_id: str, **kw) -> TimeOff:
    """A TimeOff row with the agency's ids, every unit, no service band, no cap and no date
    unless given."""
    base = dict(agency=agency, agreement_id=agreement_id, bargaining_unit=None)
    base |= dict(service_years_min=None, service_years_max=None, cap_hours=None)
    return TimeOff(**(base | {"effective_date": None} | kw))


def accrual_per_year(hours: float | str, per_hours: float | str) -> tuple[float, str]:
    """`hours` accrued per `per_hours` in pay status, as hours a year and the note saying so.
    Exact decimals: 3.079 x 26 is 80.054, not 80.05399999999999."""
    a, per = decimal_of(hours), decimal_of(per_hours)
    exact = a * HOURS_PER_YEAR / per
    if per == HOURS_PER_PAY_PERIOD:
        how = f"{_plain(a)} h per pay period × {PAY_PERIODS_PER_YEAR}"
    else:
        how = (
            f"{_plain(a)} h per {_plain(per)} hours worked × {_plain(HOURS_PER_YEAR)} hours "
            f"a year / {_plain(per)}"
        )
    return float(exact), f"derived: {how} = {_plain(exact)} h a year"


def days_to_hours(days: int | float | str) -> tuple[float, str]:
    """Leave stated in days, as hours (8 hours a full-time day) and the words for the note."""
    exact = decimal_of(days) * HOURS_PER_DAY
    return float(exact), f"derived: {_plain(decimal_of(days))} days × {HOURS_PER_DAY} h"


def _plain(x: Decimal | int) -> str:
    """3.0790 -> '3.079', 1040.0 -> '1,040'."""
    x = Decimal(x).normalize()
    return f"{int(x):,}" if x == x.to_integral_value() else f"{x:f}"


def _number(text: str) -> float:
    return float(text)


def load_time_off(path: Path, doc: RawDocument, agency: str, agreement_id: str) -> list[TimeOff]:
    """A curated time-off file. Columns: kind, bargaining_unit, service_years_min/max,
    hours_per_year (as printed) or accrual_hours + per_hours (derived), cap_hours (as printed)
    or cap_days (derived), effective_date, note, section, quote."""
    num = optional(_number)
    conv = {
        "kind": one_of(TIME_OFF_KINDS),
        "service_years_min": num,
        "service_years_max": num,
        "hours_per_year": num,
        "accrual_hours": num,
        "per_hours": num,
        "cap_hours": num,
        "cap_days": num,
        "effective_date": optional(parse_date),
    }
    rows = load_curated(path, doc, conv, required=("bargaining_unit", "note"))
    return [_record(r, agency, agreement_id, path.name) for r in rows]


def _record(r: dict, agency: str, agreement_id: str, name: str) -> TimeOff:
    notes = [r["note"].strip()]
    hours, cap = r["hours_per_year"], r["cap_hours"]
    if r["accrual_hours"] is not None:
        if hours is not None or r["per_hours"] is None:
            raise SourceParseError(
                f"data/reference/{name}",
                None,
                f"{r['section']}: accrual_hours needs per_hours and no hours_per_year",
                column="accrual_hours",
            )
        hours, how = accrual_per_year(r["accrual_hours"], r["per_hours"])
        notes.append(how)
    if r["cap_days"] is not None:
        if cap is not None:
            raise SourceParseError(
                f"data/reference/{name}",
                None,
                f"{r['section']}: give cap_hours or cap_days, not both",
                column="cap_days",
            )
        cap, how = days_to_hours(r["cap_days"])
        notes.append(f"cap {how}")
    return TimeOff(
        agency=agency,
        agreement_id=agreement_id,
        bargaining_unit=r["bargaining_unit"].strip() or None,
        kind=r["kind"],
        service_years_min=r["service_years_min"],
        service_years_max=r["service_years_max"],
        hours_per_year=hours,
        cap_hours=cap,
        effective_date=r["effective_date"],
        note="; ".join(n for n in notes if n),
        source=r["source"],
    )
