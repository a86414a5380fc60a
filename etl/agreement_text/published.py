"""The published agreements' text as the warehouse keeps it for clause search: one row per
passage (etl/agreement_text/passages.py) and one per section, for every document of the
registry (etl/build.py loads them into `stg_clauses` and `stg_sections`)."""

from __future__ import annotations

import pandas as pd

from etl.agreement_text.passages import line_passages

CLAUSE_COLUMNS = [
    "doc",
    "agency",
    "agreement_id",
    "section",
    "heading",
    "line_no",
    "last_line",
    "col",
    "text",
]
SECTION_COLUMNS = [
    "doc",
    "agency",
    "agreement_id",
    "section",
    "heading",
    "article",
    "depth",
    "first_line",
    "last_line",
]


def clause_frames(
    documents: list[tuple[str, str, str, list[str]]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(clauses, sections) of (doc, agency, agreement_id, lines) documents."""
    clauses, sections = [], []
    for doc, agency, agreement_id, lines in documents:
        passages, outline = line_passages(doc, lines)
        for p in passages:
            clauses.append(
                (doc, agency, agreement_id, p.section, p.heading, p.first_line, p.last_line)
                + (p.col, p.text)
            )
        for s in outline:
            sections.append(
                (doc, agency, agreement_id, s.number, s.heading, s.article, s.depth)
                + (s.first_line, s.last_line)
            )
    return (
        pd.DataFrame(clauses, columns=CLAUSE_COLUMNS),
        pd.DataFrame(sections, columns=SECTION_COLUMNS),
    )
