"""The biweekly pay-period calendar: 14-day pay periods, 26 to a costing year.

One definition for the ETL (dating an increase "in the first full pay period after"), the
costing engine (periods from a start date, fiscal years of 26 periods) and the app (is a
typed date a pay-period start?). A calendar is fixed by any one period start (its anchor).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from etl.pay import DAYS_PER_PAY_PERIOD, PAY_PERIODS_PER_YEAR

DAYS_PER_COSTING_YEAR = DAYS_PER_PAY_PERIOD * PAY_PERIODS_PER_YEAR  # 364


def add_months(d: date, months: int) -> date:
    """`d` moved by whole `months`, the day clamped to the month's last (Jan 31 + 1 month is
    Feb 28 or 29), as pandas' DateOffset(months=) moves it."""
    total = d.year * 12 + d.month - 1 + int(months)
    year, month = divmod(total, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def whole_months(since: date, until: date) -> int:
    """Whole months from `since` to `until`: a month counts once its day of the month is
    reached (Mar 15 -> Apr 14 is 0, -> Apr 15 is 1); negative when `until` is earlier."""
    return (until.year - since.year) * 12 + until.month - since.month - (until.day < since.day)


def period_start(d: date, anchor: date) -> date:
    """The start of the pay period containing `d` on the calendar through `anchor`."""
    return d - timedelta(days=(d - anchor).days % DAYS_PER_PAY_PERIOD)


def first_full_period_after(d: date, anchor: date) -> date:
    """The pay period that begins after, and does not include, `d`."""
    return period_start(d, anchor) + timedelta(days=DAYS_PER_PAY_PERIOD)


def first_full_period_in(year: int, month: int, anchor: date) -> date:
    """The start of the first pay period lying wholly inside the month."""
    first = date(year, month, 1)
    start = period_start(first, anchor)
    return start if start == first else start + timedelta(days=DAYS_PER_PAY_PERIOD)


def end_of(start: date, years: int) -> date:
    """The last day of `years` costing years of 26 periods from `start`."""
    return start + timedelta(days=years * DAYS_PER_COSTING_YEAR - 1)


def fiscal_year_label(d: date) -> str:
    """The July-June fiscal year a date falls in: 'FY2004-05'."""
    fy0 = d.year if d.month >= 7 else d.year - 1
    return f"FY{fy0}-{(fy0 + 1) % 100:02d}"


@dataclass(frozen=True)
class PayCalendar:
    """Biweekly pay periods from `start`; costing years of 26 periods (364 days), so period
    starts drift a day a year against the calendar and no 27th period is ever costed."""

    start: date
    years: int

    @property
    def periods(self) -> int:
        return self.years * PAY_PERIODS_PER_YEAR

    @property
    def starts(self) -> np.ndarray:
        first = np.datetime64(self.start, "D")
        return first + np.arange(self.periods) * np.timedelta64(DAYS_PER_PAY_PERIOD, "D")

    @property
    def end(self) -> date:
        return end_of(self.start, self.years)

    def first_period_on_or_after(self, d: date) -> int:
        """Index of the first period starting on/after d (0 if d precedes the horizon,
        `periods` if it follows it)."""
        return int(np.searchsorted(self.starts, np.datetime64(d, "D"), side="left"))

    def labels(self) -> list[str]:
        """Each costing year by the July-June fiscal year holding most of it (its middle
        day): a year from 2004-06-22 to 2005-06-20 is FY2004-05, not FY2003-04."""
        half = timedelta(days=DAYS_PER_COSTING_YEAR // 2)
        return [fiscal_year_label(s + half) for s in self.year_starts()]

    def year_starts(self) -> list[date]:
        return [self.start + timedelta(days=DAYS_PER_COSTING_YEAR * y) for y in range(self.years)]


def off_calendar_hint(schedule_dates: list[date], start: date) -> str | None:
    """A warning when `start` is off the 14-day calendar that most of an agency's schedule
    dates follow (schedules take effect on pay-period starts), naming the nearest period
    starts; None when it is on it or nothing can be inferred."""
    days = sorted(set(schedule_dates))
    if len(days) < 2:
        return None
    groups: dict[int, list[date]] = {}
    for d in days:
        groups.setdefault(d.toordinal() % DAYS_PER_PAY_PERIOD, []).append(d)
    _, members = max(groups.items(), key=lambda kv: (len(kv[1]), max(kv[1])))
    if len(members) < 2:
        return None
    before = period_start(start, members[0])
    if before == start:
        return None
    after = before + timedelta(days=DAYS_PER_PAY_PERIOD)
    shown = ", ".join(f"{d:%m/%d/%Y}" for d in members[:3])
    return (
        f"{start:%m/%d/%Y} is not a pay-period start on the 14-day calendar the schedules "
        f"follow ({shown}). Period starts nearby: {before:%m/%d/%Y} and {after:%m/%d/%Y}. "
        "Costing counts 26 periods a year from the start you give, and an increase takes "
        "effect from the first period starting on or after its date."
    )
