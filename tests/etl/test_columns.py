"""etl/columns.py reads whole columns as etl/cells.py reads one cell: on random cells (text
built from the characters the cell rules care about, and the typed values an XLSX gives),
every row gets exactly what the one-cell function gives: the value, or the refusal with the
same message."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import cells, columns
from etl.cells import CellError

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters the number, date and text rules decide on.
_TRICKY = (
    "0123456789" * 3
    + ",.,.eE+-$ /_"
    + "\t\n\r\x00\x01\x1f\x7f\x85\xa0\u2007\u3000"  # whitespace and controls
    + "０１９٣۴"  # full-width and Arabic-Indic digits
    + "\ud800\udfff\udc80"  # lone surrogates
    + "\u202e\u2066\u200b\ufeff\u2060"  # bidi, invisible
    + "e\u0301é"  # NFD and NFC of é
    + "aZ"
)
_tricky_text = st.text(alphabet=st.sampled_from(_TRICKY), max_size=12)
_cell_text = st.one_of(
    _tricky_text,
    st.text(max_size=8),
    st.sampled_from(
        ["1,000", "1_000", "1,23", "1e309", "-1e309", "nan", "inf", "  12.5 ", ".5", "5.", "1e5"]
    ),
    st.sampled_from(["2005-01-15", "1/15/2016", "01/02/03", "2005-02-30", "9999-12-31", "x"]),
    st.sampled_from(["yes", "No", " y ", "TRUE", "0", "1", "x", "maybe", ""]),
)
_typed = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 12, 31)),
)
_text_column = st.lists(_cell_text, max_size=12)
_mixed_column = st.lists(st.one_of(_cell_text, _typed), max_size=12)


def _expect(fn, v):
    """('blank', None) / ('value', x) / ('refused', message) as the one-cell function says."""
    if cells.is_blank(v):
        return "blank", None
    try:
        x = fn(v)
    except CellError as exc:
        return "refused", str(exc)
    if x is None or (isinstance(x, str) and not x):
        return "blank", None
    return "value", x


def _got(col: columns.Column, i: int):
    if col.blank[i]:
        assert not col.refused[i]
        return "blank", None
    if col.refused[i]:
        return "refused", col.message(i)
    v = col.values[i]
    return "value", v.item() if isinstance(v, np.generic) else v


def _agree(col: columns.Column, values: list, fn) -> None:
    assert len(col.values) == len(values)
    for i, v in enumerate(values):
        want, got = _expect(fn, v), _got(col, i)
        if want[0] == "value" and isinstance(want[1], float):
            assert got[0] == "value" and (got[1] == want[1] or math.isnan(want[1])), (v, got)
        else:
            assert got == want, (v, got, want)


@SETTINGS
@given(values=st.one_of(_text_column, _mixed_column))
def test_numbers_agree_with_cells_number(values):
    _agree(columns.numbers(values), values, cells.number)


@SETTINGS
@given(values=st.one_of(_text_column, _mixed_column))
def test_texts_agree_with_cells_text(values):
    _agree(columns.texts(values), values, cells.text)
    _agree(columns.texts(values, max_len=5), values, lambda v: cells.text(v, 5))


@SETTINGS
@given(values=st.one_of(_text_column, _mixed_column))
def test_dates_and_flags_agree_with_cells(values):
    _agree(columns.parsed(values, cells.date_value), values, cells.date_value)
    _agree(columns.parsed(values, cells.flag), values, cells.flag)


@SETTINGS
@given(values=_mixed_column)
def test_blank_agrees_with_cells_is_blank(values):
    assert columns.blank(values).tolist() == [cells.is_blank(v) for v in values]


@SETTINGS
@given(values=_text_column)
def test_the_same_on_a_pandas_string_column(values):
    """A roster handed over as a DataFrame: pandas' own string dtype, read the same way
    (it cannot hold a lone surrogate)."""
    values = [v for v in values if not any("\ud800" <= ch <= "\udfff" for ch in v)]
    s = pd.Series(values, dtype="str")
    expected = [None if v is None else v for v in s.tolist()]
    _agree(columns.numbers(s), expected, cells.number)
    _agree(columns.texts(s), expected, cells.text)


def test_typed_numeric_columns_take_the_fast_path():
    col = columns.numbers(pd.Series([1.0, np.nan, 0.5]))
    assert col.blank.tolist() == [False, True, False] and not col.refused.any()
    col = columns.numbers(pd.Series([1.0, np.inf]))
    assert col.refused.tolist() == [False, True] and "too large" in col.message(1)
    col = columns.numbers(pd.Series([True, False]))
    assert col.refused.all() and "true/false cell" in col.message(0)


def test_equal_values_of_different_types_stay_apart():
    """True == 1 == 1.0 in Python, but a cell of each reads differently."""
    values = [True, 1, 1.0, "1"]
    assert columns.numbers(values).refused.tolist() == [True, False, False, False]
    assert columns.texts(values).values.tolist() == ["TRUE", "1", "1", "1"]


def test_a_hundred_thousand_distinct_ids_are_checked_at_once():
    ids = [f"E{i:06d}" for i in range(100_000)]
    col = columns.texts(ids)
    assert not col.refused.any() and col.values[123] == "E000123"
    col = columns.texts([*ids[:-1], "E\ud800"])
    assert col.refused.tolist().count(True) == 1 and "U+D800" in col.message(99_999)


@SETTINGS
@given(values=st.one_of(_text_column, _mixed_column))
def test_repeats_name_the_first_row_of_each_value(values):
    col = columns.texts(values)
    repeated, first = col.repeats()
    seen: dict = {}
    for i, v in enumerate(values):
        kind, x = _expect(cells.text, v)
        if kind != "value":
            assert not repeated[i] and first[i] == -1
            continue
        assert first[i] == seen.setdefault(x, i) and repeated[i] == (seen[x] != i)
