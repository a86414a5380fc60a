"""Agreement texts a user imported (read by etl/agreement_text/): one row per document (the
agency, a title, the file's name, kind, pages, hash, who imported it and when) and its lines
with their page and row on the page, so every hit cites the file, page and line. Saves are
all or nothing and change-logged; removing a text removes its lines. The texts are handed to
the analysis as arguments (analysis never reads user data)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.agreement_text.document import AgreementText, TextLine
from etl.citations import text_doc_name
from etl.errors import BargainError
from userdata.store import LOCAL_ACTOR, UnknownIdError, log, now, read, transaction

LIST_COLUMNS = [
    "text_id",
    "agency",
    "title",
    "file_name",
    "kind",
    "pages",
    "n_lines",
    "imported_at",
    "imported_by",
]


class UnknownTextError(UnknownIdError):
    """An agreement text id that is not stored."""


@dataclass(frozen=True)
class StoredText:
    text_id: int
    agency: str
    title: str
    file_name: str
    kind: str
    lines: tuple[TextLine, ...]

    @property
    def doc(self) -> str:
        """The document's name in citations: text<id>-<file name, spaces and colons out>."""
        return text_doc_name(self.text_id, self.file_name)


def save(
    agency: str,
    title: str,
    got: AgreementText,
    data: bytes,
    path: Path | None = None,
    *,
    actor: str = LOCAL_ACTOR,
) -> int:
    """Store a text read without a problem and all its lines in one transaction."""
    sha = hashlib.sha256(data).hexdigest()
    with transaction(path) as conn:
        cur = conn.execute(
            "INSERT INTO agreement_texts(agency, title, file_name, kind, pages, n_lines, "
            "sha256, bytes, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (agency, title, got.file_name, got.kind, got.pages, len(got.lines), sha, len(data))
            + (now(), actor),
        )
        text_id = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO agreement_text_lines(text_id, line_no, page, page_line, text) "
            "VALUES (?, ?, ?, ?, ?)",
            [(text_id, ln.line_no, ln.page, ln.page_line, ln.text) for ln in got.lines],
        )
        log(
            conn,
            actor,
            "agreement_text",
            "saved",
            f"#{text_id} {got.file_name}",
            f"{agency}: {len(got.lines)} lines ({got.kind}); sha256 {sha[:12]}",
        )
    return text_id


def same_file(data: bytes, path: Path | None = None) -> pd.DataFrame:
    """Earlier imports of a file with these bytes (to warn before importing it twice: a
    search would then show its clauses twice)."""
    return read(
        "SELECT text_id, agency, file_name, imported_at, imported_by FROM agreement_texts "
        "WHERE sha256 = ? ORDER BY text_id",
        (hashlib.sha256(data).hexdigest(),),
        path=path,
    )


def listing(path: Path | None = None) -> pd.DataFrame:
    df = read("SELECT * FROM agreement_texts ORDER BY text_id", path=path)
    return df[LIST_COLUMNS] if not df.empty else pd.DataFrame(columns=LIST_COLUMNS)


def load_all(path: Path | None = None) -> list[StoredText]:
    """Every stored text with its lines, oldest first."""
    heads = read("SELECT * FROM agreement_texts ORDER BY text_id", path=path)
    if heads.empty:
        return []
    lines = read(
        "SELECT text_id, line_no, page, page_line, text FROM agreement_text_lines "
        "ORDER BY text_id, line_no",
        path=path,
    )
    out = []
    for h in heads.itertuples(index=False):
        mine = lines[lines["text_id"] == h.text_id]
        got = tuple(
            TextLine(
                int(r.line_no),
                r.text,
                None if pd.isna(r.page) else int(r.page),
                None if pd.isna(r.page_line) else int(r.page_line),
            )
            for r in mine.itertuples(index=False)
        )
        out.append(StoredText(int(h.text_id), h.agency, h.title, h.file_name, h.kind, got))
    return out


def delete(text_id: int, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> str:
    with transaction(path) as conn:
        row = conn.execute(
            "SELECT file_name, agency FROM agreement_texts WHERE text_id = ?", (int(text_id),)
        ).fetchone()
        if row is None:
            raise UnknownTextError(f"no agreement text #{text_id} (`bargain texts` lists them)")
        cited = conn.execute(
            "SELECT value_id FROM recorded_values WHERE text_id = ? ORDER BY value_id",
            (int(text_id),),
        ).fetchall()
        if cited:
            ids = ", ".join(f"#{v[0]}" for v in cited)
            raise BargainError(
                f"agreement text #{text_id} is cited by recorded value(s) {ids}: remove those "
                "first (Add an agreement, Values recorded from a text)"
            )
        conn.execute("DELETE FROM agreement_texts WHERE text_id = ?", (int(text_id),))
        log(conn, actor, "agreement_text", "deleted", f"#{text_id} {row[0]}", str(row[1]))
    return str(row[0])
