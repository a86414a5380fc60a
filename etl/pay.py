"""Pay conventions and conversions between pay bases: the one definition the ETL, the views,
the analysis and the app use.

2,080 hours a year, 80 hours a biweekly pay period, 26 pay periods a year, monthly = annual /
12 (DOMAIN.md "Working across agencies"). A rate is converted through its hours, so any two
bases convert exactly and the round trip is lossless up to floating point. Nothing here
rounds unless asked: round to the cent only for display.
"""

from __future__ import annotations

import pandas as pd

HOURS_PER_YEAR = 2080
HOURS_PER_PAY_PERIOD = 80
PAY_PERIODS_PER_YEAR = 26
MONTHS_PER_YEAR = 12
DAYS_PER_PAY_PERIOD = 14
# A per-day or per-shift amount is spread over an 8-hour day (stated wherever it is used).
HOURS_PER_DAY = 8

PAY_BASES = ("hourly", "biweekly", "monthly", "annual")

# Hours of pay in one unit of each basis: a biweekly amount pays 80 hours, and so on.
HOURS_IN: dict[str, float] = {
    "hourly": 1.0,
    "biweekly": float(HOURS_PER_PAY_PERIOD),
    "monthly": HOURS_PER_YEAR / MONTHS_PER_YEAR,
    "annual": float(HOURS_PER_YEAR),
}

# How many units of each basis a full-time year holds (2,080 hours, 26 periods, 12 months).
UNITS_PER_YEAR: dict[str, float] = {b: HOURS_PER_YEAR / h for b, h in HOURS_IN.items()}

# Constants substituted into etl/schema.sql ($HOURS_PER_YEAR ...), so the views convert with
# the same numbers as the Python code.
SQL_CONSTANTS = {
    "HOURS_PER_YEAR": str(HOURS_PER_YEAR),
    "HOURS_PER_PAY_PERIOD": str(HOURS_PER_PAY_PERIOD),
    "MONTHS_PER_YEAR": str(MONTHS_PER_YEAR),
}


def check_basis(basis: str) -> str:
    if basis not in HOURS_IN:
        raise ValueError(f"pay basis must be one of {', '.join(PAY_BASES)}, got {basis!r}")
    return basis


def factor(from_basis: str, to_basis: str) -> float:
    """The multiplier from one basis to another (e.g. hourly -> annual is 2,080)."""
    return HOURS_IN[check_basis(to_basis)] / HOURS_IN[check_basis(from_basis)]


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


def hours_to_months(hours: float) -> float:
    """Full-time months needed to work `hours` in-service hours (2,080 hours a year)."""
    return hours * MONTHS_PER_YEAR / HOURS_PER_YEAR


def months_to_hours(months: float) -> float:
    """In-service hours in `months` full-time months (2,080 hours a year)."""
    return months * HOURS_PER_YEAR / MONTHS_PER_YEAR


# How an amount in each basis becomes an hourly rate, as a derivation says it.
_TO_HOURLY_TEXT = {
    "biweekly": f"÷ {HOURS_PER_PAY_PERIOD}",
    "monthly": f"× {MONTHS_PER_YEAR} ÷ {HOURS_PER_YEAR:,}",
    "annual": f"÷ {HOURS_PER_YEAR:,}",
}


def to_hourly_text(amount: float, basis: str) -> str | None:
    """How `amount` in `basis` was converted to hourly, for a derivation ('monthly 5,123.00 ×
    12 ÷ 2,080'); None for an hourly amount (nothing converted)."""
    if check_basis(basis) == "hourly":
        return None
    shown = f"{amount:,.2f}"
    if float(shown.replace(",", "")) != amount:  # more decimals than cents: show them all
        shown = f"{amount:,.6f}".rstrip("0")
    return f"{basis} {shown} {_TO_HOURLY_TEXT[basis]}"
