"""The clause index: every passage of every agreement (published and imported) in a SQLite
FTS5 table (porter stemming over unicode61 words), searched with the expressions of query.py
and ranked by BM25. The hit names its agency, document, section, the line that holds the
first matching word (and its page for a PDF), and the passage with the matching words marked.

`Passages` rows: doc, agency, agreement_id, document (what the user reads: the agreement's
title or file name), section, heading, text, starts (per line: offset in text, line_no,
page), col (a stretch of a long line), kind ('published' | 'imported')."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import pandas as pd

from etl import defaults
from etl.agreement_text.query import Query

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
SHOWN_OPEN, SHOWN_CLOSE = "«", "»"
HIT_COLUMNS = [
    "rank",
    "agency",
    "document",
    "section",
    "heading",
    "line",
    "page",
    "text",
    "source_ref",
    "doc",
    "agreement_id",
]


@dataclass
class ClauseIndex:
    con: sqlite3.Connection
    passages: pd.DataFrame
    lock: threading.Lock

    def __len__(self) -> int:
        return len(self.passages)


def build(passages: pd.DataFrame) -> ClauseIndex:
    """An in-memory FTS5 index of the passages (rowid = the passage's position)."""
    con = sqlite3.connect(":memory:", check_same_thread=False)
    con.execute(
        "CREATE VIRTUAL TABLE clause_fts USING fts5(text, agency UNINDEXED, "
        "tokenize = 'porter unicode61')"
    )
    con.executemany(
        "INSERT INTO clause_fts(rowid, text, agency) VALUES (?, ?, ?)",
        zip(range(len(passages)), passages["text"], passages["agency"], strict=True),
    )
    con.commit()
    return ClauseIndex(con, passages.reset_index(drop=True), threading.Lock())


def _line_at(starts, offset: int) -> tuple[int, int | None]:
    found = starts[0]
    for s in starts:
        if s[0] > offset:
            break
        found = s
    return int(found[1]), (None if found[2] is None else int(found[2]))


def _ref(p, line: int, page: int | None) -> str:
    col = f":{int(p.col)}" if p.col is not None and not pd.isna(p.col) else ""
    where = f" p. {page}" if page is not None else ""
    return f"{p.doc}:{line}{col} §{p.section or 'text'}{where}"


def search(
    index: ClauseIndex,
    query: Query,
    agencies: list[str] | None = None,
    limit: int = defaults.MAX_SEARCH_HITS,
) -> pd.DataFrame:
    """The hits of `query`, best first (BM25), in the `agencies` given (all when None)."""
    sql = (
        "SELECT rowid, bm25(clause_fts), highlight(clause_fts, 0, ?, ?) FROM clause_fts "
        "WHERE clause_fts MATCH ?"
    )
    args: list = [MARK_OPEN, MARK_CLOSE, query.expression]
    if agencies:
        sql += f" AND agency IN ({', '.join('?' * len(agencies))})"
        args += list(agencies)
    sql += " ORDER BY bm25(clause_fts) LIMIT ?"
    args.append(int(limit))
    with index.lock:
        found = index.con.execute(sql, args).fetchall()
    rows = []
    for rank, (rowid, _score, marked) in enumerate(found, 1):
        p = index.passages.iloc[rowid]
        first = marked.find(MARK_OPEN)
        line, page = _line_at(p.starts, max(first, 0))
        shown = marked.replace(MARK_OPEN, SHOWN_OPEN).replace(MARK_CLOSE, SHOWN_CLOSE)
        rows.append(
            (rank, p.agency, p.document, p.section, p.heading, line, page, shown)
            + (_ref(p, line, page), p.doc, p.agreement_id)
        )
    return pd.DataFrame(rows, columns=HIT_COLUMNS).astype({"page": "Int64"})


def around(text: str, width: int = 160) -> str:
    """A marked passage cut to about `width` characters around its first marked word (for a
    table on a screen; the CSV and JSON keep the whole passage)."""
    if len(text) <= width:
        return text
    at = max(text.find(SHOWN_OPEN), 0)
    start = max(0, min(at - width // 3, len(text) - width))
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def scan(passages: pd.DataFrame, words: list[str]) -> pd.DataFrame:
    """The baseline a benchmark compares with: the passages holding every word (lowercase
    substring test in a Python loop), no ranking, no stemming."""
    low = [w.lower() for w in words]
    keep = [all(w in t.lower() for w in low) for t in passages["text"]]
    return passages[keep]
