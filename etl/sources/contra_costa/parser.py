"""Contra Costa County – AFSCME Local 2700 Letter of Understanding, Oct 1 1993 – Sep 30 1995.

The source is an OCR scan flattened to one long line (after a "Loading..." line). Wages move in
salary *levels* rather than along a printed schedule, and the document has no salary table, so
this parser returns no classes and no salary_rates. It returns:

- the agreement, with its term and units read from the Board resolution at the start;
- the two level-based general increases ("increase salary by 10 levels(1.0045%)"), read by
  pattern, with the factor of one level derived from the text as (1 + X/100) ** (1/N);
- premiums, benefit shares and provisions from curated CSVs in data/reference/, because the OCR
  prose is too irregular to parse; each row carries a verbatim quote located in the raw line, and
  every number a row states must appear in its quote.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from etl.curated import (
    BENEFIT_SHARE_COLUMNS,
    PREMIUM_COLUMNS,
    PROVISION_COLUMNS,
    load_curated,
    long_date,
    to_records,
)
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import (
    Agreement,
    BenefitShare,
    ParseResult,
    Premium,
    Provision,
    SourceRef,
    WageIncrease,
)
from etl.registry import CONTRA_COSTA
from etl.time_off import load_time_off

AGENCY = CONTRA_COSTA.agency
AGREEMENT_ID = CONTRA_COSTA.agreement_id
DOC = CONTRA_COSTA.doc
UNION = CONTRA_COSTA.union
TITLE = CONTRA_COSTA.title

PREMIUMS_CSV = "contra_costa_premiums.csv"
BENEFITS_CSV = "contra_costa_benefits.csv"
PROVISIONS_CSV = "contra_costa_provisions.csv"
TIME_OFF_CSV = "contra_costa_time_off.csv"


WAGES_SECTION = "Tentative Agreement Wages & Health Plan Adjustments (January 13, 1994), 1. Wages"

_DATE = r"[A-Z][a-z]+\s+\d{1,2},\s*\d{4}"
# "Effective July 1, 1994, increase salary by 10 levels(1.0045%)." X is a percent: 1.0045% is
# the compounded 1.001 ** 10 - 1, which the text also calls "the 1% salary increase".
LEVEL_INCREASE = re.compile(
    rf"Effective\s+(?P<date>{_DATE}),\s*increase\s+salary\s+by\s+(?P<levels>\d+)\s+levels"
    r"\s*\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)"
)
# "...above the cost of the 20 level salary increase": the total both increases must add up to.
LEVEL_TOTAL = re.compile(r"cost\s+of\s+the\s+(?P<levels>\d+)\s+level\s+salary\s+increase")
TERM = re.compile(
    rf"conditions\s+of\s+employment\s+for\s+the\s+period\s+(?P<start>{_DATE})\s+through\s+"
    rf"(?P<end>{_DATE})"
)
UNITS = re.compile(
    r"representing\s+approximately\s+(?P<employees>\d[\d,]*)\s+employees\s+in\s+"
    r"(?P<units>\d+)\s+bargaining\s+units"
)
UNION_NAME = "United Clerical, Technical & Specialized Employees"
# The OCR spaces it "United Clerical , Technical & Specialized Employees, AFSCME Local 2700".
UNION_NAME_PATTERN = re.compile(
    r"United\s+Clerical\s*,\s*Technical\s*&\s*Specialized\s+Employees\s*,\s*AFSCME\s+Local\s+2700"
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Printed percentages have 4 decimals, so factors from different sentences agree to ~1e-7.
LEVEL_FACTOR_REL_TOL = 1e-6


@dataclass(frozen=True)
class LevelIncrease:
    """One "Effective <date>, increase salary by N levels (X%)" sentence, where it was found."""

    effective_date: date
    levels: int
    pct: float
    line: int
    col: int

    @property
    def factor(self) -> float:
        """The whole increase as a multiplier: X% means 1 + X/100."""
        return 1 + self.pct / 100

    @property
    def level_factor(self) -> float:
        """One level as a multiplier: levels compound, so the N-th root of the whole factor."""
        return self.factor ** (1 / self.levels)


def _month_date(text: str, doc: str, line: int) -> date:
    try:
        return long_date(text)
    except ValueError:
        raise SourceParseError(doc, line, f"cannot read the date {text!r}") from None


def _search(raw: RawDocument, pattern: re.Pattern[str], what: str) -> tuple[re.Match[str], int]:
    """First match of `pattern` in any line, with its 1-based line; missing is an error."""
    for n, text in enumerate(raw.lines, start=1):
        m = pattern.search(text)
        if m:
            return m, n
    raise SourceParseError(raw.name, None, f"{what} not found (pattern {pattern.pattern!r})")


def find_level_increases(raw: RawDocument) -> list[LevelIncrease]:
    """Every level-based increase sentence in the document, in text order."""
    out = []
    for n, text in enumerate(raw.lines, start=1):
        for m in LEVEL_INCREASE.finditer(text):
            out.append(
                LevelIncrease(
                    effective_date=_month_date(m["date"], raw.name, n),
                    levels=int(m["levels"]),
                    pct=float(m["pct"]),
                    line=n,
                    col=m.start() + 1,
                )
            )
    if not out:
        raise SourceParseError(
            raw.name,
            None,
            "no 'Effective <date>, increase salary by N levels (X%)' sentence found; "
            "the wage increases cannot be read",
        )
    return out


def level_factor(increases: Sequence[LevelIncrease], doc: str = DOC) -> float:
    """The multiplier of one salary level. Every increase sentence must imply the same one
    (to the rounding of its printed percent), else the text is not what we think it is."""
    if not increases:
        raise SourceParseError(doc, None, "no level increases to derive the level factor from")
    first = increases[0].level_factor
    for inc in increases[1:]:
        if not math.isclose(inc.level_factor, first, rel_tol=LEVEL_FACTOR_REL_TOL):
            raise SourceParseError(
                doc,
                inc.line,
                f"the increase of {inc.effective_date} implies 1 level = factor "
                f"{inc.level_factor:.7f}, but the first implies {first:.7f}",
            )
    return first


def parse_wage_increases(raw: RawDocument) -> list[WageIncrease]:
    """The general increases, as printed percents, each noting the derived level factor.

    The levels of all increases must add up to the "N level salary increase" the text costs
    out, which catches a sentence that failed to match."""
    increases = find_level_increases(raw)
    factor = level_factor(increases, raw.name)
    total, total_line = _search(raw, LEVEL_TOTAL, "the total 'cost of the N level salary increase'")
    found = sum(inc.levels for inc in increases)
    if found != int(total["levels"]):
        raise SourceParseError(
            raw.name,
            total_line,
            f"the text costs a {total['levels']} level increase, but the increase sentences "
            f"found add up to {found} levels",
        )
    return [
        WageIncrease(
            agency=AGENCY,
            agreement_id=AGREEMENT_ID,
            effective_date=inc.effective_date,
            kind="general",
            class_code=None,
            pct=inc.pct,
            amount=None,
            note=(
                f"{inc.levels} salary levels; 1 level = factor {factor:.6g} (derived from the "
                f"text: (1 + {inc.pct:g}/100) ** (1/{inc.levels}))"
            ),
            source=SourceRef(raw.name, inc.line, WAGES_SECTION, inc.col),
        )
        for inc in increases
    ]


def parse_agreement(raw: RawDocument) -> Agreement:
    """The agreement row, with term and units as the Board resolution states them."""
    term, _ = _search(raw, TERM, "the contract period in the Board resolution")
    units, line = _search(raw, UNITS, "the number of employees and bargaining units")
    _search(raw, UNION_NAME_PATTERN, f"the union name {UNION_NAME!r}")
    return Agreement(
        agreement_id=AGREEMENT_ID,
        agency=AGENCY,
        union=UNION,
        title=TITLE,
        doc=raw.name,
        units=(
            f"{UNION_NAME}: {units['units']} bargaining units, approximately "
            f"{units['employees']} employees (the units are not named in the text)"
        ),
        term_start=_month_date(term["start"], raw.name, line),
        term_end=_month_date(term["end"], raw.name, line),
    )


# --- curated rows ---------------------------------------------------------------------------


def _with_col(rows: list[dict[str, Any]], raw: RawDocument) -> list[dict[str, Any]]:
    """Record the column of each quote. load_curated only does so for single-line files, and this
    one has a "Loading..." line before the long OCR line, so without this every row cites 2."""
    for row in rows:
        line, col = raw.require(row["quote"])  # load_curated has already found it
        row["source"] = SourceRef(raw.name, line, row["section"], col)
    return rows


# Words that state a whole cost as the County's without printing "100%".
_ALL_AT_COUNTY_EXPENSE = ("at County expense", "at no cost to the employee")


def _require_in_quote(csv_name: str, row: dict[str, Any], column: str) -> None:
    """A curated number must be printed in its own quote: catches typos in hand-entered rows.
    An employer share of 100 may instead be stated in words (_ALL_AT_COUNTY_EXPENSE)."""
    value = row[column]
    if value is None:
        return
    quote = row["quote"].casefold()
    if (
        column == "employer_pct"
        and value == 100
        and any(w.casefold() in quote for w in _ALL_AT_COUNTY_EXPENSE)
    ):
        return
    printed = {float(n.replace(",", "")) for n in _NUMBER.findall(row["quote"])}
    if not any(math.isclose(value, p) for p in printed):
        raise SourceParseError(
            f"data/reference/{csv_name}",
            None,
            f"{value:g} does not appear in the quote of the row for {row['section']!r}",
            column=column,
        )


def load_premiums(path: Path, raw: RawDocument) -> list[Premium]:
    """Premium pay with a stated rate (here only hazard pay; no shift, standby or bilingual)."""
    rows = _with_col(load_curated(path, raw, PREMIUM_COLUMNS), raw)
    for row in rows:
        _require_in_quote(path.name, row, "value")
    return to_records(Premium, rows, AGENCY, AGREEMENT_ID)


def load_benefit_shares(path: Path, raw: RawDocument) -> list[BenefitShare]:
    """Health plan subvention (County share), co-pays and the dental maximum.

    The text states only the County share; the employee share is derived as 100 − it and the
    note says so."""
    rows = _with_col(load_curated(path, raw, BENEFIT_SHARE_COLUMNS), raw)
    for row in rows:
        for column in ("employer_pct", "employee_pct", "employee_amount"):
            _require_in_quote(path.name, row, column)
        if row["employer_pct"] is not None and row["employee_pct"] is None:
            row["employee_pct"] = 100 - row["employer_pct"]
            derived = "employee share derived as 100 − County share"
            row["note"] = f"{row['note']}; {derived}" if row["note"] else derived
    return to_records(BenefitShare, rows, AGENCY, AGREEMENT_ID)


def load_provisions(path: Path, raw: RawDocument) -> list[Provision]:
    """Non-wage terms worth comparing, each a plain-words summary of its quote."""
    rows = _with_col(load_curated(path, raw, PROVISION_COLUMNS), raw)
    return to_records(Provision, rows, AGENCY, AGREEMENT_ID)


def parse(raw_dir: Path, reference_dir: Path) -> ParseResult:
    """Everything the Contra Costa letter of understanding contributes (no classes or rates:
    the document has no salary table)."""
    raw = RawDocument.load(raw_dir / DOC)
    return ParseResult(
        agreements=[parse_agreement(raw)],
        wage_increases=parse_wage_increases(raw),
        premiums=load_premiums(reference_dir / PREMIUMS_CSV, raw),
        benefit_shares=load_benefit_shares(reference_dir / BENEFITS_CSV, raw),
        provisions=load_provisions(reference_dir / PROVISIONS_CSV, raw),
        time_off=load_time_off(reference_dir / TIME_OFF_CSV, raw, AGENCY, AGREEMENT_ID),
    )
