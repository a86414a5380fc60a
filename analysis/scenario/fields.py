"""The field readers of the scenario parser (analysis/scenario/parser.py): each reads one
field of the JSON form and returns its value, or records a problem (the field path and what
to fix) and returns a default, so that every problem is collected before one ScenarioError.
Text follows etl.cells.text; dates are YYYY-MM-DD within EARLIEST_DATE..LATEST_DATE."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from analysis.scenario.json_form import path_key, shown_key
from etl import cells
from etl.cells import CellError
from etl.defaults import EARLIEST_DATE, LATEST_DATE, MAX_MESSAGE, MAX_TEXT
from etl.errors import cap


def _shown(x: float) -> str:
    """A number in a message: 1,000,000 and 12.5 as written, 1e+300 as a power of ten."""
    if abs(x) >= 1e15:
        return f"{x:g}"
    return f"{x:,.6f}".rstrip("0").rstrip(".")


_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MISSING = object()


class Fields:
    """Field readers: each returns the value, or records a problem and returns a default."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.types: dict[int, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, cap(message, MAX_MESSAGE)))

    def date_(self, d: dict, key: str, path: str) -> date | None:
        v = d.get(key, MISSING)
        if v is MISSING or v is None:
            self.fail(path + key, "is required (a date, YYYY-MM-DD)")
            return None
        if not isinstance(v, str) or not _ISO.match(v.strip()):
            self.fail(path + key, f"must be a date written YYYY-MM-DD, got {shown_key(v)}")
            return None
        try:
            day = date.fromisoformat(v.strip())
        except ValueError:
            self.fail(
                path + key,
                f"must be a real date written YYYY-MM-DD, got {shown_key(v)} (no such day)",
            )
            return None
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            self.fail(path + key, f"must be between {EARLIEST_DATE} and {LATEST_DATE}, got {day}")
            return None
        return day

    def number(
        self,
        d: dict,
        key: str,
        path: str,
        required: bool = True,
        default: float | None = None,
        **bounds: Any,
    ) -> float | None:
        v = d.get(key, MISSING)
        if v is MISSING or v is None:
            if required:
                self.fail(path + key, "is required (a number)")
            return default
        return self.number_value(v, path + key, default, **bounds)

    def number_value(
        self,
        v: Any,
        where: str,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
    ) -> float | None:
        try:
            finite = not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)
        except OverflowError:  # an integer too large for a float
            self.fail(where, "must be a number, got an integer too large to use")
            return default
        if not finite:
            self.fail(where, f"must be a number, got {shown_key(v)}")
            return default
        v = float(v)
        if low is not None and (v < low or (low_open and v == low)):
            bound = "more than" if low_open else "at least"
            self.fail(where, f"must be {bound} {_shown(low)}, got {_shown(v)}")
        if high is not None and v > high:
            self.fail(where, f"must be at most {_shown(high)}, got {_shown(v)}")
        return v

    def integer(
        self, d: dict, key: str, path: str, default: int | None, low: int, high: int
    ) -> int | None:
        v = d.get(key, MISSING)
        if v is MISSING or v is None:
            if default is None:
                self.fail(path + key, "is required (a whole number)")
            return default
        if isinstance(v, bool) or not (
            isinstance(v, int) or (isinstance(v, float) and v.is_integer())
        ):
            self.fail(path + key, f"must be a whole number, got {shown_key(v)}")
            return default
        v = int(v)
        if not low <= v <= high:
            self.fail(path + key, f"must be {low} to {high}, got {v}")
        return v

    def choice(self, d: dict, key: str, path: str, options: tuple[str, ...], default: str | None):
        v = d.get(key, MISSING)
        if v is MISSING or v is None:
            if default is None:
                self.fail(path + key, f"is required, one of {', '.join(options)}")
            return default
        if not isinstance(v, str) or v not in options:
            self.fail(path + key, f"must be one of {', '.join(options)}, got {shown_key(v)}")
            return default
        return v

    def text(
        self, d: dict, key: str, path: str, required: bool = False, max_len: int = MAX_TEXT
    ) -> str | None:
        v = d.get(key, MISSING)
        if v is MISSING or v is None:
            if required:
                self.fail(path + key, "is required (text)")
            return None
        return self.text_value(v, path + key, required, max_len)

    def text_value(
        self, v: Any, where: str, required: bool = False, max_len: int = MAX_TEXT
    ) -> str | None:
        """Text by the cell parser's rules (etl.cells.text); None when refused or blank."""
        if not isinstance(v, str):
            self.fail(where, f"must be {'non-empty ' if required else ''}text, got {shown_key(v)}")
            return None
        try:
            t = cells.text(v, max_len, subject="the text")
        except CellError as exc:
            self.fail(where, str(exc))
            return None
        if required and not t:
            self.fail(where, f"must be non-empty text, got {shown_key(v)}")
        return t or None

    def classes(self, d: dict, key: str, path: str, required: bool) -> tuple[str, ...] | None:
        v = d.get(key, MISSING)
        if v is MISSING or v is None:
            if required:
                self.fail(path + key, "is required: a list of class codes")
            return None
        if (
            not isinstance(v, list)
            or not v
            or not all(isinstance(x, str | int) and not isinstance(x, bool) for x in v)
        ):
            self.fail(path + key, f"must be a non-empty list of class codes, got {shown_key(v)}")
            return None
        codes = [self.text_value(str(x), f"{path}{key}[{i}]", True) for i, x in enumerate(v)]
        return tuple(c for c in codes if c is not None)

    def known_fields(self, d: dict, allowed: tuple[str, ...], path: str) -> None:
        for k in d:
            if k not in allowed:
                self.fail(path + path_key(k), f"unknown field (expected {', '.join(allowed)})")
