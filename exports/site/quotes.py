"""The text of each cited line, for a page's source list: every document's lines read once
(the `source_lines` view) and kept for all the pages that cite them."""

from __future__ import annotations

import duckdb

from analysis.sources import around_column
from analysis.warehouse import query
from etl.citations import SourceRef
from exports.site.html import Cites, e, ref_text

LINES_SQL = "SELECT line_no, text FROM source_lines WHERE doc = ? ORDER BY line_no"
QUOTE_CHARS = 320  # of a cited line shown under its reference (a one-line document: around it)


def _ref(ref: str) -> str:
    """The reference in the one citation format, its document marked so that print can
    name the document once above its lines."""
    text = ref_text(ref)
    try:
        doc = SourceRef.parse(ref).doc
    except ValueError:
        return e(text)
    return f'<span class="doc">{e(doc)}:</span>{e(text[len(doc) + 1 :])}'


def _screen(cites: Cites, ref: str) -> str:
    return "" if ref in cites.printed else ' class="screen-only"'


class Quotes:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.docs: dict[str, dict[int, str]] = {}

    def text(self, ref: str) -> str:
        """The cited line's text ('' when the reference is not a line the warehouse holds)."""
        try:
            c = SourceRef.parse(ref)
        except ValueError:
            return ""
        if c.doc not in self.docs:
            rows = query(self.con, LINES_SQL, [c.doc])
            self.docs[c.doc] = dict(zip(rows["line_no"], rows["text"].astype(str), strict=True))
        line = self.docs[c.doc].get(c.line, "")
        if c.col is not None:
            return around_column(line, c.col, QUOTE_CHARS)
        line = " ".join(line.split())
        return line if len(line) <= QUOTE_CHARS else line[: QUOTE_CHARS - 1] + "…"

    def source_list(self, cites: Cites) -> str:
        """The page's sources, grouped by document, each with its number, its reference in
        the one citation format and the text of the line."""
        if not cites.refs:
            return ""
        by_doc: dict[str, list[tuple[int, str]]] = {}
        for n, ref in enumerate(cites.refs, 1):
            try:
                doc = SourceRef.parse(ref).doc
            except ValueError:
                doc = "other"
            by_doc.setdefault(doc, []).append((n, ref))
        parts = []
        for doc, refs in by_doc.items():
            items = "".join(
                f'<li id="src-{n}" value="{n}"{_screen(cites, ref)}>[{n}] '
                f'<span class="ref">{_ref(ref)}</span>'
                + (f" <q>{e(t)}</q>" if (t := self.text(ref)) else "")
                + "</li>"
                for n, ref in refs
            )
            parts.append(f"<h3>{e(doc)}</h3><ol>{items}</ol>")
        return (
            '<section class="sources" aria-labelledby="sources"><h2 id="sources">Sources</h2>'
            '<p class="note why">Each number in the page points here: the document, its line '
            "(or the file and row of an imported table) and section, and the text of that "
            "line.</p>" + "".join(parts) + "</section>"
        )
