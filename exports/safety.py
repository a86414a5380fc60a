"""Spreadsheet formula injection: text that a spreadsheet would run as a formula is defused.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (or the start of one), so a class title or a user's
scenario label could run a command when an export is opened. Every export passes its tables
through `neutralize` first, which prefixes such text with a single quote, so it is shown as
text (a CSV opened in a spreadsheet hides the quote; in our XLSX files, which never contain
formulas, the quote stays visible as a marker). Numbers, dates and booleans are left alone: a
negative number is a number, not text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_value(value: Any) -> Any:
    """One cell: text starting with a formula character gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell and column label made safe to open in a spreadsheet."""
    out = df.copy()
    for i in range(out.shape[1]):  # by position: column labels may repeat
        s = out.iloc[:, i]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            out.isetitem(i, s.map(neutralize_value, na_action="ignore"))
    out.columns = [neutralize_value(c) for c in out.columns]
    return out
