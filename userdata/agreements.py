"""Agreements a user imported: the files as given and how to read them. Nothing derived is
kept here: every build of the warehouse reads these files again (etl/imported.py), so a
schedule survives rebuilds, restarts and upgrades, and improvements to the reader apply to it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from etl.schedule_import.stored import Imported, ImportedFile
from userdata.store import LOCAL_ACTOR, log, now, read, rows_fingerprint, transaction


def save(
    agency: str,
    agreement_id: str | Callable[[int], str],
    title: str,
    options: dict,
    files: list[ImportedFile],
    path: Path | None = None,
    *,
    actor: str = LOCAL_ACTOR,
) -> int:
    """Keep an imported agreement (after its files were read without a problem).
    `agreement_id` may be a function of the new import id (ids such as
    'imported-<agency>-<import id>'), called inside the same transaction."""
    with transaction(path) as conn:
        pending = agreement_id if isinstance(agreement_id, str) else f"pending-{uuid.uuid4()}"
        cur = conn.execute(
            "INSERT INTO imported_agreements(agency, agreement_id, title, options, imported_at, "
            "imported_by) VALUES (?, ?, ?, ?, ?, ?)",
            (agency, pending, title, json.dumps(options, sort_keys=True), now(), actor),
        )
        import_id = int(cur.lastrowid)
        if not isinstance(agreement_id, str):
            agreement_id = agreement_id(import_id)
            conn.execute(
                "UPDATE imported_agreements SET agreement_id = ? WHERE import_id = ?",
                (agreement_id, import_id),
            )
        for f in files:
            conn.execute(
                "INSERT INTO imported_files VALUES (?, ?, ?, ?, ?)",
                (import_id, f.role, f.file_name, hashlib.sha256(f.data).hexdigest(), f.data),
            )
        names = ", ".join(f.file_name for f in files)
        log(conn, actor, "agreement", "imported", f"{agency} ({agreement_id})", names)
    return import_id


def same_files(datas: list[bytes], path: Path | None = None) -> pd.DataFrame:
    """Earlier imports holding a file with any of these bytes (to warn before importing the
    same table twice): import_id, agency, agreement_id, file_name, imported_at, imported_by."""
    shas = sorted({hashlib.sha256(d).hexdigest() for d in datas})
    return read(
        "SELECT DISTINCT a.import_id, a.agency, a.agreement_id, f.file_name, a.imported_at, "
        "a.imported_by FROM imported_agreements a JOIN imported_files f USING (import_id) "
        "WHERE f.sha256 IN (SELECT value FROM json_each(?)) ORDER BY a.import_id",
        (json.dumps(shas),),
        path=path,
    )


def listing(path: Path | None = None) -> pd.DataFrame:
    """One row per imported agreement: import_id, agency, agreement_id, title, files,
    imported_at, imported_by."""
    return read(
        "SELECT a.import_id, a.agency, a.agreement_id, a.title, "
        "group_concat(f.file_name, ', ') AS files, a.imported_at, a.imported_by "
        "FROM imported_agreements a LEFT JOIN imported_files f USING (import_id) "
        "GROUP BY a.import_id ORDER BY a.import_id",
        path=path,
    )


def load_all(path: Path | None = None) -> list[Imported]:
    """Every imported agreement with its files, in import order."""
    heads = read("SELECT * FROM imported_agreements ORDER BY import_id", path=path)
    files = read("SELECT * FROM imported_files ORDER BY import_id, role", path=path)
    out = []
    for h in heads.itertuples(index=False):
        mine = files[files["import_id"] == h.import_id]
        out.append(
            Imported(
                import_id=int(h.import_id),
                agency=h.agency,
                agreement_id=h.agreement_id,
                title=h.title,
                options=json.loads(h.options),
                files=tuple(
                    ImportedFile(f.role, f.file_name, bytes(f.bytes))
                    for f in mine.itertuples(index=False)
                ),
                imported_at=h.imported_at,
                imported_by=h.imported_by,
            )
        )
    return out


def delete(import_id: int, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> bool:
    """Remove an imported agreement; True when there was one with this id."""
    with transaction(path) as conn:
        row = conn.execute(
            "SELECT agency, agreement_id FROM imported_agreements WHERE import_id = ?",
            (import_id,),
        ).fetchone()
        if row is None:
            return False
        conn.execute("DELETE FROM imported_agreements WHERE import_id = ?", (import_id,))
        log(conn, actor, "agreement", "removed", f"{row[0]} ({row[1]})")
    return True


def fingerprint(path: Path | None = None) -> str:
    """What the warehouse built from imported agreements depends on (ids, options, file
    hashes): part of the build's staleness fingerprint."""
    df = read(
        "SELECT a.import_id, a.agency, a.agreement_id, a.title, a.options, f.role, f.sha256 "
        "FROM imported_agreements a LEFT JOIN imported_files f USING (import_id) "
        "ORDER BY a.import_id, f.role",
        path=path,
    )
    return rows_fingerprint(df)
