"""The one rounding rule (etl/rounding.py): half up on exact decimals, for every derived value."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.rawtext import RawDocument
from etl.rounding import round_half_up
from etl.sources.sonoma.parser import DOC, parse, step_rates

# Appendix A, unit 0001 (line 1862): A step 14.20 on 6/24/03.
TELEPHONE_OPERATOR = "0098\tTELEPHONE OPERATOR\t1372\t1420\t1470"


def half_up_cents(x: Fraction) -> Fraction:
    """An independent half-up to the cent on exact fractions (floor(100x + 1/2) / 100)."""
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


@pytest.fixture(scope="module")
def result():
    return parse(RAW_DIR, REFERENCE_DIR)


def test_ties_round_up():
    assert round_half_up(Decimal("14.555")) == Decimal("14.56")
    assert round_half_up(Decimal("14.545")) == Decimal("14.55")  # not to even (14.54)
    assert round_half_up(Decimal("1507.5"), 0) == 1508
    assert round_half_up(Decimal("1506.5"), 0) == 1507
    assert round_half_up(Decimal("14.554999")) == Decimal("14.55")


def test_floats_are_refused():
    # 14.20 * 1.025 as a float is 14.554999..., which round() takes down: the bug fixed here.
    assert round(14.20 * 1.025, 2) == 14.55
    with pytest.raises(TypeError):
        round_half_up(14.20 * 1.025)


def test_class_0098_step_b_on_6_24_03_is_a_cent_higher(result):
    assert RawDocument.load(RAW_DIR / DOC).find(TELEPHONE_OPERATOR) is not None
    (b,) = [
        r
        for r in result.salary_rates
        if r.class_code == "0098" and r.effective_date == date(2003, 6, 24) and r.step == "B"
    ]
    # 14.20 x 1.025 = 14.555 exactly; half up gives 14.56 (Python round() gave 14.55).
    assert Decimal("14.20") * Decimal("1.025") == Decimal("14.555")
    assert b.hourly == 14.56
    assert "rounded half up" in b.derivation


def test_every_derived_step_is_the_exact_product_rounded_half_up(result):
    a_steps = {
        (r.class_code, r.bargaining_unit, r.effective_date): r.hourly
        for r in result.salary_rates
        if r.step == "A"
    }
    ties = 0
    for r in result.salary_rates:
        k = "ABCDEFGHI".index(r.step)
        if k == 0:
            continue
        exact = Fraction(str(a_steps[(r.class_code, r.bargaining_unit, r.effective_date)]))
        exact *= Fraction(41, 40) ** k  # 1.025 = 41/40
        assert Fraction(str(r.hourly)) == half_up_cents(exact), (r.class_code, r.step)
        ties += (exact * 100).denominator == 2
    assert ties == 49  # exact half-cent products in the Sonoma schedules (40 were a cent low)


@given(st.integers(min_value=100, max_value=99_999), st.integers(min_value=0, max_value=8))
def test_step_rates_match_exact_half_up(cents, k):
    a = Fraction(cents, 100)
    got = step_rates(cents / 100)["ABCDEFGHI"[k]]
    assert Fraction(str(got)) == half_up_cents(a * Fraction(41, 40) ** k)


@given(st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False))
def test_round_half_up_is_within_half_a_cent_and_ties_go_up(value):
    out = round_half_up(value)
    assert out.as_tuple().exponent == -2
    diff = value - out
    assert Decimal("-0.005") <= diff < Decimal("0.005")
    if (value * 100) % 1 == Decimal("0.5"):
        assert out > value
