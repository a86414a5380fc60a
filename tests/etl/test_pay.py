"""Pay-basis conversions: 2,080 hours a year, 80 a pay period, monthly = annual / 12."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl import pay

BASES = st.sampled_from(pay.PAY_BASES)
AMOUNTS = st.floats(min_value=0.01, max_value=1e7, allow_nan=False, allow_infinity=False)


def test_account_clerk_i_a_step_in_every_basis():
    # Sonoma Appendix A, range 1360 = $13.60 an hour at step A (Art. 3.2).
    assert pay.convert(13.60, "hourly", "annual") == pytest.approx(13.60 * 2080)
    assert pay.convert(13.60, "hourly", "biweekly") == pytest.approx(13.60 * 80)
    assert pay.convert(13.60, "hourly", "monthly") == pytest.approx(13.60 * 2080 / 12)
    assert pay.convert(13.60 * 2080, "annual", "hourly") == pytest.approx(13.60)
    assert pay.convert(13.60 * 80 * 26, "annual", "biweekly") == pytest.approx(13.60 * 80)


def test_rounding_to_the_cent_only_when_asked():
    assert pay.convert(15.36, "hourly", "monthly") == pytest.approx(15.36 * 2080 / 12)
    assert pay.convert(15.36, "hourly", "monthly", ndigits=2) == round(15.36 * 2080 / 12, 2)


def test_mendocino_biweekly_is_hourly_times_80():
    # Attachment B prints biweekly Step 1 = hourly x 80.
    assert pay.convert(14.88, "hourly", "biweekly", ndigits=2) == round(14.88 * 80, 2)


def test_units_per_year_and_series():
    assert (
        pytest.approx({"hourly": 2080, "biweekly": 26, "monthly": 12, "annual": 1})
        == pay.UNITS_PER_YEAR
    )
    s = pd.Series([10.0, 20.0], index=["a", "b"], name="rate")
    out = pay.convert_series(s, "hourly", "annual")
    assert out.tolist() == pytest.approx([10.0 * 2080, 20.0 * 2080])
    assert out.index.tolist() == ["a", "b"] and out.name == "rate"


def test_add_bases_keeps_the_source_column():
    df = pd.DataFrame({"monthly": [5000.0]})
    out = pay.add_bases(df, "monthly", "monthly")
    assert out["annual"].iloc[0] == 5000.0 * 12
    assert out["hourly"].iloc[0] == round(5000.0 * 12 / 2080, 2)
    assert out["monthly"].iloc[0] == 5000.0
    assert "annual" not in df  # the input is not changed


def test_unknown_basis_is_a_clear_error():
    with pytest.raises(ValueError, match="pay basis must be one of"):
        pay.convert(1.0, "hourly", "weekly")


@given(AMOUNTS, BASES, BASES)
def test_round_trip(amount, a, b):
    assert pay.convert(pay.convert(amount, a, b), b, a) == pytest.approx(amount, rel=1e-12)


@given(AMOUNTS, BASES, BASES, BASES)
def test_conversions_compose(amount, a, b, c):
    direct = pay.convert(amount, a, c)
    assert pay.convert(pay.convert(amount, a, b), b, c) == pytest.approx(direct, rel=1e-12)


@given(st.lists(AMOUNTS, min_size=1, max_size=20), BASES, BASES)
def test_series_matches_scalar(amounts, a, b):
    out = pay.convert_series(pd.Series(amounts), a, b)
    for x, y in zip(amounts, out, strict=True):
        assert math.isclose(y, pay.convert(x, a, b), rel_tol=1e-12)
