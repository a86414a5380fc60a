"""etl.pay_calendar.add_months: whole months, the day clamped to the month's end."""

from datetime import date

import pandas as pd
import pytest

from etl.pay_calendar import add_months, whole_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: clamped to the 29th
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),  # across a year
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),  # an anniversary of Feb 29
        (date(2024, 5, 31), 0, date(2024, 5, 31)),
    ],
)
def test_add_months_clamps_the_day_to_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_moves_dates_as_pandas_dateoffset_does():
    # The trajectory used DateOffset(months=n); the plain version must date every month alike.
    starts = pd.date_range("2019-01-01", "2021-12-31", freq="7D").date
    for start in starts:
        for n in (-25, -1, 1, 11, 12, 59, 180):
            assert add_months(start, n) == (pd.Timestamp(start) + pd.DateOffset(months=n)).date()


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (date(2024, 3, 15), date(2024, 4, 14), 0),  # the day not reached yet
        (date(2024, 3, 15), date(2024, 4, 15), 1),
        (date(2020, 7, 1), date(2024, 6, 30), 47),
        (date(2020, 7, 1), date(2024, 7, 1), 48),
        (date(2024, 3, 15), date(2024, 3, 1), -1),  # earlier: negative
        (date(2024, 1, 31), date(2024, 2, 29), 0),  # the 31st is never reached in February
    ],
)
def test_whole_months_count_a_month_once_its_day_is_reached(since, until, expected):
    assert whole_months(since, until) == expected


def test_whole_months_undo_add_months():
    for since in pd.date_range("2019-01-01", "2020-12-31", freq="5D").date:
        for n in (0, 1, 6, 13, 42):
            moved = add_months(since, n)
            assert whole_months(since, moved) == (n if moved.day == since.day else n - 1)
