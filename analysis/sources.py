"""The source text behind any number: parse a source_ref and fetch the lines around it."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.warehouse import query
from etl.citations import SourceRef

LINES_SQL = """
SELECT line_no, text FROM source_lines WHERE doc = ? AND line_no BETWEEN ? AND ? ORDER BY line_no
"""

DOCUMENTS_SQL = """
SELECT d.doc, d.agency, d.agreement_id, d.description, d.kind, d.n_lines, d.sha256, a.title
FROM documents d LEFT JOIN agreements a USING (agreement_id) ORDER BY d.agency, d.doc
"""

DOCUMENT_SQL = """
SELECT line_no, text FROM source_lines
WHERE doc = ? AND (? IS NULL OR text ILIKE '%' || ? || '%') ORDER BY line_no
"""

AUDIT_SUMMARY_SQL = """
SELECT agency, "check", status, count(*) AS n FROM audit GROUP BY ALL ORDER BY ALL
"""

AUDIT_SQL = """
SELECT agency, "check", class_code, effective_date, expected, actual, explained_by, status,
       detail, source_ref
FROM audit WHERE (? IS NULL OR status = ?) AND (? IS NULL OR agency = ?)
ORDER BY agency, "check", class_code, effective_date
"""

CITED_VIEWS = (
    "salary_schedule",
    "wage_increases",
    "premiums",
    "benefit_shares",
    "survey_agencies",
    "provisions",
    "job_classes",
    "audit",
    "time_off",
    "step_rules",
)


def parse_source_ref(ref: str) -> SourceRef:
    """A source_ref string as a SourceRef (ValueError if it is not one)."""
    return SourceRef.parse(ref)


def source_context(
    con: duckdb.DuckDBPyConnection, ref: str, radius: int = 3, chars: int = 700
) -> pd.DataFrame:
    """Lines around a cited line (`is_cited` marks it). For a one-line document (the Contra
    Costa OCR text) the cited line is cut to `chars` characters around the cited column."""
    c = parse_source_ref(ref)
    df = query(con, LINES_SQL, [c.doc, c.line - radius, c.line + radius])
    if df.empty:
        raise ValueError(f"{c.doc} line {c.line} is not in the warehouse")
    df["is_cited"] = df["line_no"] == c.line
    if c.col is not None:
        df = df[df["is_cited"]].copy()
        df["text"] = around_column(df["text"].iloc[0], c.col, chars)
    return df.reset_index(drop=True)


def around_column(text: str, col: int, chars: int = 700) -> str:
    """`chars` characters of a long line around the cited 1-based column, '…' where cut."""
    start = max(0, col - 1 - chars // 3)
    snippet = text[start : start + chars]
    return ("…" if start else "") + snippet + ("…" if start + chars < len(text) else "")


def documents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, DOCUMENTS_SQL)


def document_lines(
    con: duckdb.DuckDBPyConnection, doc: str, search: str | None = None
) -> pd.DataFrame:
    """A whole document line by line (line_no, text), or only the lines containing `search`
    (case-insensitive, as typed: no patterns)."""
    search = (search or "").strip() or None
    return query(con, DOCUMENT_SQL, [doc, search, search])


def audit_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, AUDIT_SUMMARY_SQL)


def audit_by_check(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per agency and check: how many printed values it explains and how many it
    does not (agency, check, explained, unexplained)."""
    s = audit_summary(con)
    out = s.pivot_table(index=["agency", "check"], columns="status", values="n", aggfunc="sum")
    out = out.reindex(columns=["explained", "unexplained"], fill_value=0).fillna(0).astype(int)
    return out.reset_index().rename_axis(columns=None)


def audit_rows(
    con: duckdb.DuckDBPyConnection, status: str | None = None, agency: str | None = None
) -> pd.DataFrame:
    return query(con, AUDIT_SQL, [status, status, agency, agency])


def cited_rows(
    con: duckdb.DuckDBPyConnection, view: str, agency: str | None, text: str = ""
) -> pd.DataFrame:
    """All rows of one public view (for the Sources page), optionally for one agency, and
    with `text` only the rows with a cell containing it (any case, as the cell is shown)."""
    if view not in CITED_VIEWS:
        raise ValueError(f"unknown view {view!r}")
    # The view name is checked against a fixed list above; values go through parameters.
    rows = query(con, f"SELECT * FROM {view} WHERE ? IS NULL OR agency = ?", [agency, agency])
    if text:
        mask = rows.astype(str).apply(lambda col: col.str.contains(text, case=False, regex=False))
        rows = rows[mask.any(axis=1)]
    return rows


def cited_preview(
    con: duckdb.DuckDBPyConnection, view: str, agency: str | None, text: str, limit: int
) -> tuple[int, pd.DataFrame]:
    """How many rows `cited_rows` gives, and its first `limit` rows: what the Sources page
    shows on each run (the salary schedule view is 22,000 rows, 11 MB to copy out of the
    page cache; the whole table is read again only for a download)."""
    if text:
        rows = cited_rows(con, view, agency, text)
        return len(rows), rows.head(limit)
    if view not in CITED_VIEWS:
        raise ValueError(f"unknown view {view!r}")
    # Without a filter the count and the first rows come from the database: the views keep
    # their order under LIMIT, and the 22,000-row schedule is not read whole (about 100 ms).
    count = f"SELECT count(*) AS n FROM {view} WHERE ? IS NULL OR agency = ?"
    n = int(query(con, count, [agency, agency])["n"].iloc[0])
    first = f"SELECT * FROM {view} WHERE ? IS NULL OR agency = ? LIMIT ?"
    return n, query(con, first, [agency, agency, int(limit)])
