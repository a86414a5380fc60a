"""etl.pay_calendar.add_months: whole months, the day clamped to the month's end."""

from datetime import date

import pandas as pd
import pytest

from etl.pay_calendar import add_months


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
