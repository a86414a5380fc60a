"""Curated reference files: hand-entered values for prose too irregular to parse, each carrying a
verbatim quote that must occur in the raw document. The quote fixes the cited line."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, read_source_text
from etl.records import SourceRef


def parse_date(text: str) -> date:
    return datetime.strptime(text.strip(), "%Y-%m-%d").date()


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
