"""The one parser of user-typed cells: hostile examples and properties."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl import cells
from etl.cells import CellError
from etl.defaults import EARLIEST_DATE, LATEST_DATE, MAX_TEXT

# Numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        (" 12 ", 12.0),
        ("-3.5", -3.5),
        ("+3.5", 3.5),
        ("1,234", 1234.0),
        ("1,234,567.25", 1234567.25),
        (".5", 0.5),
        ("5.", 5.0),
        ("1.5e3", 1500.0),
        ("2E-2", 0.02),
        ("-0", 0.0),
    ],
)
def test_numbers_as_spreadsheets_write_them(text, value):
    assert cells.number(text) == value


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1_000", "underscores"),
        ("１２", "digits 0-9"),
        ("٣", "digits 0-9"),
        ("१२", "digits 0-9"),
        ("NaN", "not a number"),
        ("nan", "not a number"),
        ("inf", "not a number"),
        ("-Infinity", "not a number"),
        ("1e309", "too large"),
        ("9" * 400, "too large"),
        ("1,23", "decimal comma"),
        ("12,34,567", "groups of three"),
        ("1,2345", "groups of three"),
        ("12 345", "not a number"),
        ("0x1F", "not a number"),
        ("1e", "not a number"),
        ("--5", "not a number"),
        ("=1+1", "not a number"),
        ("", "blank"),
        ("   ", "blank"),
    ],
)
def test_hostile_numbers_are_refused_with_a_reason(text, why):
    with pytest.raises(CellError, match=why):
        cells.number(text)


def test_xlsx_values_are_numbers_but_bools_and_non_finite_floats_are_not():
    assert cells.number(3) == 3.0 and cells.number(2.25) == 2.25
    for bad in (True, False, math.nan, math.inf, -math.inf, 10**400, date(2024, 1, 1)):
        with pytest.raises(CellError):
            cells.number(bad)


@pytest.mark.parametrize(
    ("text", "value"),
    [("$1,234.50", 1234.5), ("$ 12", 12.0), ("-$5", -5.0), ("$0.99", 0.99), ("1,000", 1000.0)],
)
def test_money(text, value):
    assert cells.money(text) == value


@pytest.mark.parametrize("text", ["$", "$-5", "$$5", "5$", "USD 5", "$1,23", "€5"])
def test_money_refuses(text):
    with pytest.raises(CellError):
        cells.money(text)


def test_integers_are_exact():
    assert cells.integer("12345678901234567890") == 12345678901234567890
    assert cells.integer("1,000") == 1000
    assert cells.integer(12.0) == 12
    assert cells.integer("12.0") == 12
    for bad in ("12.5", 12.5, "1e30", "9" * 41, "x"):
        with pytest.raises(CellError):
            cells.integer(bad)


_grouped = st.integers(min_value=0, max_value=10**15).map(lambda n: f"{n:,}")


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_repr_of_any_finite_float_reads_back(x):
    assert cells.number(repr(x)) == x


@given(_grouped, st.sampled_from(["", "-", "+"]), st.sampled_from(["", ".5", ".25"]))
def test_thousands_commas_read_as_the_plain_number(grouped, sign, frac):
    plain = grouped.replace(",", "")
    assert cells.number(f"{sign}{grouped}{frac}") == float(f"{sign}{plain}{frac}")
    assert cells.money(f"{sign}${grouped}{frac}") == float(f"{sign}{plain}{frac}")


@given(st.text(max_size=20))
def test_number_returns_a_finite_float_or_refuses(s):
    try:
        x = cells.number(s)
    except CellError as exc:
        assert str(exc)
    else:
        assert math.isfinite(x)
        assert all(ch in "0123456789+-.,eE" for ch in s.strip())


# Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-07-01", date(2024, 7, 1)),
        ("7/1/2024", date(2024, 7, 1)),
        ("07/01/2024", date(2024, 7, 1)),
        ("12/31/2024", date(2024, 12, 31)),
        (date(2024, 7, 1), date(2024, 7, 1)),
        (datetime(2024, 7, 1, 0, 0), date(2024, 7, 1)),
        (datetime(2024, 7, 1, 13, 30), date(2024, 7, 1)),
        (pd.Timestamp("2024-07-01"), date(2024, 7, 1)),
    ],
)
def test_dates(value, expected):
    assert cells.date_value(value) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("01/02/03", "short year"),
        ("1/2/24", "short year"),
        ("13/1/2024", "not a real date"),
        ("2024-02-30", "not a real date"),
        ("31/12/2024", "not a real date"),
        ("2024/07/01", "not a date"),
        ("July 1, 2024", "not a date"),
        ("1899-12-31", "outside"),
        ("2101-01-01", "outside"),
        (45474, "a number, not a date"),
        (pd.NaT, "blank"),
        ("", "blank"),
        (None, "blank"),
    ],
)
def test_dates_refused(value, why):
    with pytest.raises(CellError, match=why):
        cells.date_value(value)


@given(st.dates(min_value=EARLIEST_DATE, max_value=LATEST_DATE))
def test_iso_and_us_forms_of_a_date_agree(d):
    assert cells.date_value(d.isoformat()) == d
    assert cells.date_value(f"{d.month}/{d.day}/{d.year}") == d


# Text -----------------------------------------------------------------------------------------


def test_text_is_stripped_and_collapsed():
    assert cells.text("  ACCOUNT \t CLERK\nII  ") == "ACCOUNT CLERK II"
    assert cells.text("Cafe\u0301") == "Café"  # NFC
    assert cells.text("A\u200bB\ufeff") == "AB"  # invisible characters
    assert cells.text(401.0) == "401" and cells.text(12.5) == "12.5" and cells.text(7) == "7"
    assert cells.text(None) == "" and cells.text("   ") == ""


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("a\x00b", "NUL"),
        ("a\x07b", "control character"),
        ("a\x1bb", "control character"),
        ("\ud800", "undecodable"),
        ("x\udce9y", "undecodable"),
        ("abc\u202edef", "text-direction"),
        ("x" * (MAX_TEXT + 1), "characters long"),
    ],
)
def test_text_refuses(value, why):
    with pytest.raises(CellError, match=why):
        cells.text(value)


def test_text_formula_looking_cells_are_kept_as_text():
    # Exports neutralize them; the reader keeps what the cell says.
    assert cells.text('=HYPERLINK("x")') == '=HYPERLINK("x")'


@given(st.text(max_size=60))
def test_text_is_clean_or_refused(s):
    try:
        out = cells.text(s)
    except CellError:
        return
    assert out == out.strip() and "  " not in out and len(out) <= MAX_TEXT
    assert not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in out)
    assert cells.text(out) == out  # idempotent


# Flags and blanks -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["yes", "Y", "TRUE", "true", "1", "x", "X", 1, True])
def test_flag_yes(value):
    assert cells.flag(value) is True


@pytest.mark.parametrize("value", ["no", "N", "false", "0", 0, False, "", None])
def test_flag_no(value):
    assert cells.flag(value) is False


@pytest.mark.parametrize("value", ["maybe", "2", 2, "yes please"])
def test_flag_refuses(value):
    with pytest.raises(CellError, match="yes/no"):
        cells.flag(value)


def test_is_blank():
    for blank in (None, "", "  \t", math.nan, pd.NaT, pd.NA):
        assert cells.is_blank(blank)
    for value in ("0", 0, 0.0, "x", False):
        assert not cells.is_blank(value)


def test_messages_follow_a_cell_address():
    """Messages read after "row 5, column 'pay': "."""
    with pytest.raises(CellError) as exc:
        cells.money("12 dollars")
    assert str(exc.value).startswith("'12 dollars' is not a number")
