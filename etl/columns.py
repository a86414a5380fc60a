"""Whole columns of user-typed cells, read as etl/cells.py reads one cell.

A roster can have a million rows but only a few hundred distinct classes, a handful of FTE
values and a year of dates. Each function here takes a column (a pandas Series of any dtype,
or a sequence of cells as the upload reader returned them), checks each *distinct* value once
with the same accept/refuse rules as its etl.cells counterpart, and spreads the result back
to the rows with numpy. tests/etl/test_columns.py proves, on random cells, that every row gets
what the one-cell function gives (value, or refusal with the same message).

- `numbers(column)`: `cells.number` (ASCII digits, sign, thousands commas, decimals, exponent;
  "1_000", full-width digits, NaN, inf, bools refused). Text is checked with the one-cell
  regular expression over the distinct values and converted with numpy.
- `texts(column, max_len, subject)`: `cells.text` (stripped, whitespace collapsed, NFC; lone
  surrogates, control characters and bidirectional controls refused; at most `max_len`).
  A fast path checks all distinct values at once (one regular-expression scan and one NFC
  test of their concatenation); only values that need it go through `cells.text`.
- `parsed(column, fn)`: any one-cell function (`cells.date_value`, `cells.flag`), applied once
  per distinct value.
- `blank(column)`: `cells.is_blank` for every row.

Each returns a `Column`: the values per row (None, or NaN for numbers, where blank or
refused), which rows are blank, which are refused, and the refusal message of a row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from etl import cells
from etl.cells import CellError
from etl.defaults import MAX_TEXT

Values = pd.Series | np.ndarray | Sequence[Any]


@dataclass(frozen=True)
class Column:
    """One column read: `values` per row (object, or float64 / datetime64 for numbers and
    dates; None / NaN / NaT where blank or refused), `blank` and `refused` (bool per row,
    exclusive), the refusal messages, and `at`: each row's distinct value (an index into
    `distinct_values`, the results per distinct value; len(distinct_values) - 1 for a missing
    cell)."""

    values: np.ndarray
    blank: np.ndarray
    refused: np.ndarray
    codes: np.ndarray  # per row: index into `messages`, -1 when the row is not refused
    messages: tuple[str, ...]
    at: np.ndarray
    distinct_values: np.ndarray
    unchanged: bool = False  # distinct_values are the column's distinct cells, as they are

    def message(self, i: int) -> str:
        """Why row i was refused (the etl.cells message)."""
        return self.messages[self.codes[i]]

    @property
    def ok(self) -> np.ndarray:
        """Rows with a value (neither blank nor refused)."""
        return ~(self.blank | self.refused)

    def repeats(self) -> tuple[np.ndarray, np.ndarray]:
        """(repeated, first): which rows hold a value an earlier row holds, and for each row
        the index of the first row holding its value (-1 for rows without a value)."""
        n = len(self.distinct_values) - 1  # the last one stands for a missing cell
        if self.unchanged and n == len(self.at):
            return np.zeros(n, dtype=bool), np.arange(n)  # every row a value of its own
        if self.unchanged:
            canon = np.arange(n + 1)
        else:
            canon, _ = pd.factorize(pd.Series(self.distinct_values, dtype=object))
        row = np.where(self.ok, canon[self.at], -1)
        # codes numbered by first appearance (distinct values are): code c first appears
        # at starts[c]; a row repeats when its value first appeared on an earlier row
        starts = first_rows(row)
        first = np.full(len(row), -1, dtype=np.int64)
        has = row >= 0
        first[has] = starts[row[has]]
        repeated = has & (first != np.arange(len(row)))
        return repeated, first


@dataclass
class Prepared:
    """A column with its distinct values found once, for several reads of it."""

    series: pd.Series
    _distinct: tuple[np.ndarray, list[Any]] | None = None
    _plain: dict[int, bool] | None = None

    def distinct(self) -> tuple[np.ndarray, list[Any]]:
        if self._distinct is None:
            self._distinct = _distinct(self.series)
        return self._distinct

    def plain_text(self, max_len: int) -> bool:
        """Every distinct value is text that cells.text keeps as it is (none blank)."""
        self._plain = self._plain or {}
        if max_len not in self._plain:
            _, uniques = self.distinct()
            all_text = pd.api.types.is_string_dtype(self.series.dtype) and (
                self.series.dtype != object or infer_dtype(uniques) in ("string", "empty")
            )
            self._plain[max_len] = all_text and _all_plain(uniques, max_len)
        return self._plain[max_len]


def prepare(column: Values) -> Prepared:
    """The column, ready to be read several times (its distinct values are found once)."""
    return column if isinstance(column, Prepared) else Prepared(_series(column))


# Distinct values ---------------------------------------------------------------------------------


def first_rows(codes: np.ndarray) -> np.ndarray:
    """For codes numbered by first appearance (pandas.factorize; -1 = missing), the row of
    each code's first appearance."""
    if not len(codes):
        return np.empty(0, dtype=np.int64)
    before = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return np.flatnonzero(codes > before)


def _series(column: Values) -> pd.Series:
    if isinstance(column, Prepared):
        return column.series
    if isinstance(column, pd.Series):
        return column.reset_index(drop=True)
    return pd.Series(np.asarray(column, dtype=object) if len(column) else [], dtype=object)


def distinct(column: Values) -> tuple[np.ndarray, list[Any]]:
    """(codes, uniques): row i holds uniques[codes[i]], or a missing value (None, NaN, NaT,
    pandas NA) where codes[i] == -1; uniques in order of first appearance. Values equal in
    Python but read differently by a cell function (True and 1; 1 and 1.0, whose messages
    differ) stay apart."""
    if isinstance(column, Prepared):
        return column.distinct()
    return _distinct(_series(column))


def _distinct(s: pd.Series) -> tuple[np.ndarray, list[Any]]:
    if s.dtype != object:
        codes, uniques = pd.factorize(s)
        return codes, list(uniques.tolist() if hasattr(uniques, "tolist") else uniques)
    kind = infer_dtype(s.to_numpy(), skipna=True)
    codes, uniques = pd.factorize(s)
    if not kind.startswith("mixed"):
        return codes, list(uniques)
    # A column of several types: keep (value, type) pairs apart.
    type_codes, _ = pd.factorize(s.map(type))
    pair = np.where(
        codes >= 0, codes.astype(np.int64) * (int(type_codes.max()) + 1) + type_codes, -1
    )
    present = pair >= 0
    _, first, inverse = np.unique(pair[present], return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # number the pairs by first appearance
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    out = np.full(len(s), -1, dtype=np.int64)
    out[present] = rank[inverse]
    rows = np.flatnonzero(present)[first[order]]
    values = s.to_numpy()
    return out, [values[r] for r in rows]


def _spread(
    codes: np.ndarray, results: list[Any], errors: list[str | None] | None, dtype: Any = object
) -> Column:
    """A Column from one result (or error; `errors` None: no error) per distinct value; code
    -1 and blank results (None from the cell function, or "" text) are blank."""
    n = len(results)
    table = np.empty(n + 1, dtype=object)
    table[:n] = results
    table[n] = None
    err_index = np.full(n + 1, -1, dtype=np.int64)
    messages: list[str] = []
    if errors is not None:
        failed = [k for k, e in enumerate(errors) if e is not None]
        err_index[failed] = np.arange(len(failed))
        messages = [errors[k] for k in failed]
        table[failed] = None
    empty = pd.isna(table) | (table == "")
    is_blank = empty & (err_index < 0)
    if np.dtype(dtype).kind != "O":
        typed = np.empty(n + 1, dtype=dtype)
        typed[:] = np.datetime64("NaT") if np.dtype(dtype).kind == "M" else np.nan
        typed[~empty] = table[~empty].astype(dtype)
        table = typed
    else:
        table[empty] = None
    at = np.where(codes >= 0, codes, n)
    row_err = err_index[at]
    return Column(table[at], is_blank[at], row_err >= 0, row_err, tuple(messages), at, table)


def parsed(column: Values, fn: Callable[[Any], Any], dtype: Any = object) -> Column:
    """`fn` (an etl.cells function) applied once per distinct non-missing value: its result,
    or its CellError message, for every row. A blank cell (cells.is_blank) is blank."""
    codes, uniques = distinct(column)
    results: list[Any] = []
    errors: list[str | None] = []
    for u in uniques:
        if cells.is_blank(u):
            results.append(None)
            errors.append(None)
            continue
        try:
            results.append(fn(u))
            errors.append(None)
        except CellError as exc:
            results.append(None)
            errors.append(str(exc))
    return _spread(codes, results, errors, dtype)


def blank(column: Values) -> np.ndarray:
    """`cells.is_blank` of every row."""
    s = _series(column)
    if pd.api.types.is_float_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return s.isna().to_numpy()
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_integer_dtype(s):
        return np.zeros(len(s), dtype=bool)
    prepared = prepare(column)
    codes, uniques = prepared.distinct()
    if prepared.plain_text(MAX_TEXT):  # plain text is never blank
        return codes < 0
    table = np.array(
        [not u.strip() if type(u) is str else cells.is_blank(u) for u in uniques] + [True],
        dtype=bool,
    )
    return table[np.where(codes >= 0, codes, len(uniques))]


# Numbers -----------------------------------------------------------------------------------------


def numbers(column: Values) -> Column:
    """`cells.number` of every row, as float64 (NaN where blank or refused)."""
    s = _series(column)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isinf(x).any():  # a typed column: only infinities are refused
            none = np.full(len(x), -1, dtype=np.int64)
            at = np.arange(len(x))
            table = np.append(x, np.nan)
            return Column(x, np.isnan(x), np.zeros(len(x), dtype=bool), none, (), at, table)
    codes, uniques = distinct(s)
    results, errors = _number_values(uniques)
    return _spread(codes, results, errors, dtype=np.float64)


def _number_values(uniques: list[Any]) -> tuple[list[Any], list[str | None]]:
    """cells.number of each distinct value: text matched with its regular expression and
    converted together; other values (XLSX numbers, bools, dates) one by one."""
    results: list[Any] = [None] * len(uniques)
    errors: list[str | None] = [None] * len(uniques)
    text = [k for k, u in enumerate(uniques) if isinstance(u, str)]
    stripped = pd.Series([uniques[k] for k in text], dtype=object).str.strip()
    well_formed = stripped.str.match(cells._NUMBER.pattern).to_numpy(dtype=bool)
    converted = (
        stripped[well_formed].str.replace(",", "", regex=False).astype(np.float64).to_numpy()
    )
    finite = np.isfinite(converted)
    good = iter(zip(converted, finite, strict=True))
    for k, is_number in zip(text, well_formed, strict=True):
        u = uniques[k]
        if not u.strip():
            continue  # blank
        if is_number:
            x, ok = next(good)
            if ok:
                results[k] = float(x)
                continue
        errors[k] = _message(cells.number, u)
    for k, u in enumerate(uniques):
        if not isinstance(u, str) and not cells.is_blank(u):
            try:
                results[k] = cells.number(u)
            except CellError as exc:
                errors[k] = str(exc)
    return results, errors


def _message(fn: Callable[[Any], Any], value: Any) -> str:
    try:
        fn(value)
    except CellError as exc:
        return str(exc)
    raise AssertionError(f"{fn.__name__} accepted {value!r}, refused by its column reader")


# Text --------------------------------------------------------------------------------------------

# What makes cells.text change or refuse a value: leading, trailing, doubled or non-space
# whitespace; control, surrogate, bidirectional and invisible characters. Values none of
# these is found in, in NFC and short enough, are returned by cells.text as they are.
_ODD_CHARS = (  # NUL apart: it joins the distinct values checked at once
    "\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\u202a-\\u202e\\u2066-\\u2069"
    "\\u200b-\\u200d\\u2060\\ufeff"
)
_ODD_CHAR = re.compile(f"[{_ODD_CHARS}]")
_NOT_A_SPACE = re.compile(r"[^\S ]")  # whitespace other than the space


def _plain(s: str) -> bool:
    """cells.text would return `s` unchanged (the length aside)."""
    return "\x00" not in s and _plain_joined(s)


def _plain_joined(s: str) -> bool:
    """`_plain` for strings joined by NUL, each checked (a NUL is only a separator)."""
    return not (
        _ODD_CHAR.search(s)
        or _NOT_A_SPACE.search(s)
        or s.startswith(" ")
        or s.endswith(" ")
        or "  " in s
        or not unicodedata.is_normalized("NFC", s)
    )


def texts(column: Values, max_len: int = MAX_TEXT, subject: str = "the cell") -> Column:
    """`cells.text` of every row (None where blank or refused; text that cells.text makes
    empty, such as a lone zero-width space, is blank)."""
    prepared = prepare(column)
    codes, uniques = prepared.distinct()
    if prepared.plain_text(max_len):
        return replace(_spread(codes, list(uniques), None), unchanged=True)
    results: list[Any] = []
    errors: list[str | None] = []
    for u in uniques:
        if isinstance(u, str) and not _needs_cells_text(u, max_len):
            results.append(u)
            errors.append(None)
            continue
        try:
            results.append(cells.text(u, max_len, subject))
            errors.append(None)
        except CellError as exc:
            results.append(None)
            errors.append(str(exc))
    return _spread(codes, results, errors)


def _all_plain(strings: list[str], max_len: int) -> bool:
    """True when cells.text returns every one of `strings` unchanged (checked at once, on
    the strings joined by a NUL: a NUL inside one shows as one NUL too many)."""
    if not strings:
        return True
    try:
        joined = "\x00".join(strings)
    except TypeError:  # not all text
        return False
    return (
        joined.count("\x00") == len(strings) - 1
        and _plain_joined(joined)
        and "\x00 " not in joined
        and " \x00" not in joined
        and all(strings)
        and max(map(len, strings)) <= max_len
    )


def _needs_cells_text(s: str, max_len: int) -> bool:
    return len(s) > max_len or not s or not _plain(s)
