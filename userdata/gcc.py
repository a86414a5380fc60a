"""State Controller "Government Compensation in California" exports a user imported
(read by etl/gcc/importer.py): one row per file imported (what was asked for, which employers
matched, what was skipped, who imported it and when) and its positions, one per agency x
position x year (etl.gcc.reader.RESULT_COLUMNS). Saves are all or nothing and change-logged;
removing an import removes its positions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl import defaults
from etl.gcc.importer import PreparedImport
from etl.gcc.reader import RESULT_COLUMNS
from userdata.store import (
    LOCAL_ACTOR,
    UnknownIdError,
    log,
    now,
    read,
    sqlite_rows,
    transaction,
)

POSITION_COLUMNS = list(RESULT_COLUMNS)
IMPORT_COLUMNS = [
    "import_id",
    "file_name",
    "member",
    "years",
    "employer_types",
    "subject_agency",
    "agencies",
    "n_positions",
    "unmatched",
    "rows_skipped",
    "records",
    "imported_at",
    "imported_by",
    "sha256",
    "bytes",
]


class UnknownImportError(UnknownIdError):
    """A State Controller import id that is not stored."""


def _types(prepared: PreparedImport) -> str:
    types = prepared.result.rows["employer_type"].dropna().astype(str)
    return ", ".join(sorted(set(types)))


def save(prepared: PreparedImport, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> int:
    """Store a prepared import and all its positions in one transaction; returns its id."""
    r = prepared.result
    rows = r.rows
    if rows.empty:
        raise ValueError("a GCC import with no position cannot be saved")
    years = ", ".join(str(y) for y in r.years)
    matched = r.matches.astype(object).where(r.matches.notna(), None).to_dict("records")
    skipped = [
        {"reason": s.reason, "rows": int(s.rows), "example_rows": [int(x) for x in s.example_rows]}
        for s in r.skipped.itertuples(index=False)
    ]
    with transaction(path) as conn:
        cur = conn.execute(
            "INSERT INTO gcc_imports(file_name, member, sha256, bytes, encoding, years, "
            "employer_types, subject_agency, agencies_asked, matched, unmatched, skipped, "
            "records, rows_used, rows_skipped, n_positions, imported_at, imported_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                prepared.file_name,
                r.member,
                prepared.sha256,
                int(prepared.size),
                r.encoding,
                years,
                _types(prepared),
                prepared.subject,
                json.dumps(prepared.agencies),
                json.dumps(matched, default=int),
                json.dumps(list(r.unmatched)),
                json.dumps(skipped),
                int(r.records),
                int(r.rows_used),
                int(r.skipped_total),
                len(rows),
                now(),
                actor,
            ),
        )
        import_id = int(cur.lastrowid)
        conn.executemany(
            f"INSERT INTO gcc_positions(import_id, {', '.join(POSITION_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(POSITION_COLUMNS))})",
            [(import_id, *t) for t in sqlite_rows(rows[POSITION_COLUMNS])],
        )
        agencies = sorted(set(rows["agency"]))
        noun = "agency" if len(agencies) == 1 else "agencies"
        log(
            conn,
            actor,
            "gcc_import",
            "saved",
            f"#{import_id} {prepared.file_name}",
            f"{len(rows)} positions of {len(agencies)} {noun} ({', '.join(agencies[:10])}"
            f"{' …' if len(agencies) > 10 else ''}), {years}; sha256 {prepared.sha256[:12]}",
        )
    return import_id


def imports(path: Path | None = None) -> pd.DataFrame:
    """One row per stored import (IMPORT_COLUMNS): `agencies` are the employers imported as
    survey agencies, `unmatched` the names asked for that matched no employer ('; ')."""
    df = read("SELECT * FROM gcc_imports ORDER BY import_id", path=path)
    if df.empty:
        return pd.DataFrame(columns=IMPORT_COLUMNS)
    df["agencies"] = [
        "; ".join(sorted({m["agency"] for m in json.loads(v)})) for v in df["matched"]
    ]
    df["unmatched"] = ["; ".join(json.loads(v)) for v in df["unmatched"]]
    return df[IMPORT_COLUMNS]


def detail(import_id: int, path: Path | None = None) -> dict:
    """Everything stored about one import (asked, matched, unmatched, skipped as lists)."""
    df = read("SELECT * FROM gcc_imports WHERE import_id = ?", (int(import_id),), path=path)
    if df.empty:
        raise UnknownImportError(f"no State Controller import #{import_id}")
    out = df.iloc[0].to_dict()
    for k in ("agencies_asked", "matched", "unmatched", "skipped"):
        out[k] = json.loads(out[k])
    return out


def same_file(sha256: str, path: Path | None = None) -> pd.DataFrame:
    """Earlier imports of a file with these bytes (to warn before saving it twice)."""
    return read(
        "SELECT import_id, file_name, years, imported_at, imported_by FROM gcc_imports "
        "WHERE sha256 = ? ORDER BY import_id",
        (sha256,),
        path=path,
    )


_ROWS: dict[str, tuple[tuple, pd.DataFrame]] = {}


def rows(path: Path | None = None) -> pd.DataFrame:
    """Every stored position (POSITION_COLUMNS) with its import_id, file_name and imported_at,
    oldest import first. Kept in memory per file until an import is saved or removed (ids are
    never reused, so the count and the highest id say whether anything changed; a file
    restored over it has another inode)."""
    stamp = read("SELECT count(*) AS n, max(import_id) AS last FROM gcc_imports", path=path)
    file = Path(path or defaults.user_db_path()).resolve()
    key = (file.stat().st_ino, int(stamp["n"].iloc[0]), stamp["last"].iloc[0])
    cache_key = str(file)
    hit = _ROWS.get(cache_key)
    if hit is not None and hit[0] == key:
        return hit[1].copy()
    df = read(
        "SELECT p.*, i.file_name, i.imported_at FROM gcc_positions p "
        "JOIN gcc_imports i USING (import_id) ORDER BY p.import_id, p.agency, p.position, p.year",
        path=path,
    )
    _ROWS[cache_key] = (key, df)
    return df.copy()


def delete(import_id: int, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> str:
    """Remove an import and its positions; returns its file name. UnknownImportError when no
    import has this id."""
    with transaction(path) as conn:
        row = conn.execute(
            "SELECT file_name, n_positions FROM gcc_imports WHERE import_id = ?", (int(import_id),)
        ).fetchone()
        if row is None:
            raise UnknownImportError(
                f"no State Controller import #{import_id} (`bargain survey list` lists them)"
            )
        conn.execute("DELETE FROM gcc_imports WHERE import_id = ?", (int(import_id),))
        log(conn, actor, "gcc_import", "deleted", f"#{import_id} {row[0]}", f"{row[1]} positions")
    return str(row[0])


def agencies_for(subject: str, path: Path | None = None) -> list[str]:
    """The agencies of the imports whose employers were named (a list of agencies given) for
    `subject` or for no subject in particular: the default comparators they add
    (analysis.agencies.default_comparators `always`). An import of every employer of a file
    adds none: its employers are preselected only where the subject's survey list names them."""
    df = read(
        "SELECT DISTINCT p.agency FROM gcc_positions p JOIN gcc_imports i USING (import_id) "
        "WHERE (i.subject_agency IS NULL OR i.subject_agency = ?) "
        "AND i.agencies_asked <> 'null' ORDER BY p.agency",
        (subject,),
        path=path,
    )
    return df["agency"].tolist()
