"""Survey data a user uploaded (the survey template or a State Controller export)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.uploads.survey_template import SURVEY_COLUMNS
from userdata.store import LOCAL_ACTOR, log, now, read, transaction

COLUMNS = SURVEY_COLUMNS


def save(
    file_name: str,
    kind: str,
    rows: pd.DataFrame,
    path: Path | None = None,
    *,
    actor: str = LOCAL_ACTOR,
    sha256: str | None = None,
) -> int:
    """Store validated survey rows (all or nothing); returns the upload id."""
    missing = set(COLUMNS) - set(rows.columns)
    if missing:
        raise ValueError(f"survey rows lack columns: {sorted(missing)}")
    with transaction(path) as conn:
        cur = conn.execute(
            "INSERT INTO survey_uploads(file_name, kind, uploaded_at, n_rows, uploaded_by, "
            "sha256) VALUES (?, ?, ?, ?, ?, ?)",
            (file_name, kind, now(), len(rows), actor, sha256),
        )
        upload_id = cur.lastrowid
        data = rows[COLUMNS].copy()
        data["effective_date"] = data["effective_date"].astype(str)
        conn.executemany(
            f"INSERT INTO survey_rows(upload_id, {', '.join(COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(COLUMNS))})",
            [(upload_id, *r) for r in data.itertuples(index=False, name=None)],
        )
        log(conn, actor, "survey_upload", "saved", f"#{upload_id} {file_name}", f"{len(rows)} rows")
    return int(upload_id)


def uploads(path: Path | None = None) -> pd.DataFrame:
    return read("SELECT * FROM survey_uploads ORDER BY upload_id", path=path)


def same_file(sha256: str, path: Path | None = None) -> pd.DataFrame:
    """Earlier uploads of a file with these bytes (to warn before saving it twice)."""
    return read(
        "SELECT upload_id, file_name, uploaded_at, uploaded_by FROM survey_uploads "
        "WHERE sha256 = ? ORDER BY upload_id",
        (sha256,),
        path=path,
    )


def rows(path: Path | None = None) -> pd.DataFrame:
    return read(
        "SELECT r.*, u.file_name, u.kind FROM survey_rows r "
        "JOIN survey_uploads u USING (upload_id) "
        "ORDER BY r.upload_id, r.row_no",
        path=path,
    )


def delete(upload_id: int, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> None:
    with transaction(path) as conn:
        row = conn.execute(
            "SELECT file_name FROM survey_uploads WHERE upload_id = ?", (upload_id,)
        ).fetchone()
        conn.execute("DELETE FROM survey_uploads WHERE upload_id = ?", (upload_id,))
        if row:
            log(conn, actor, "survey_upload", "deleted", f"#{upload_id} {row[0]}")
