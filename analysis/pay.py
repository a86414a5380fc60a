"""Pay-basis conversions: hourly, biweekly, monthly and annual.

One convention everywhere (etl/defaults.py, README "Pay conversions"): 2,080 hours a year,
80 hours a biweekly pay period, 26 pay periods a year, monthly = annual / 12. A rate is
converted through its hours, so any two bases convert exactly and the round trip is lossless
up to floating point. Nothing here rounds unless asked: round to the cent only for display.
"""

from __future__ import annotations

import pandas as pd

from analysis.warehouse import PAY_BASES
from etl.defaults import HOURS_PER_PAY_PERIOD, HOURS_PER_YEAR, MONTHS_PER_YEAR

# Hours of pay in one unit of each basis: a biweekly amount pays 80 hours, and so on.
HOURS_IN: dict[str, float] = {
    "hourly": 1.0,
    "biweekly": float(HOURS_PER_PAY_PERIOD),
    "monthly": HOURS_PER_YEAR / MONTHS_PER_YEAR,
    "annual": float(HOURS_PER_YEAR),
}
assert tuple(HOURS_IN) == PAY_BASES


def _check(basis: str) -> None:
    if basis not in HOURS_IN:
        raise ValueError(f"pay basis must be one of {PAY_BASES}, got {basis!r}")


def factor(from_basis: str, to_basis: str) -> float:
    """The multiplier from one basis to another (e.g. hourly -> annual is 2,080)."""
    _check(from_basis)
    _check(to_basis)
    return HOURS_IN[to_basis] / HOURS_IN[from_basis]


def convert(amount: float, from_basis: str, to_basis: str, ndigits: int | None = None) -> float:
    """Convert one amount between pay bases; `ndigits=2` rounds to the cent."""
    value = amount * factor(from_basis, to_basis)
    return round(value, ndigits) if ndigits is not None else value


def convert_series(
    amounts: pd.Series, from_basis: str, to_basis: str, ndigits: int | None = None
) -> pd.Series:
    """Convert a Series of amounts between pay bases (the index and name are kept)."""
    out = amounts.astype("float64") * factor(from_basis, to_basis)
    return out.round(ndigits) if ndigits is not None else out


def all_bases(amount: float, basis: str = "hourly", ndigits: int | None = None) -> dict[str, float]:
    """One amount in all four bases, e.g. for a tooltip or an export row."""
    return {b: convert(amount, basis, b, ndigits) for b in PAY_BASES}


def add_bases(df: pd.DataFrame, column: str, basis: str, ndigits: int | None = 2) -> pd.DataFrame:
    """A copy of `df` with a column for every basis computed from `column` (given in `basis`).

    Existing columns named like a basis are overwritten, except the source column itself.
    """
    out = df.copy()
    for b in PAY_BASES:
        if b == basis and column == b:
            continue
        out[b] = convert_series(out[column], basis, b, ndigits)
    return out
