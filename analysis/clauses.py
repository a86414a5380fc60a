"""Clause search across agreements: the published agreements' passages (the warehouse's
`clauses` view) and the texts a user imported (handed in as arguments, never read here) in
one full-text index (etl/agreement_text/index.py: SQLite FTS5), searched with the user's
words compiled safely (etl/agreement_text/query.py). The index is built once per warehouse
build and set of imported texts, and kept for the process."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd

from analysis.warehouse import query
from etl.agreement_text import index as fts
from etl.agreement_text.passages import paragraph_passages
from etl.agreement_text.query import Query, QueryError, compile_query

PASSAGE_COLUMNS = [
    "doc",
    "agency",
    "agreement_id",
    "document",
    "section",
    "heading",
    "text",
    "starts",
    "col",
    "kind",
]
PUBLISHED_SQL = """
SELECT c.doc, c.agency, c.agreement_id, coalesce(d.description, c.doc) AS document,
       c.section, c.heading, c.text, c.line_no, c.col
FROM clauses c LEFT JOIN documents d USING (doc)
ORDER BY c.doc, c.line_no, c.col
"""
_CACHE: dict[tuple, fts.ClauseIndex] = {}
_LOCK = threading.Lock()

__all__ = ["QueryError", "find", "side_by_side", "clause_index"]


HEADING_LINE = 120  # characters: a shorter line not ending a sentence is a heading


def _is_heading(text: str) -> bool:
    return len(text) <= HEADING_LINE and not text.rstrip().endswith((".", ";", ":", ","))


def published_passages(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One passage per published line, except that a heading line on its own ("7.29 Callback",
    "#### Call Back") is joined to the paragraph under it: alone it would outrank the clause
    it names (BM25 favours short passages) and show no words of the clause."""
    df = query(con, PUBLISHED_SQL)
    cols = [None if pd.isna(c) else int(c) for c in df["col"]]
    recs = list(
        zip(
            df["doc"],
            df["agency"],
            df["agreement_id"],
            df["document"],
            df["section"],
            df["heading"],
            df["text"],
            df["line_no"].astype(int),
            cols,
            strict=True,
        )
    )
    rows, i = [], 0
    while i < len(recs):
        doc, agency, agreement, document, section, heading, text, line_no, col = recs[i]
        nxt = recs[i + 1] if i + 1 < len(recs) else None
        head = (doc, agency, agreement, document, section, heading)
        if (
            nxt is not None
            and col is None
            and nxt[8] is None
            and (nxt[0], nxt[4]) == (doc, section)
            and _is_heading(text)
        ):
            starts = ((0, line_no, None), (len(text) + 1, nxt[7], None))
            rows.append((*head, f"{text}\n{nxt[6]}", starts, None, "published"))
            i += 2
            continue
        rows.append((*head, text, ((0, line_no, None),), col, "published"))
        i += 1
    return pd.DataFrame(rows, columns=PASSAGE_COLUMNS)


def imported_passages(texts) -> pd.DataFrame:
    """Passages of userdata.agreement_texts.StoredText items (paragraphs of printed lines)."""
    rows = []
    for t in texts:
        passages, _ = paragraph_passages(t.doc, list(t.lines))
        for p in passages:
            rows.append(
                (t.doc, t.agency, f"text-{t.text_id}", t.title, p.section, p.heading, p.text)
                + (p.starts, p.col, "imported")
            )
    return pd.DataFrame(rows, columns=PASSAGE_COLUMNS)


def _build_key(con: duckdb.DuckDBPyConnection, texts) -> tuple:
    fp = query(con, "SELECT source_fingerprint, built_at FROM build_info")
    head = tuple(fp.iloc[0]) if not fp.empty else ()
    return (*head, tuple((t.text_id, len(t.lines)) for t in texts))


def clause_index(con: duckdb.DuckDBPyConnection, texts=()) -> fts.ClauseIndex:
    """The index of every published passage and every imported text's (cached per build)."""
    texts = list(texts)
    key = _build_key(con, texts)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    parts = [published_passages(con), imported_passages(texts)]
    passages = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    got = fts.build(passages)
    with _LOCK:
        _CACHE.clear()  # one build at a time: a new build replaces the old index
        _CACHE[key] = got
    return got


def find(
    con: duckdb.DuckDBPyConnection,
    text: str,
    agencies: list[str] | None = None,
    texts=(),
    limit: int | None = None,
) -> tuple[pd.DataFrame, Query]:
    """The ranked hits of a search (index.HIT_COLUMNS) and the query as understood;
    QueryError (a sentence) when the text cannot be searched."""
    q = compile_query(text)
    idx = clause_index(con, texts)
    kw = {"limit": limit} if limit else {}
    return fts.search(idx, q, list(agencies) if agencies else None, **kw), q


def side_by_side(hits: pd.DataFrame, per_agency: int = 3) -> pd.DataFrame:
    """One topic across agreements: each agency's best `per_agency` hits, agencies in the
    order of their best hit."""
    if hits.empty:
        return hits
    best = hits.groupby("agency", sort=False).head(per_agency)
    order = {a: i for i, a in enumerate(dict.fromkeys(best["agency"]))}
    return best.sort_values(
        ["agency", "rank"], key=lambda s: s.map(order) if s.name == "agency" else s
    )
