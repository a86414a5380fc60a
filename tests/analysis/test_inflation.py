"""Real dollars from the bundled BLS CPI, checked against the `cpi` package directly."""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import inflation
from analysis.inflation import SF_SERIES, US_SERIES

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="CPI data is out of date")
    import cpi


def cpi_get(month: date, series: str = SF_SERIES) -> float:
    """The published value straight from the package (raises if BLS published none)."""
    return cpi.get(month, series_id=series)


def test_published_month_matches_the_package():
    value, method = inflation.index_value(date(2005, 4, 1))
    assert (value, method) == (cpi_get(date(2005, 4, 1)), "published")
    assert value == 202.5  # BLS CUURS49BSA0, April 2005
    # Any day of the month is that month.
    assert inflation.index_value("2005-04-17") == (202.5, "published")
    assert inflation.index_value(date(2005, 4, 1), US_SERIES)[0] == cpi_get(
        date(2005, 4, 1), US_SERIES
    )


def test_odd_month_is_interpolated_between_its_neighbours():
    # The San Francisco index was published every other month in 2005: no March value.
    with pytest.raises(cpi.errors.CPIObjectDoesNotExist):
        cpi_get(date(2005, 3, 1))
    feb, apr = cpi_get(date(2005, 2, 1)), cpi_get(date(2005, 4, 1))
    assert (feb, apr) == (201.2, 202.5)
    value, method = inflation.index_value("2005-03")
    assert method == "interpolated"
    assert value == pytest.approx((201.2 + 202.5) / 2)


def test_longer_gap_is_interpolated_linearly():
    # October 2025 was never published (Aug and Dec were): Sep, Oct, Nov are a straight line.
    aug, dec = cpi_get(date(2025, 8, 1)), cpi_get(date(2025, 12, 1))
    assert inflation.index_value("2025-10") == (
        pytest.approx(aug + (dec - aug) * 2 / 4),
        "interpolated",
    )
    assert inflation.index_value("2025-09")[0] == pytest.approx(aug + (dec - aug) * 1 / 4)
    assert inflation.published_neighbours("2025-10") == (date(2025, 8, 1), date(2025, 12, 1))
    assert "interpolated between Aug 2025 = 357.992 and Dec 2025 = 358.568" in (
        inflation.describe("2025-10")
    )


def test_range_and_outside_months():
    first, last = inflation.available_range()
    assert first == date(1914, 12, 1)
    assert last == inflation.latest_month() == cpi.series.get_by_id(SF_SERIES).latest_month
    with pytest.raises(ValueError, match="outside that range"):
        inflation.index_value(pd.Period(last, freq="M") + 1)
    with pytest.raises(ValueError, match="has values from Dec 1914"):
        inflation.index_value("1900-01")
    with pytest.raises(ValueError, match="CPI series must be one of"):
        inflation.index_value("2005-04", "CUUR0000XX")
    with pytest.raises(ValueError, match="not a month"):
        inflation.index_value("April")


def test_adjust_matches_the_package_for_published_months():
    got = inflation.adjust(100.0, date(2005, 4, 1), date(2016, 8, 1))
    assert got == pytest.approx(100.0 * cpi_get(date(2016, 8, 1)) / 202.5)
    expected = cpi.inflate(100.0, date(2005, 4, 1), to=date(2016, 8, 1), series_id=SF_SERIES)
    assert got == pytest.approx(expected)


def test_adjust_series_adds_real_columns_and_methods():
    df = pd.DataFrame(
        {"effective_date": [date(2005, 4, 1), date(2005, 3, 15)], "annual": [40000.0, 40000.0]}
    )
    out = inflation.adjust_series(df, "annual", "effective_date", "2016-08")
    to = cpi_get(date(2016, 8, 1))
    assert out["annual_real"].tolist() == pytest.approx(
        [40000.0 * to / 202.5, 40000.0 * to / ((201.2 + 202.5) / 2)]
    )
    assert out["cpi_from_method"].tolist() == ["published", "interpolated"]
    assert out["cpi_to_method"].unique().tolist() == ["published"]
    assert out.attrs["label"].startswith("real dollars of Aug 2016, CPI-U San Francisco")
    assert "annual_real" not in df
    with pytest.raises(ValueError, match="outside that range"):
        inflation.adjust_series(
            df.assign(effective_date=date(1900, 1, 1)), "annual", "effective_date"
        )


def test_label():
    assert inflation.label(SF_SERIES, "2026-08") == (
        "real dollars of Aug 2026, CPI-U San Francisco–Oakland–Hayward (BLS CUURS49BSA0)"
    )
    assert inflation.label(US_SERIES, date(2005, 3, 1)) == (
        "real dollars of Mar 2005, CPI-U U.S. city average (BLS CUUR0000SA0)"
    )
    assert inflation.label(SF_SERIES, "2005-03") == (
        "real dollars of Mar 2005 (index interpolated between Feb 2005 and Apr 2005), "
        "CPI-U San Francisco–Oakland–Hayward (BLS CUURS49BSA0)"
    )


def test_annual_average_is_the_published_one():
    assert inflation.annual_average(2005) == cpi.get(2005, series_id=SF_SERIES)
    with pytest.raises(ValueError, match="annual averages"):
        inflation.annual_average(1800)


def test_loaded_once_and_quietly():
    assert inflation.load(SF_SERIES) is inflation.load(SF_SERIES)
    code = "from analysis import inflation; inflation.index_value('2005-03')"
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


MONTHS = st.dates(min_value=date(1987, 1, 1), max_value=date(2026, 8, 1))


@settings(max_examples=50, deadline=None)
@given(MONTHS)
def test_interpolated_values_lie_between_published_neighbours(day):
    value, method = inflation.index_value(day)
    lo, hi = inflation.published_neighbours(day)
    lo_v, hi_v = inflation.index_value(lo)[0], inflation.index_value(hi)[0]
    assert min(lo_v, hi_v) <= value <= max(lo_v, hi_v)
    assert (method == "published") == (lo == hi)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=1, max_value=1e6), MONTHS, MONTHS)
def test_adjust_round_trip(amount, a, b):
    assert inflation.adjust(inflation.adjust(amount, a, b), b, a) == pytest.approx(amount)
