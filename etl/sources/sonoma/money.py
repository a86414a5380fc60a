"""Sonoma money items computed from the text rather than typed in: the 11.2 tuition and
textbook tables (parsed), and later-year amounts the text defines by a rule (derived):
9.17.2/9.17.3 sexual assault exam payments rise by each 8.1 increase, and the 18.8 Marina
Supervisor housing allowance rises $50 a fiscal year to a maximum.

Derived rows end their eligibility with "; derived from <article>: <arithmetic>", so a reader
(and analysis.compensation) can tell them from printed rates and still group them with the
printed rate they follow.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, normalize_ws
from etl.records import Premium, SourceRef, WageIncrease
from etl.rounding import decimal_of, round_half_up
from etl.sources.sonoma.appendix import AGENCY, AGREEMENT_ID, DOC

FISCAL_YEAR_START_MONTH = 7  # FY 2002-03 starts July 1, 2002 (dated as 9.6.6 rows are)

# --- 11.2 tuition and textbook tables --------------------------------------------------------

_TABLE_HEADER = re.compile(r"^Class (\d{4})-\d{4} (\d{4})-\d{4} (\d{4})-\d{4}$")
_GROUP = re.compile(r"^Bargaining Units?:? (?P<units>[\d ,&]+?)\s*\((?P<name>[^)]+)\)$")
_ROW = re.compile(r"^(?P<label>.*?) ?(?P<kind>Maximum Benefit|Rollover|Benefit) (\d+) (\d+) (\d+)$")
_SECTION = re.compile(r"^(11\.2\.\d)\b")

_TUITION = {
    "Benefit": (
        "tuition_textbook_benefit",
        "usd_per_year",
        "tuition and textbook reimbursement available in the fiscal year for approved costs "
        "(courses, licences and certifications, professional fees and materials, travel; "
        "claims of $25 or more)",
    ),
    "Rollover": (
        "tuition_textbook_rollover",
        "usd_cap",
        "most of the unused funds carried into the next fiscal year (a ceiling, not a payment)",
    ),
    "Maximum Benefit": (
        "tuition_textbook_maximum",
        "usd_cap",
        "most available in one fiscal year, benefit plus rollover (a ceiling, not a payment)",
    ),
}


def _units(text: str) -> str:
    # The table prints "001, 005, 0010 & 0025": unit codes are four digits (cover page).
    return ", ".join(u.zfill(4) for u in re.findall(r"\d+", text))


def _section(doc: RawDocument, line: int) -> str:
    for n in range(line, 0, -1):
        m = _SECTION.match(doc.line(n).strip())
        if m:
            # The supervisory table sits in 11.2.2 item a), the first one directly in 11.2.1.
            return m.group(1) + (" a" if m.group(1) == "11.2.2" else "")
    raise SourceParseError(doc.name, line, "tuition table outside 11.2")


def _exact_line(doc: RawDocument, text: str, start: int = 1) -> int:
    """The body line that is exactly `text` (the table of contents adds dotted leaders)."""
    for n in range(start, len(doc.lines) + 1):
        if normalize_ws(doc.line(n)) == text:
            return n
    raise SourceParseError(doc.name, None, f"heading {text!r} not found")


def tuition_premiums(doc: RawDocument) -> list[Premium]:
    """Every cell of the 11.2.1 and 11.2.2 tables: benefit, rollover and maximum per unit
    group, FTE tier and fiscal year. Maximum = benefit + rollover is checked for every cell."""
    start = _exact_line(doc, "11.2 Tuition and Textbook - Reimbursement")
    end = _exact_line(doc, "11.2.3 Tuition and Textbook - Reopener", start)
    out: list[Premium] = []
    n = start
    while n < end:
        header = _TABLE_HEADER.match(normalize_ws(doc.line(n)))
        if header:
            years = [int(y) for y in header.groups()]
            n, rows = _table(doc, n + 1, end, years)
            out.extend(rows)
        n += 1
    if len(out) != 3 * 3 * 6:  # 3 fiscal years x (benefit, rollover, maximum) x 6 tiers
        raise SourceParseError(doc.name, start, f"11.2 tables: {len(out)} cells, expected 54")
    return out


_Cell = tuple[int, str, str, list[int], tuple[str, str]]  # line, label, kind, values, group


def _table(doc: RawDocument, n: int, end: int, years: list[int]) -> tuple[int, list[Premium]]:
    """The rows of one table from line n; returns (last line read, premiums)."""
    n, cells = _table_rows(doc, n, end)
    section = _section(doc, cells[0][0])
    out: list[Premium] = []
    for i in range(0, len(cells), 3):
        out.extend(_tier(doc, cells[i : i + 3], years, section))
    return n - 1, out


def _table_rows(doc: RawDocument, n: int, end: int) -> tuple[int, list[_Cell]]:
    """The table's rows from line n, each with the bargaining units it is printed under."""
    group: tuple[str, str] | None = None
    cells: list[_Cell] = []
    while n < end:
        text = normalize_ws(doc.line(n))
        if g := _GROUP.match(text):
            group = (_units(g["units"]), g["name"])
        elif r := _ROW.match(text):
            if group is None:
                raise SourceParseError(doc.name, n, "tuition row before its bargaining unit")
            values = [int(v) for v in r.groups()[2:]]
            cells.append((n, r["label"], r["kind"], values, group))
        else:
            break
        n += 1
    if not cells:
        raise SourceParseError(doc.name, n, "tuition table without rows")
    return n, cells


def _tier(doc: RawDocument, triple: list[_Cell], years: list[int], section: str) -> list[Premium]:
    """One FTE tier: its Benefit, Rollover and Maximum Benefit rows, checked to add up."""
    kinds = [c[2] for c in triple]
    if kinds != ["Benefit", "Rollover", "Maximum Benefit"]:
        raise SourceParseError(doc.name, triple[0][0], f"tuition rows out of order: {kinds}")
    benefit, rollover, most = (c[3] for c in triple)
    if [b + r for b, r in zip(benefit, rollover, strict=True)] != most:
        raise SourceParseError(doc.name, triple[2][0], "Maximum Benefit != Benefit + Rollover")
    # The FTE tier is printed across two lines: "F/T and P/T" / ".75 & above".
    tier = f"{triple[0][1]} {triple[1][1]}"
    out: list[Premium] = []
    for line, _, kind, values, (units, name) in triple:
        premium, basis, what = _TUITION[kind]
        eligibility = (
            f"Units {units} ({name}), {tier} (as printed): {what}. Fiscal years dated at "
            "their start (July 1); the table stops at FY 2004-05 (reopener in year 3, 11.2.3)"
        )
        for year, value in zip(years, values, strict=True):
            when = date(year, FISCAL_YEAR_START_MONTH, 1)
            ref = SourceRef(DOC, line, section)
            row = (premium, basis, float(value), when, eligibility, ref)
            out.append(Premium(AGENCY, AGREEMENT_ID, *row))
    return out


# --- later-year amounts the text defines by a rule ---------------------------------------------

EXAM_PREMIUMS = ("sexual_assault_exam_day_shift", "sexual_assault_exam_call_back")
EXAM_RULE = "premium will be increased each year by the same percentage rate"
HOUSING = "marina_supervisor_housing_allowance"
HOUSING_RULE = re.compile(
    r"increased \$(?P<step>\d+) each fiscal year to a maximum of \$(?P<cap>\d+) per month"
)


def _money(x: Decimal) -> str:
    return f"${x:,.2f}"


def exam_amounts(
    premiums: list[Premium], general: list[WageIncrease], doc: RawDocument
) -> list[Premium]:
    """9.17.2 / 9.17.3: each 8.1 increase after the printed amount's date applied to the
    previous amount (as salary ranges are), rounded half up to the cent."""
    out: list[Premium] = []
    for base in (p for p in premiums if p.premium in EXAM_PREMIUMS):
        if base.effective_date is None:
            raise SourceParseError(doc.name, base.source.line, f"{base.premium}: no start date")
        rule_line, _ = doc.require(EXAM_RULE, start_line=base.source.line, context="9.17")
        source = SourceRef(DOC, rule_line, f"{base.source.section} (derived from 8.1)")
        prev = decimal_of(base.value)
        for inc in sorted(general, key=lambda w: w.effective_date or date.min):
            if inc.effective_date is None or inc.pct is None:
                continue
            if inc.effective_date <= base.effective_date:
                continue
            factor = 1 + decimal_of(inc.pct) / 100
            exact = prev * factor
            amount = round_half_up(exact)
            how = (
                f"{_money(prev)} x {factor} = ${exact.normalize():f} -> {_money(amount)} (the "
                f"{inc.pct:g}% of {inc.effective_date:%m/%d/%y}, rounded half up to the cent)"
            )
            out.append(_derived(base, amount, inc.effective_date, "Art. 8.1", how, source))
            prev = amount
    return out


def housing_amounts(premiums: list[Premium], doc: RawDocument, term_end: date) -> list[Premium]:
    """18.8: $50 more each fiscal year after the first, up to the printed maximum."""
    out: list[Premium] = []
    for base in (p for p in premiums if p.premium == HOUSING):
        m = HOUSING_RULE.search(doc.line(base.source.line))
        if m is None or base.effective_date is None:
            raise SourceParseError(doc.name, base.source.line, "18.8: the $50 rule not found")
        step, cap = Decimal(m["step"]), Decimal(m["cap"])
        prev, year = decimal_of(base.value), base.effective_date.year
        if base.effective_date.month >= FISCAL_YEAR_START_MONTH:
            year += 1  # the next fiscal year starts the July after the printed date
        while prev < cap and date(year, FISCAL_YEAR_START_MONTH, 1) <= term_end:
            amount = min(prev + step, cap)
            how = (
                f"{_money(prev)} + {_money(step)} = {_money(amount)} from FY {year}-"
                f"{(year + 1) % 100:02d}{' (the maximum)' if amount == cap else ''}"
            )
            when = date(year, FISCAL_YEAR_START_MONTH, 1)
            out.append(_derived(base, amount, when, "18.8", how, base.source))
            prev, year = amount, year + 1
    return out


def _derived(
    base: Premium, amount: Decimal, when: date, rule: str, how: str, source: SourceRef
) -> Premium:
    return replace(
        base,
        value=float(amount),
        effective_date=when,
        eligibility=f"{base.eligibility}; derived from {rule}: {how}",
        source=source,
    )
