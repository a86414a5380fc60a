"""The one rounding rule for every derived value in the ETL (README, "Derived values").

Derived salary steps, derived schedules, derived premium amounts and the audit's expected
values all round the same way: the exact decimal product, halves rounded up (to the larger
value), the way payroll tables are rounded. Floats are refused because a binary float has
already lost the tie: 14.20 x 1.025 is exactly 14.555 but 14.554999... as a float, which
Python's round() takes down to 14.55.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal | int | str, places: int = 2) -> Decimal:
    """`value` to `places` decimals, an exact half going up: 14.555 -> 14.56, 1507.5 -> 1508
    (places=0). Give it the exact product as a Decimal (or int / decimal string)."""
    if isinstance(value, float):
        raise TypeError("round_half_up needs an exact Decimal, not a float")
    exact = value if isinstance(value, Decimal) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal_of(number: float | int | str) -> Decimal:
    """A printed number as the exact decimal it was written as (13.6 -> Decimal('13.6')),
    so a float read from the text starts exact arithmetic without binary noise."""
    return Decimal(str(number))
