"""Arithmetic audit of Sonoma Appendix A: does each printed A step follow from the previous
printed one by the 8.1 general increase and the class's Appendix B adjustment?

expected = round(previous range x (1 + general%/100) x (1 + adjustment%/100)) in cents,
half a cent rounding up. Within 1 cent of the printed range is 'explained' (the detail says
when a cent comes from rounding); otherwise the additive reading (1 + general% + adjustment%)
is tried, and failing that the row is 'unexplained' with the implied adjustment percent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from etl.records import AuditRow, JobClass, ParseResult, SourceRef
from etl.rounding import decimal_of, round_half_up
from etl.sources.sonoma.appendix import AGENCY, AGREEMENT_ID

CHECK = "a_step_change"

# Payroll-only (`*`) classes have no Appendix B row: they follow a base class in the same unit,
# found by dropping the suffix from the title ("COOK - JAIL" -> "COOK").
_PAYROLL_SUFFIX = re.compile(r"\s*-\s*(JAIL|DETENTION|HT|B\.S\.|M\.S\.|BS|MS)$")
# Where the title does not lead to a base class, the base the text names instead:
PAYROLL_BASE_FALLBACK = {
    # 9.11: the heavy-truck (HT) assignment is paid at a range 6% above the A step of
    # Maintenance Worker II (5015); 5084 prints the same ranges as 5016 MAINTENANCE WORKER II-HT.
    "5084": "5015",
    # 9.24.1: degree premiums put FNP-BS 5% and FNP-MS / PA-MS 7-1/2% above the range of
    # 1916 FAM NURSE PRACT/PHYS ASSIST (3258 x 1.05 = 3421, 3258 x 1.075 = 3502).
    "1917": "1916",
    "1918": "1916",
    "1914": "1916",
}
# What the text says a payroll-only range is, relative to its base class, by title suffix.
PAYROLL_PREMIUM = {
    "JAIL": (10.0, "9.20"),
    "DETENTION": (5.0, "9.29"),
    "HT": (6.0, "9.11"),
    "B.S.": (5.0, "9.24.1"),
    "BS": (5.0, "9.24.1"),
    "M.S.": (7.5, "9.24.1"),
    "MS": (7.5, "9.24.1"),
}


def _factor(pcts: list[float]) -> Decimal:
    out = Decimal(1)
    for p in pcts:
        out *= 1 + Decimal(str(p)) / 100
    return out


def _base_class(cls: JobClass, by_title: dict[tuple[str | None, str], str]) -> str | None:
    title = _PAYROLL_SUFFIX.sub("", cls.class_title or "")
    return by_title.get((cls.bargaining_unit, title)) or PAYROLL_BASE_FALLBACK.get(cls.class_code)


def audit(result: ParseResult) -> list[AuditRow]:
    """One 'a_step_change' row per class and pair of consecutive printed dates."""
    classes = [c for c in result.classes if c.agreement_id == AGREEMENT_ID]
    by_code = {c.class_code: c for c in classes}
    by_title = {(c.bargaining_unit, c.class_title or ""): c.class_code for c in classes}
    printed = _printed_step_a(result)
    general, market = _increases(result)
    rows: list[AuditRow] = []
    for cls in classes:
        basis: str | None = cls.class_code
        if cls.payroll_only and cls.class_code not in market:
            basis = _base_class(cls, by_title)
        for d0, d1 in pairwise(sorted(printed[cls.class_code])):
            prev, _ = printed[cls.class_code][d0]
            actual, source = printed[cls.class_code][d1]
            gen = [(d, p) for d, p in sorted(general.items()) if d0 < d <= d1]
            adj = [(d, p) for d, p in sorted(market.get(basis or "", {}).items()) if d0 < d <= d1]
            row = _check(cls, basis, by_code, prev, actual, d1, gen, adj, source)
            base_now = printed.get(basis or "", {}).get(d1)
            if cls.payroll_only and base_now and basis != cls.class_code and row.detail:
                row = replace(
                    row, detail=row.detail + _payroll_note(cls, basis, base_now[0], actual)
                )
            rows.append(row)
    return rows


def _printed_step_a(result: ParseResult) -> dict[str, dict[date, tuple[int, SourceRef]]]:
    """Per class, the printed (not derived) step A rate in cents on each date, and its source."""
    printed: dict[str, dict[date, tuple[int, SourceRef]]] = defaultdict(dict)
    for r in result.salary_rates:
        if r.agreement_id == AGREEMENT_ID and r.step == "A" and not r.is_derived:
            printed[r.class_code][r.effective_date] = (int(decimal_of(r.hourly) * 100), r.source)
    return printed


def _increases(
    result: ParseResult,
) -> tuple[dict[date, float], dict[str, dict[date, float]]]:
    """The agreement's general increases by date, and its market adjustments by class and date."""
    general: dict[date, float] = {}
    market: dict[str, dict[date, float]] = defaultdict(dict)
    for w in result.wage_increases:
        if w.agreement_id != AGREEMENT_ID or w.effective_date is None or w.pct is None:
            continue
        if w.kind == "general":
            general[w.effective_date] = w.pct
        elif w.kind == "market" and w.class_code:
            market[w.class_code][w.effective_date] = w.pct
    return general, market


def _payroll_note(cls: JobClass, basis: str | None, base_cents: int, actual: int) -> str:
    """How the printed payroll-only range sits against its base class on the same date."""
    note = f"; printed {actual} = {actual / base_cents:.4f} x base class {basis} range {base_cents}"
    suffix = _PAYROLL_SUFFIX.search(cls.class_title or "")
    if suffix and suffix.group(1) in PAYROLL_PREMIUM:
        pct, section = PAYROLL_PREMIUM[suffix.group(1)]
        set_from_base = int(round_half_up(Decimal(base_cents) * (1 + Decimal(str(pct)) / 100), 0))
        note += (
            f"; {section} puts this assignment {pct:g}% above the base: {base_cents} x "
            f"{1 + pct / 100:g} -> {set_from_base}"
        )
    return note


def _formula(
    cls: JobClass,
    basis: str | None,
    by_code: dict[str, JobClass],
    gen: list[tuple[date, float]],
    adj: list[tuple[date, float]],
    d1: date,
) -> str:
    parts = [f"8.1 general {p:g}%" for _, p in gen] or [f"no 8.1 general increase on {d1:%m/%d/%y}"]
    nonzero = [(d, p) for d, p in adj if p]
    if nonzero:
        multi = len(nonzero) > 1
        parts += [
            f"Appendix B {p:.2f}%" + (f" ({d:%m/%d/%y})" if multi else "") for d, p in nonzero
        ]
    elif adj:
        parts.append("Appendix B 0.00%")
    else:
        parts.append("no Appendix B row")
    text = " x ".join(parts)
    if basis and basis != cls.class_code:
        base = by_code.get(basis)
        text += (
            f" (payroll-only class following base class {basis} {base.class_title if base else ''})"
        )
    return text.rstrip()


def _check(
    cls: JobClass,
    basis: str | None,
    by_code: dict[str, JobClass],
    prev: int,
    actual: int,
    d1: date,
    gen: list[tuple[date, float]],
    adj: list[tuple[date, float]],
    source: SourceRef,
) -> AuditRow:
    g_factor, a_factor = _factor([p for _, p in gen]), _factor([p for _, p in adj])
    exact = Decimal(prev) * g_factor * a_factor
    expected = int(round_half_up(exact, 0))
    additive_exact = Decimal(prev) * (
        1 + sum((Decimal(str(p)) for _, p in gen + adj), Decimal(0)) / 100
    )
    additive = int(round_half_up(additive_exact, 0))
    formula = _formula(cls, basis, by_code, gen, adj, d1)
    diff = actual - expected

    def row(status: str, explained_by: str | None, exp_cents: int, detail: str) -> AuditRow:
        return AuditRow(
            agency=AGENCY,
            agreement_id=AGREEMENT_ID,
            check=CHECK,
            class_code=cls.class_code,
            effective_date=d1,
            expected=exp_cents / 100,
            actual=actual / 100,
            explained_by=explained_by,
            status=status,
            detail=detail,
            source=source,
        )

    if basis is None:
        return row(
            "unexplained",
            None,
            expected,
            "payroll-only (*) class with no Appendix B row of its own and no base class found "
            f"by title or in PAYROLL_BASE_FALLBACK; general increase alone gives {expected}, "
            f"printed {actual}",
        )
    if diff == 0:
        return row(
            "explained",
            formula,
            expected,
            f"range {prev} x {g_factor * a_factor:.6f} = {exact:.3f} -> {expected} cents, "
            "as printed",
        )
    if abs(diff) <= 1:
        detail = _rounding(cls, prev, actual, expected, exact, g_factor, a_factor)
        return row("explained", formula, expected, detail)
    implied = (Decimal(actual) / (Decimal(prev) * g_factor) - 1) * 100
    change = (Decimal(actual) / Decimal(prev) - 1) * 100
    if abs(actual - additive) <= 1:
        return row(
            "explained",
            f"additive: 1 + {formula.replace(' x ', ' + ')}",
            additive,
            f"multiplicative formula gives {expected} ({diff:+d} cents); adding the percentages "
            f"gives {additive_exact:.3f} -> {additive}, printed {actual}",
        )
    return row(
        "unexplained",
        None,
        expected,
        f"printed {actual} vs expected {expected} ({diff:+d} cents) from {formula}; implied "
        f"adjustment {implied:+.2f}% on top of the general increase (printed change "
        f"{change:+.2f}% from {prev}); the additive formula gives {additive}, no better",
    )


def _rounding(
    cls: JobClass,
    prev: int,
    actual: int,
    expected: int,
    exact: Decimal,
    g_factor: Decimal,
    a_factor: Decimal,
) -> str:
    """Why a printed range a cent off the compounded one is still explained."""
    detail = (
        f"off by {actual - expected:+d} cent from rounding: range {prev} x "
        f"{g_factor * a_factor:.6f} = {exact:.3f} rounds to {expected}, printed {actual}"
    )
    two_stage = int(round_half_up(round_half_up(Decimal(prev) * a_factor, 0) * g_factor, 0))
    if two_stage == actual and a_factor != 1:
        detail += (
            "; applying the Appendix B adjustment first and rounding to the cent before the "
            f"general increase gives {actual} exactly"
        )
    if cls.payroll_only:
        detail += (
            "; payroll-only ranges are set from their base class's range, so they can "
            "drift a cent from compounding their own previous value"
        )
    return detail
