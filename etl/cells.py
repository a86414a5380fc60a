"""The one parser of cells a user typed (an uploaded CSV or XLSX, a form field).

Each function takes a cell as the file reader returned it (text from a CSV; text, a number, a
date or a bool from an XLSX) and returns the value or raises `CellError`, whose message is
written to follow the cell's place: "row 5, column 'pay': " + message. Nothing here guesses:

- `number`: ASCII digits only, an optional sign, thousands commas in groups of three
  ("1,234,567.5"), a decimal point, an exponent ("1.5e3"). Refused: "1_000" (Python accepts it,
  a spreadsheet does not), full-width "１２" and Arabic-Indic "٣" digits, "NaN", "inf", values
  too large for a float, "1,23" (a decimal comma, or a comma out of place), and bools.
- `money`: a `number` with an optional "$" after the sign ("$1,234.50", "-$5", "$ 12").
- `percent`: a `number` with an optional "%" after it ("12.5%"), or a workbook cell
  formatted as a percentage (Excel keeps 12.5% as 0.125; read as 12.5).
- `integer`: a whole `number` ("1,000", "12.0" from a spreadsheet), exact up to 2**53.
- `date_value`: ISO "YYYY-MM-DD", or "M/D/YYYY" read in US order (month first) with a
  four-digit year; "01/02/03" is refused as ambiguous (which part is the year?); dates,
  datetimes (an XLSX date cell, at any time of day: the date is kept) and pandas Timestamps
  are taken as they are. Every date must lie within EARLIEST_DATE..LATEST_DATE.
- `table_date`: a salary table's date cell (an "Effective Date" column): a `date_value`, a
  date in words (etl/stated_dates.py: "July 1, 2025", "FY 2025-26"), or an Excel date serial.
- `iso_date`: a `date_value` typed as YYYY-MM-DD only (or a workbook date cell).
- `text`: surrounding space stripped, runs of whitespace (tabs and line breaks inside a cell
  included) collapsed to one space, Unicode NFC; invisible zero-width characters and byte
  order marks removed; refused: NUL and other control characters, lone surrogates (bytes no
  encoding produced), bidirectional overrides (they make text display other than it reads),
  and more than MAX_TEXT characters. Numbers from an XLSX cell become text as shown ("401",
  "12.5").
- `flag`: yes/no, y/n, true/false, 1/0, x (marked); a blank cell is no.
- `is_blank`: None, NaN, NaT, pandas NA, or whitespace only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd

from etl import stated_dates
from etl.defaults import EARLIEST_DATE, LATEST_DATE, MAX_TEXT


class CellError(ValueError):
    """A cell that is not the value its column needs; the message follows "row R, column C: "."""


_NUMBER = re.compile(
    r"^[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
)
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_ISO_STRICT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_US = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_US_SHORT_YEAR = re.compile(r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,3}$")
_MAX_EXACT_INT = 2**53
_MAX_INT_CHARS = 40  # digits, commas and sign of a whole number typed as text
_MAX_SHOWN = 40  # characters of a refused cell quoted back in a message

# Invisible characters removed from text: zero-width space / non-joiner / joiner, word joiner,
# byte order mark (Excel and copy-paste from the web leave them inside cells).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Bidirectional embeddings, overrides and isolates.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_TRUE = frozenset({"yes", "y", "true", "1", "x"})
_FALSE = frozenset({"no", "n", "false", "0"})


def shown(value: Any) -> str:
    """A refused cell quoted back to the user, cut to a readable length."""
    s = repr(value) if not isinstance(value, str) else repr(value.strip())
    return s if len(s) <= _MAX_SHOWN else s[: _MAX_SHOWN - 2] + "…" + s[-1]


def is_blank(value: Any) -> bool:
    """True for None, NaN, NaT, pandas NA and text that is empty or whitespace only."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return value is pd.NaT or value is pd.NA


def _finite(x: float, original: Any) -> float:
    if math.isnan(x):
        raise CellError(f"{shown(original)} is not a number")
    if math.isinf(x):
        raise CellError(f"{shown(original)} is too large to be a number")
    return x


def number(value: Any) -> float:
    """A number from a cell: ASCII digits, optional sign, thousands commas, decimals, exponent."""
    if isinstance(value, bool):
        raise CellError(f"{value} is a true/false cell, not a number")
    if isinstance(value, int):
        try:
            return _finite(float(value), value)
        except OverflowError:
            raise CellError(f"{shown(value)} is too large to be a number") from None
    if isinstance(value, float):
        return _finite(value, value)
    if is_blank(value):
        raise CellError("the cell is blank; a number is needed")
    if not isinstance(value, str):
        raise CellError(f"{shown(value)} is not a number")
    s = value.strip()
    if not _NUMBER.match(s):
        raise CellError(f"{shown(s)} is not a number{_number_hint(s)}")
    return _finite(float(s.replace(",", "")), s)


def _number_hint(s: str) -> str:
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in s):
        return " (use the digits 0-9; this cell has other digit characters)"
    if "_" in s:
        return " (no underscores between digits)"
    if re.fullmatch(r"[+-]?[0-9.]+,[0-9]{1,2}", s):
        return " (a decimal comma? write 1234.56, with a point)"
    if "," in s:
        return " (thousands commas go in groups of three: 1,234,567)"
    return ""


_MONEY = re.compile(r"^([+-]?)\s*\$\s*(.*)$", re.S)


def money(value: Any) -> float:
    """A dollar amount: a `number`, with an optional "$" after the sign ("$1,234.50")."""
    if isinstance(value, str):
        m = _MONEY.match(value.strip())
        if m:
            rest = m.group(2).strip()
            if rest.startswith(("+", "-")):
                raise CellError(f"{shown(value)} is not a dollar amount (sign after the $)")
            value = m.group(1) + rest
            if not rest:
                raise CellError(f"{shown('$')} has no amount")
    return number(value)


class PercentValue(float):
    """A workbook cell formatted as a percentage: Excel stores 12.5% as 0.125 and shows
    12.5%. The XLSX reader returns such cells as this float (its value unchanged), so
    `percent` can read them as the percentage shown."""


def percent(value: Any) -> float:
    """A percentage as shown: a `number` with an optional "%" after it ("12.5%", "12.5 %",
    12.5), or a workbook cell formatted as a percentage (0.125 shown as 12.5% -> 12.5)."""
    if isinstance(value, PercentValue):
        return float(Decimal(repr(float(value))) * 100)
    if isinstance(value, str) and value.strip().endswith("%"):
        s = value.strip()[:-1].rstrip()
        if not s:
            raise CellError(f"{shown(value)} has no number")
        return number(s)
    return number(value)


def integer(value: Any) -> int:
    """A whole number; exact (text "12345678901234567890" is kept to the digit)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        s = value.strip()
        if _NUMBER.match(s) and not re.search(r"[.eE]", s):
            if len(s) > _MAX_INT_CHARS:
                raise CellError(f"{shown(s)} is too large for a whole number")
            return int(s.replace(",", ""))
    x = number(value)
    if not x.is_integer():
        raise CellError(f"{shown(value)} is not a whole number")
    if abs(x) > _MAX_EXACT_INT:
        raise CellError(f"{shown(value)} is too large for a whole number written this way")
    return int(x)


def date_value(value: Any) -> date:
    """A date: YYYY-MM-DD, M/D/YYYY (US order), or a date/datetime/Timestamp object."""
    if is_blank(value):
        raise CellError("the cell is blank; a date is needed")
    if isinstance(value, datetime):  # also a pandas Timestamp (a datetime subclass)
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, str):
        d = _date_text(value.strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            f"{shown(value)} is a number, not a date: format the cell as a date, or type YYYY-MM-DD"
        )
    else:
        raise CellError(f"{shown(value)} is not a date (write YYYY-MM-DD)")
    if not EARLIEST_DATE <= d <= LATEST_DATE:
        raise CellError(
            f"{d.isoformat()} is outside {EARLIEST_DATE.isoformat()} to "
            f"{LATEST_DATE.isoformat()}; check the year"
        )
    return d


def iso_date(value: Any) -> date:
    """A date typed as YYYY-MM-DD only (07/01/2016 could be read two ways), or a workbook's
    date cell: for files whose documented format is ISO (the survey template, benefit rates)."""
    text = value.strip() if isinstance(value, str) else None
    if text is not None and not _ISO_STRICT.match(text):
        raise CellError(
            f"{text!r} is not a date written YYYY-MM-DD (e.g. 2016-07-01)"
            if text
            else "empty; a date YYYY-MM-DD is required"
        )
    return date_value(value)


def _date_text(s: str) -> date:
    iso, us = _ISO.match(s), _US.match(s)
    if iso:
        y, m, d = (int(g) for g in iso.groups())
    elif us:
        m, d, y = (int(g) for g in us.groups())
    elif _US_SHORT_YEAR.match(s):
        raise CellError(
            f"{shown(s)} has a short year: is it month/day/year or day/month/year, and which "
            "century? Write the date as YYYY-MM-DD (or M/D/YYYY)"
        )
    else:
        raise CellError(f"{shown(s)} is not a date (write YYYY-MM-DD, or M/D/YYYY)")
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise CellError(f"{shown(s)} is not a real date ({exc})") from None


def _number_as_text(x: float | int) -> str:
    if isinstance(x, float):
        if not math.isfinite(x):
            raise CellError(f"{shown(x)} is not text")
        if x.is_integer() and abs(x) < _MAX_EXACT_INT:
            return str(int(x))
        return repr(x)
    return str(x)


def text(value: Any, max_len: int = MAX_TEXT, subject: str = "the cell") -> str:
    """Text from a cell: stripped, whitespace collapsed, NFC; control characters, lone
    surrogates and bidirectional overrides refused; at most `max_len` characters. A blank
    cell gives "" (callers decide whether blank is allowed). `subject` names what is refused
    in a message ("the cell" for a file's cell; e.g. "the name" for a typed field)."""
    if value is None or is_blank(value):
        return ""
    if not isinstance(value, str):
        shown_as = _non_text(value)
        if shown_as is not None:
            return shown_as
    s = str(value).translate(_INVISIBLE)
    refused = refused_character(s, subject)
    if refused:
        raise CellError(refused)
    s = unicodedata.normalize("NFC", " ".join(s.split()))
    if len(s) > max_len:
        raise CellError(
            f"the text is {len(s):,} characters long, more than {max_len}: "
            f"{shown(s)} (a name, not a paragraph)"
        )
    return s


def _non_text(value: Any) -> str | None:
    """A typed cell (bool, number, date) as text, as a spreadsheet shows it; None otherwise."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_as_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return None


def refused_character(s: str, subject: str = "the cell") -> str | None:
    """Why `text` refuses `s` for a character it holds (None when every character is fine):
    a lone surrogate, a bidirectional control, or a control character other than tab and
    line breaks. The message names the character by code point, never prints it."""
    from_file = subject == "the cell"
    retype = "retype the cell" if from_file else "retype it"
    for ch in s:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            fix = "save the file as 'CSV UTF-8' and upload it again" if from_file else retype
            return f"{subject} has an undecodable character (U+{ord(ch):04X}); {fix}"
        if ch in _BIDI:
            return (
                f"{subject} has a hidden text-direction control (U+{ord(ch):04X}) that makes "
                f"the text display differently from what it holds; {retype}"
            )
        if cat == "Cc" and ch not in "\t\n\r":
            name = "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"
            return f"{subject} has a control character ({name}); {retype}"
    return None


def flag(value: Any) -> bool:
    """yes/no, y/n, true/false, 1/0, x; a blank cell is False."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(f"{shown(value)} is not yes/no (use yes/no, true/false, 1/0 or x)")
    s = text(value).casefold()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError(f"{shown(value)} is not yes/no (use yes/no, true/false, 1/0 or x)")


# An Excel date serial: day 1 is 1900-01-01 and day 60 the 1900-02-29 that never was, so from
# day 61 on the serial counts from 1899-12-30. Smaller numbers (a year, a step) are not dates.
_EXCEL_EPOCH = date(1899, 12, 30)
MIN_EXCEL_SERIAL = 10_000  # 1927-05-18: below it a number is a year or a count, not a serial


def table_date(value: Any, fiscal_start: tuple[int, int] = (7, 1)) -> tuple[date, str]:
    """(date, how) of a table's date cell, `how` 'date', 'fiscal year' or 'serial' (a number
    a workbook stores for a date cell not formatted as one); CellError saying why otherwise.
    Text is a `date_value`, else a date in words as `stated_dates.stated_date` reads one
    alone."""
    if isinstance(value, int | float) and not isinstance(value, bool | PercentValue):
        x = _finite(float(value), value)
        if x.is_integer() and x >= MIN_EXCEL_SERIAL:
            d = _EXCEL_EPOCH + timedelta(days=int(x)) if x < 10**6 else None
            if d is not None and EARLIEST_DATE <= d <= LATEST_DATE:
                return d, "serial"
        raise CellError(
            f"{shown(value)} is a number, not a date: format the cell as a date, or type YYYY-MM-DD"
        )
    if not isinstance(value, str):
        return date_value(value), "date"
    s = text(value)
    try:
        return date_value(s), "date"
    except CellError as exc:
        got = stated_dates.stated_date(s, fiscal_start, bare=True)
        if got is not None:
            return got
        why = stated_dates.unreal_date(s, fiscal_start, bare=True)
        raise CellError(why) if why else exc from None
