"""Benefit rate files: the premiums and employer rates a budget analyst has on the desk (a
county's plan rate sheet, the retirement system's employer rate), one row per plan, tier and
date, as CSV or XLSX (the first sheet)::

    agency,benefit,plan,tier,monthly_premium,pct_of_pay,effective_date,source
    Sonoma,medical,Kaiser,Family,"1,021.50",,2004-01-01,"County rate sheet 2004, p. 2"
    Sonoma,retirement,SCERA General,,,11.72,2004-06-22,"SCERA valuation 2003, p. 14"

- ``agency``: an agency of the warehouse ("Sonoma"; "Sonoma County" and any spacing or case
  denote it too: etl.agency_names.typed_matches, the rule `resolve` applies); an unknown name
  is refused with the nearest one suggested, an ambiguous one with its candidates named.
- ``benefit``: a benefit word of the warehouse that a premium or an employer rate prices:
  medical, dental, vision, health_combined (medical, dental and vision in one premium),
  life_insurance, long_term_disability, eap, retirement (the words or their labels, e.g.
  "Long-term disability"); others are refused (the nearest suggested; deferred compensation
  and the housing match are priced by the agreement itself).
- ``plan``: the plan as the rate sheet names it (Kaiser, County Health Plan); compared with
  the agreement's plans by their words. May be blank for a benefit with one plan.
- ``tier``: a coverage tier: Employee only (Single, EE), Employee + 1 (Two Party, Employee +
  Spouse), Employee + children, Family (Employee + Family); blank when the premium is the same
  for every tier (life insurance) or for a rate in % of pay.
- ``monthly_premium``: dollars a month for the plan and tier ("$" and thousands commas
  allowed), from 0 to MAX_MONTHLY_PREMIUM; ``pct_of_pay``: an employer rate in percent of pay
  (11.72, "11.72%", or a workbook cell formatted as a percentage), from 0 to MAX_PCT. Each row
  has exactly one of the two, and one benefit of an agency has one kind.
- ``effective_date``: YYYY-MM-DD (or a workbook date cell); ``source``: the document and page
  the number comes from (required: every number is cited).

A file with any problem raises BenefitRatesError (an InputError) listing each problem with
its row (the header is row 1) and column, the nearest word suggested where one was
mistyped; nothing from it is returned. Rows repeating an agency, benefit, plan, tier and date
with another amount are an error (which one is right?); an exact repeat is kept once and said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from etl import agency_names, benefit_pricing, cells, defaults, labels
from etl.errors import InputError, Problems
from etl.uploads import reader as uploads
from etl.uploads.table import exact_header
from etl.vocabulary_words import COVERAGE_TIERS, TIER_WORDS

COLUMNS = benefit_pricing.RATE_FILE_COLUMNS
# The rows a file gives (userdata.benefit_rates stores them with the file and import id).
ROW_COLUMNS = benefit_pricing.RATE_ROW_COLUMNS
MAX_PREMIUM = defaults.MAX_MONTHLY_PREMIUM
MAX_PCT = defaults.MAX_PCT


class BenefitRatesError(InputError):
    """A benefit rate file that cannot be used; the message names rows and columns."""

    consequence = "nothing from it was stored"


@dataclass
class RateFile:
    """A rate file read without a problem: its rows (ROW_COLUMNS), and what a person should
    know before saving it (exact repeats kept once, names read as another agency)."""

    file_name: str
    rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """One row per agency and benefit: rows, plans, tiers, dates, kind."""
        out = []
        for (agency, benefit), g in self.rows.groupby(["agency", "benefit"], sort=True):
            kind = "% of pay" if g["pct_of_pay"].notna().any() else "monthly premium"
            out.append(
                {
                    "agency": agency,
                    "benefit": benefit,
                    "kind": kind,
                    "rows": len(g),
                    "plans": ", ".join(sorted({p for p in g["plan"].dropna() if p})),
                    "tiers": ", ".join(sorted({t for t in g["tier"].dropna() if t})),
                    "dates": ", ".join(sorted({d.isoformat() for d in g["effective_date"]})),
                }
            )
        return pd.DataFrame(out)


def _fold_word(text: str) -> str:
    return "_".join(text.replace("-", " ").replace(",", " ").casefold().split())


# The benefit words a rate file may use, and their labels, folded.
_BENEFIT_WORDS = {
    **{_fold_word(b): b for b in benefit_pricing.PRICEABLE},
    **{_fold_word(labels.label("benefit", b)): b for b in benefit_pricing.PRICEABLE},
}
_NOT_PRICEABLE = {
    "deferred_comp": "deferred compensation is priced from the agreement (its % of pay)",
    "housing_assistance": "the housing match is priced from the agreement (its cents an hour)",
    "pst_457": "the PST/457 plan is for part-time and extra-help employees, not every employee",
    "medical_copay": "a co-pay is what the member pays at a visit, not a premium",
    "medical_premium_increase": "a share of an increase is not a premium; give the premium",
}


def _nearest_word(word: str, choices: list[str]) -> str:
    near = agency_names.nearest(word, choices, cutoff=0.5)
    return f"; did you mean {near[0]!r}?" if near else ""


def _benefit(raw: object, idx: int, problems: Problems) -> str | None:
    word = _text(raw, idx, "benefit", problems)
    if not word:
        return None
    folded = _fold_word(word)
    if folded in _BENEFIT_WORDS:
        return _BENEFIT_WORDS[folded]
    if folded in _NOT_PRICEABLE:
        problems.add(idx, "benefit", f"{word!r}: {_NOT_PRICEABLE[folded]}")
        return None
    words = ", ".join(benefit_pricing.PRICEABLE)
    hint = _nearest_word(folded, list(benefit_pricing.PRICEABLE))
    problems.add(idx, "benefit", f"{word!r} is not a benefit word of the warehouse{hint} ({words})")
    return None


def _tier(raw: object, idx: int, problems: Problems) -> str | None:
    word = _text(raw, idx, "tier", problems, required=False)
    try:
        code = benefit_pricing.tier_code(word)
    except ValueError:
        tiers = ", ".join(COVERAGE_TIERS.values())
        choices = list(COVERAGE_TIERS.values())
        near = _nearest_word(word, choices) or _nearest_word(
            benefit_pricing.fold_tier(word), list(TIER_WORDS)
        )
        problems.add(idx, "tier", f"{word!r} is not a coverage tier{near} ({tiers}; or blank)")
        return None
    return COVERAGE_TIERS[code] if code else None


def _agency(raw: object, idx: int, known: list[str], problems: Problems) -> str | None:
    name = _text(raw, idx, "agency", problems)
    if not name:
        return None
    hits = agency_names.typed_matches(name, known)
    if len(hits) == 1:
        return hits[0]
    if hits:
        problems.add(idx, "agency", agency_names.ambiguous(name, hits))
        return None
    near = agency_names.nearest(name, known)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    problems.add(
        idx,
        "agency",
        f"{name!r} is not an agency of the warehouse{hint} (it has {', '.join(known)})",
    )
    return None


def _text(raw: object, idx: int, column: str, problems: Problems, *, required: bool = True) -> str:
    try:
        v = cells.text(raw, defaults.MAX_TEXT)
    except cells.CellError as exc:
        problems.add(idx, column, str(exc))
        return ""
    if not v and required:
        problems.add(idx, column, "empty; a value is required")
    return v


def _amount(raw: object, idx: int, column: str, problems: Problems) -> float | None:
    """A monthly premium or a percent of pay, within its bounds; None when blank or bad."""
    if cells.is_blank(raw):
        return None
    read, most, what = (
        (cells.money, MAX_PREMIUM, "a month")
        if column == "monthly_premium"
        else (cells.percent, MAX_PCT, "% of pay")
    )
    try:
        value = read(raw)
    except cells.CellError as exc:
        problems.add(idx, column, str(exc))
        return None
    if value < 0:
        problems.add(idx, column, f"{value:,.2f} is negative; a cost is 0 or more")
        return None
    if value > most:
        limit = f"${most:,.0f} {what}" if column == "monthly_premium" else f"{most:g}{what}"
        hint = (
            " (is it a yearly figure? give dollars a month)"
            if column == "monthly_premium"
            else " (a percent of pay: 11.72 for 11.72%)"
        )
        problems.add(idx, column, f"{value:,.2f} is more than {limit}{hint}")
        return None
    return value


def _date(raw: object, idx: int, problems: Problems) -> date | None:
    try:
        return cells.iso_date(raw)
    except cells.CellError as exc:
        problems.add(idx, "effective_date", str(exc))
        return None


def _row(cell: dict, idx: int, known: list[str], problems: Problems) -> dict | None:
    """One data row as ROW_COLUMNS (sheet added by the caller), or None (problems added)."""
    before = len(problems)
    agency = _agency(cell["agency"], idx, known, problems)
    benefit = _benefit(cell["benefit"], idx, problems)
    plan = _text(cell["plan"], idx, "plan", problems, required=False)
    tier = _tier(cell["tier"], idx, problems)
    premium = _amount(cell["monthly_premium"], idx, "monthly_premium", problems)
    pct = _amount(cell["pct_of_pay"], idx, "pct_of_pay", problems)
    when = _date(cell["effective_date"], idx, problems)
    source = _text(cell["source"], idx, "source", problems)
    blank = [cells.is_blank(cell[c]) for c in ("monthly_premium", "pct_of_pay")]
    if all(blank):
        problems.add(idx, "monthly_premium", "empty, and so is pct_of_pay: give one of them")
    elif not any(blank):
        problems.add(idx, "pct_of_pay", "a row gives a monthly_premium or a pct_of_pay, not both")
    if len(problems) > before:
        return None
    return {
        "agency": agency,
        "benefit": benefit,
        "plan": plan or None,
        "tier": tier,
        "monthly_premium": premium,
        "pct_of_pay": pct,
        "effective_date": when,
        "source": source,
        "row_no": idx,
    }


def _header(table: uploads.Table, problems: Problems) -> list[str]:
    return exact_header(table.header, COLUMNS, "a rate file", problems)


def _key(r: dict) -> tuple:
    plan = " ".join((r["plan"] or "").casefold().split())
    return (r["agency"], r["benefit"], plan, r["tier"], r["effective_date"])


def _cross_checks(rows: list[dict], problems: Problems, notes: list[str]) -> list[dict]:
    """Repeated rows (another amount: an error; the same: kept once) and a benefit given
    both as premiums and as a rate in % of pay."""
    seen: dict[tuple, dict] = {}
    kinds: dict[tuple, tuple[str, int]] = {}
    kept = []
    for r in rows:
        k = _key(r)
        amount = (r["monthly_premium"], r["pct_of_pay"])
        if k in seen:
            first = seen[k]
            if (first["monthly_premium"], first["pct_of_pay"]) != amount:
                column = "monthly_premium" if r["monthly_premium"] is not None else "pct_of_pay"
                problems.add(
                    r["row_no"],
                    column,
                    f"repeats row {first['row_no']} (same agency, benefit, plan, tier and "
                    f"effective_date) with another amount: {r[column]:,.2f} against "
                    f"{f'{first[column]:,.2f}' if first[column] is not None else 'none'}; which is "
                    "right?",
                )
            else:
                notes.append(f"row {r['row_no']} repeats row {first['row_no']}: kept once")
            continue
        seen[k] = r
        kind = "pct_of_pay" if r["pct_of_pay"] is not None else "monthly_premium"
        other = kinds.setdefault((r["agency"], r["benefit"]), (kind, r["row_no"]))
        if other[0] != kind:
            problems.add(
                r["row_no"],
                kind,
                f"{r['agency']} {r['benefit']} has a {other[0]} in row {other[1]}; one benefit "
                "is priced one way (a premium, or a rate in % of pay)",
            )
        kept.append(r)
    return kept


def read_rates(data: bytes, file_name: str, known_agencies: list[str]) -> RateFile:
    """Read a benefit rate file (module docstring; CSV or XLSX) against the warehouse's
    agencies, or raise BenefitRatesError listing what is wrong (row = spreadsheet row)."""
    try:
        table = uploads.read_table(data, file_name)
    except uploads.UploadError as exc:
        raise BenefitRatesError(exc.file, exc.problems, exc.total) from None
    problems, notes = Problems(), []
    header = _header(table, problems)
    problems.raise_if_any(BenefitRatesError, file_name)
    col = {name: header.index(name) for name in COLUMNS}
    rows = []
    for idx, record in table.rows:
        if all(cells.is_blank(c) for c in record):
            continue
        if len(record) != len(header) and table.encoding is not None:  # CSV: a cell lost
            problems.add(idx, None, f"has {len(record)} cells; the header has {len(header)}")
            continue
        cell = {name: record[i] if i < len(record) else None for name, i in col.items()}
        row = _row(cell, idx, known_agencies, problems)
        if row is not None:
            rows.append(row)
    rows = _cross_checks(rows, problems, notes)
    if not rows and not problems:
        problems.add(None, None, "the file has a header but no data rows")
    problems.raise_if_any(BenefitRatesError, file_name)
    df = pd.DataFrame(rows, columns=[*COLUMNS, "row_no"]).assign(sheet=table.sheet)
    return RateFile(file_name, df[ROW_COLUMNS].reset_index(drop=True), notes)
