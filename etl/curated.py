"""Curated reference files: hand-entered values for prose too irregular to parse, each carrying a
verbatim quote that must occur in the raw document. The quote fixes the cited line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, read_source_text
from etl.records import (
    AMOUNT_PERIODS,
    BENEFITS,
    EMPLOYEE_GROUPS,
    PREMIUM_BASES,
    PROVISION_TOPICS,
    BenefitShare,
    Premium,
    Provision,
    SourceRef,
)


def parse_date(text: str) -> date:
    return datetime.strptime(text.strip(), "%Y-%m-%d").date()


def long_date(text: str) -> date:
    """A date in words as agreements print it, "July 1, 2024". Spacing is loose, as OCR leaves
    it ("July 1,1994"); a bad date raises ValueError. (Reading dates out of a user's headings,
    in any of several forms, is etl/stated_dates.py.)"""
    return datetime.strptime(" ".join(text.replace(",", ", ").split()), "%B %d, %Y").date()


def blank_to_none(text: str) -> str | None:
    """Converter: the stripped text, or None for an empty cell."""
    return text.strip() or None


def nonempty(text: str) -> str:
    """Converter: the stripped text; an empty cell is an error."""
    if not text.strip():
        raise ValueError("must not be empty")
    return text.strip()


def optional(conv: Callable[[str], Any]) -> Callable[[str], Any]:
    """Converter that maps an empty cell to None."""

    def inner(text: str) -> Any:
        return None if text.strip() == "" else conv(text)

    return inner


def parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in {"true", "yes", "1", "y"}:
        return True
    if t in {"false", "no", "0", "n", ""}:
        return False
    raise ValueError(f"expected true/false, got {text!r}")


def one_of(allowed: frozenset[str]) -> Callable[[str], str]:
    """Converter that rejects a value outside a controlled vocabulary (etl/records.py)."""

    def conv(text: str) -> str:
        value = text.strip()
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value

    return conv


# Lines longer than this are cited with a column too, so a reader can find the quote in them.
LONG_LINE = 1000


def load_curated(
    path: Path,
    raw: RawDocument,
    converters: dict[str, Callable[[str], Any]],
    *,
    required: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Read a curated CSV. Every row needs `section` and `quote`; the quote is located in `raw`
    and becomes row['source'] (a SourceRef). Columns in `converters` are typed; a bad cell raises
    SourceParseError naming the file, CSV line and column. Other columns pass through as text.

    An optional `after` column holds verbatim text that precedes the quote: where the same
    words repeat (Sonoma 12.4 prints 'Single 14% 15%' under each plan), the quote is searched
    from the line of `after` on."""
    name = f"data/reference/{path.name}"
    handle = io.StringIO(read_source_text(path, name, "data/reference/"), newline="")
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        needed = {"section", "quote", *converters, *required}
        missing = sorted(needed - set(header))
        if missing:
            raise SourceParseError(name, 1, f"missing column(s): {', '.join(missing)}")
        rows = []
        for row in reader:
            lineno = reader.line_num
            out: dict[str, Any] = {k: (v or "") for k, v in row.items() if k is not None}
            for col, conv in converters.items():
                try:
                    out[col] = conv(out[col])
                except (ValueError, TypeError) as exc:
                    raise SourceParseError(name, lineno, str(exc), column=col) from None
            quote = out["quote"]
            start = 1
            anchor = out.get("after", "").strip()
            if anchor:
                hit = raw.find(anchor)
                if hit is None:
                    raise SourceParseError(
                        name,
                        lineno,
                        f"text not found in {raw.name}: {anchor[:80]!r}",
                        column="after",
                    )
                start = hit[0]
            found = raw.find(quote, start)
            if found is None:
                where = f" after {anchor[:40]!r}" if anchor else ""
                raise SourceParseError(
                    name,
                    lineno,
                    f"quote not found in {raw.name}{where}: {quote[:80]!r}",
                    column="quote",
                )
            line, col = found
            cite_col = len(raw.lines) == 1 or len(raw.line(line)) > LONG_LINE
            out["source"] = SourceRef(raw.name, line, out["section"], col if cite_col else None)
            rows.append(out)
    return rows


# Converters of the curated record files, the same for every agreement. Every column named here
# must be in the file.
PREMIUM_COLUMNS: dict[str, Callable[[str], Any]] = {
    "premium": nonempty,
    "basis": one_of(PREMIUM_BASES),
    "value": float,
    "effective_date": optional(parse_date),
    "eligibility": nonempty,
}
BENEFIT_SHARE_COLUMNS: dict[str, Callable[[str], Any]] = {
    "benefit": one_of(BENEFITS),
    "plan": blank_to_none,
    "tier": blank_to_none,
    "employer_pct": optional(float),
    "employee_pct": optional(float),
    "employee_amount": optional(float),
    "amount_period": optional(one_of(AMOUNT_PERIODS)),
    "effective_date": optional(parse_date),
    "note": blank_to_none,
    "employee_group": optional(one_of(EMPLOYEE_GROUPS)),
}
PROVISION_COLUMNS: dict[str, Callable[[str], Any]] = {
    "topic": one_of(PROVISION_TOPICS),
    "summary": nonempty,
    "section": nonempty,
}
COLUMNS: dict[type, dict[str, Callable[[str], Any]]] = {
    Premium: PREMIUM_COLUMNS,
    BenefitShare: BENEFIT_SHARE_COLUMNS,
    Provision: PROVISION_COLUMNS,
}


def to_records(cls: type, rows: Iterable[dict[str, Any]], agency: str, agreement_id: str) -> list:
    """Curated rows -> record objects of `cls`: agency and agreement id added, each other field
    from the row's column of that name (`source` from the quote); a field with a default (a
    column the file may leave out) takes it when absent."""
    names = [f.name for f in fields(cls) if f.name not in ("agency", "agreement_id")]
    return [cls(agency, agreement_id, **{k: r[k] for k in names if k in r}) for r in rows]


def load_records(cls: type, path: Path, raw: RawDocument, agency: str, agreement_id: str) -> list:
    """load_curated with the converters of `cls` (COLUMNS), then to_records: a curated file
    straight to records."""
    return to_records(cls, load_curated(path, raw, COLUMNS[cls]), agency, agreement_id)
