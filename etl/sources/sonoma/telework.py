"""Sonoma County telework: the union announcement of the permanent telework agreement and the
County's Temporary Telework Guidelines, as one agreement of provisions.

Both documents are short prose, so the provisions are curated in
data/reference/telework_provisions.csv: one row per provision with a plain-words summary and a
verbatim quote. Its `doc` column names which of the two raw files the quote comes from, and each
quote is located in that file (load_curated takes one document, hence the small loader here).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from etl.errors import SourceParseError
from etl.rawtext import RawDocument, read_source_text
from etl.records import PROVISION_TOPICS, Agreement, ParseResult, Provision, SourceRef
from etl.registry import SONOMA_TELEWORK

AGENCY = SONOMA_TELEWORK.agency
AGREEMENT_ID = SONOMA_TELEWORK.agreement_id
DOCS = tuple(d.doc for d in SONOMA_TELEWORK.documents)
ANNOUNCEMENT_DOC, GUIDELINES_DOC = DOCS
UNION = SONOMA_TELEWORK.union
TITLE = SONOMA_TELEWORK.title
UNITS = "all county employees"

PROVISIONS_CSV = "telework_provisions.csv"
_COLUMNS = ("doc", "section", "topic", "summary", "quote")


def agreement() -> Agreement:
    """One agreement row for both documents; neither states a term."""
    return Agreement(
        agreement_id=AGREEMENT_ID,
        agency=AGENCY,
        union=UNION,
        title=TITLE,
        doc=ANNOUNCEMENT_DOC,
        units=UNITS,
        term_start=None,
        term_end=None,
    )


def load_provisions(path: Path, docs: dict[str, RawDocument]) -> list[Provision]:
    """Curated provisions, each quote located in the raw file its `doc` names.

    Every cell is required; an unknown doc or topic, a quote not in its document, or a document
    with no provisions at all is a SourceParseError naming the CSV line and column."""
    name = f"data/reference/{path.name}"
    handle = io.StringIO(read_source_text(path, name, "data/reference/"), newline="")
    out: list[Provision] = []
    with handle:
        reader = csv.DictReader(handle)
        missing = sorted(set(_COLUMNS) - set(reader.fieldnames or []))
        if missing:
            raise SourceParseError(name, 1, f"missing column(s): {', '.join(missing)}")
        for row in reader:
            out.append(_provision(name, reader.line_num, row, docs))
    for doc in docs:
        if not any(p.source.doc == doc for p in out):
            raise SourceParseError(name, None, f"no provision cites {doc}", column="doc")
    return out


def _provision(name: str, lineno: int, row: dict, docs: dict[str, RawDocument]) -> Provision:
    """One row of the curated file, its quote located in its document."""
    cells = {c: (row.get(c) or "").strip() for c in _COLUMNS}
    for column, value in cells.items():
        if not value:
            raise SourceParseError(name, lineno, "must not be empty", column=column)
    raw = docs.get(cells["doc"])
    if raw is None:
        raise SourceParseError(
            name, lineno, f"{cells['doc']!r} is not one of {', '.join(docs)}", column="doc"
        )
    if cells["topic"] not in PROVISION_TOPICS:
        raise SourceParseError(
            name,
            lineno,
            f"{cells['topic']!r} is not one of {', '.join(sorted(PROVISION_TOPICS))}",
            column="topic",
        )
    found = raw.find(cells["quote"])
    if found is None:
        raise SourceParseError(
            name, lineno, f"quote not found in {raw.name}: {cells['quote'][:80]!r}", column="quote"
        )
    line, _ = found
    source = SourceRef(raw.name, line, cells["section"])
    return Provision(AGENCY, AGREEMENT_ID, cells["topic"], cells["summary"], source)


def parse(raw_dir: Path, reference_dir: Path) -> ParseResult:
    """The telework agreement and its provisions from both Sonoma telework documents."""
    docs = {doc: RawDocument.load(raw_dir / doc) for doc in DOCS}
    return ParseResult(
        agreements=[agreement()],
        provisions=load_provisions(reference_dir / PROVISIONS_CSV, docs),
    )
