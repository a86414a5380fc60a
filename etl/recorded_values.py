"""Values a user records by hand from an imported agreement's text (a premium, a benefit
share, a time-off rule), each citing the line of the imported text it is read from.

An imported salary table carries pay, not the agreement's premiums or benefits; its MOU
(imported for clause search) holds them as words. `check` reads what a form typed with the
one cell parser's rules (etl/cells.py) and the views' vocabularies (etl/records.py), naming
the field of each problem; `read_all` turns the stored values into the warehouse's rows and
the cited texts into documents, so every value shows its line like a published one. The
caller reads the values and texts from user data and passes them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from etl import cells, records
from etl.agency_names import nearest
from etl.citations import SourceRef
from etl.defaults import MAX_MONTHLY_PREMIUM, MAX_PCT, MAX_TEXT
from etl.errors import InputError
from etl.pay import HOURS_PER_YEAR
from etl.records import ImportedDocs

KINDS = ("premium", "benefit_share", "time_off")
SOURCE = "the recorded value"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    read: Callable[[Any], Any]
    required: bool = False
    vocabulary: frozenset[str] | None = None


def _text(value: Any) -> str:
    return cells.text(value, max_len=MAX_TEXT)


def _day(value: Any) -> date:
    return cells.iso_date(value)


FIELDS: dict[str, tuple[Field, ...]] = {
    "premium": (
        Field("premium", "Premium", _text, required=True),
        Field("basis", "Basis", _text, required=True, vocabulary=records.PREMIUM_BASES),
        Field("value", "Value", cells.money, required=True),
        Field("eligibility", "Who is eligible", _text, required=True),
        Field("effective_date", "Effective date", _day),
    ),
    "benefit_share": (
        Field("benefit", "Benefit", _text, required=True, vocabulary=records.BENEFITS),
        Field("plan", "Plan", _text),
        Field("tier", "Tier", _text),
        Field("employer_pct", "Employer share (%)", cells.percent),
        Field("employee_pct", "Employee share (%)", cells.percent),
        Field("employee_amount", "Employee pays ($)", cells.money),
        Field("amount_period", "Per", _text, vocabulary=records.AMOUNT_PERIODS),
        Field("effective_date", "Effective date", _day),
        Field("note", "Note", _text),
    ),
    "time_off": (
        Field("kind", "Leave", _text, required=True, vocabulary=records.TIME_OFF_KINDS),
        Field("service_years_min", "From year of service", cells.number),
        Field("service_years_max", "Before year of service", cells.number),
        Field("hours_per_year", "Hours a year (full time)", cells.number),
        Field("cap_hours", "Most hours held", cells.number),
        Field("note", "Note", _text, required=True),
    ),
}
LIMITS = {  # plausible bounds: a typo is caught, not stored
    "value": (0, 10_000),
    "employer_pct": (0, MAX_PCT),
    "employee_pct": (0, MAX_PCT),
    "employee_amount": (0, MAX_MONTHLY_PREMIUM),  # a share of one premium
    "service_years_min": (0, 60),
    "service_years_max": (0, 60),
    "hours_per_year": (0, HOURS_PER_YEAR),
    "cap_hours": (0, 10_000),
}


def _one(f: Field, raw: Any) -> tuple[Any, str | None]:
    """One field read: (value, None) or (None, the problem)."""
    if cells.is_blank(raw):
        return None, ("is required" if f.required else None)
    try:
        value = f.read(raw)
    except cells.CellError as exc:
        return None, str(exc)
    if f.vocabulary is not None and value not in f.vocabulary:
        near = nearest(value, sorted(f.vocabulary))
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return None, f"{value!r} is not a known word{hint}"
    lo, hi = LIMITS.get(f.name, (None, None))
    if lo is not None and not lo <= value <= hi:
        return None, f"{value:g} is outside {lo:g} to {hi:g}"
    return (value.isoformat() if isinstance(value, date) else value), None


def _together(kind: str, out: dict[str, Any]) -> list[tuple]:
    """The checks across fields."""
    if kind == "benefit_share":
        found = []
        if all(out[k] is None for k in ("employer_pct", "employee_pct", "employee_amount")):
            found.append((None, "Employer share (%)", "give a share or an amount"))
        if (out["employee_amount"] is None) != (out["amount_period"] is None):
            found.append((None, "Per", "an employee amount needs its period, and only it"))
        return found
    if kind == "time_off":
        lo, hi = out["service_years_min"], out["service_years_max"]
        if lo is not None and hi is not None and hi <= lo:
            return [(None, "Before year of service", f"{hi:g} is not after {lo:g}")]
    return []


def check(kind: str, typed: dict[str, Any]) -> dict[str, Any]:
    """The fields of a value as stored (JSON-ready: dates as YYYY-MM-DD); InputError naming
    each field that cannot be used."""
    if kind not in FIELDS:
        raise InputError(SOURCE, [(None, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")])
    out: dict[str, Any] = {}
    problems = []
    for f in FIELDS[kind]:
        out[f.name], problem = _one(f, typed.get(f.name))
        if problem:
            problems.append((None, f.label, problem))
    problems = problems or _together(kind, out)
    if problems:
        raise InputError(SOURCE, problems)
    return out


@dataclass(frozen=True)
class Recorded:
    """A stored value and the line it cites (the caller joins the text's line)."""

    value_id: int
    agreement_id: str
    agency: str
    kind: str
    fields: dict[str, Any]
    doc: str  # the text's citation name (etl.citations.text_doc_name)
    line_no: int
    section: str  # the section of the text holding the line ('' before the first)
    page: int | None


@dataclass(frozen=True)
class CitedText:
    doc: str
    agency: str
    title: str
    lines: tuple[str, ...]  # the text's lines, line 1 first


def _day_or_none(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _row(v: Recorded):
    section = v.section or "text"
    ref = SourceRef(v.doc, v.line_no, f"{section}, p. {v.page}" if v.page else section)
    f = v.fields
    if v.kind == "premium":
        return "premiums", records.Premium(
            v.agency,
            v.agreement_id,
            f["premium"],
            f["basis"],
            float(f["value"]),
            _day_or_none(f["effective_date"]),
            f["eligibility"],
            ref,
        )
    if v.kind == "benefit_share":
        return "benefit_shares", records.BenefitShare(
            v.agency,
            v.agreement_id,
            f["benefit"],
            f["plan"],
            f["tier"],
            f["employer_pct"],
            f["employee_pct"],
            f["employee_amount"],
            f["amount_period"],
            _day_or_none(f["effective_date"]),
            f["note"],
            ref,
        )
    return "time_off", records.TimeOff(
        v.agency,
        v.agreement_id,
        None,
        f["kind"],
        f["service_years_min"],
        f["service_years_max"],
        f["hours_per_year"],
        f["cap_hours"],
        None,
        f["note"],
        ref,
    )


def read_all(
    values: Iterable[Recorded], texts: Iterable[CitedText], agreements: set[str]
) -> ImportedDocs:
    """The rows of every value whose agreement is in this build (`agreements`), and the texts
    they cite as documents; a value of an agreement no longer imported is left out, noted."""
    out = ImportedDocs()
    by_doc = {t.doc: t for t in texts}
    cited: list[str] = []
    for v in values:
        if v.agreement_id not in agreements or v.doc not in by_doc:
            out.notes.append(
                f"Recorded value #{v.value_id} ({v.kind} of {v.agency}) was left out of this "
                f"build: its agreement {v.agreement_id} is no longer imported"
            )
            continue
        table, row = _row(v)
        getattr(out.result, table).append(row)
        if v.doc not in cited:
            cited.append(v.doc)
            t = by_doc[v.doc]
            out.documents.append(
                (t.doc, v.agency, v.agreement_id, f"{t.title} (agreement text)", list(t.lines))
            )
    return out
