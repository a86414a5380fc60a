"""User data: saved scenarios, uploaded survey data and edited class matches.

Kept in its own SQLite file (`BARGAIN_USER_DB`, default data/user/userdata.sqlite), apart from
the rebuilt reference warehouse, so it survives every rebuild. SQLite because several app
sessions may save at once: writes take the database lock (`BEGIN IMMEDIATE`) and wait for it,
so neither of two concurrent saves is lost. The schema is versioned; `migrate()` brings an
older file forward step by step and never drops user rows.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pandas as pd

from etl import defaults

# Each entry upgrades the schema from version i to i + 1. Append only; never edit a shipped one.
MIGRATIONS: list[str] = [
    # 1: scenarios, class-match decisions, uploaded survey data
    """
    CREATE TABLE scenarios (
        name TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE TABLE class_matches (
        subject_agency TEXT NOT NULL,
        subject_class_code TEXT NOT NULL,
        comparator_agency TEXT NOT NULL,
        comparator_class_code TEXT,
        decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected', 'manual')),
        reason TEXT,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (subject_agency, subject_class_code, comparator_agency)
    );
    CREATE TABLE survey_uploads (
        upload_id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        n_rows INTEGER NOT NULL
    );
    CREATE TABLE survey_rows (
        upload_id INTEGER NOT NULL REFERENCES survey_uploads(upload_id) ON DELETE CASCADE,
        agency TEXT NOT NULL,
        class_title TEXT NOT NULL,
        pay REAL NOT NULL,
        pay_period TEXT NOT NULL,
        annual REAL NOT NULL,
        effective_date TEXT NOT NULL,
        source TEXT NOT NULL,
        row_no INTEGER NOT NULL
    );
    """,
]


def schema_version() -> int:
    return len(MIGRATIONS)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    # Switching a new file to WAL takes an exclusive lock and SQLite reports "database is
    # locked" at once instead of waiting: sessions opening a fresh file together retry.
    deadline = time.monotonic() + 30
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                conn.close()
                raise
            time.sleep(0.02)


def migrate(path: Path | None = None) -> int:
    """Apply pending migrations in one transaction each; returns the resulting version."""
    path = Path(path or defaults.user_db_path())
    conn = _connect(path)
    try:
        while True:
            conn.execute("BEGIN IMMEDIATE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= len(MIGRATIONS):
                conn.execute("COMMIT")
                return version
            try:
                for stmt in MIGRATIONS[version].split(";"):
                    if stmt.strip():
                        conn.execute(stmt)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except Exception:
                conn.execute("ROLLBACK")
                raise
    finally:
        conn.close()


_MIGRATED: set[tuple[str, int, int]] = set()


def _ensure_migrated(path: Path) -> None:
    """migrate() once per file and schema version in this process: it takes the write lock,
    which every page read would otherwise queue behind. A file replaced at the same path (a
    restored backup) has a new inode and is checked again."""
    try:
        key = (str(path.resolve()), path.stat().st_ino, len(MIGRATIONS))
    except FileNotFoundError:
        key = None
    if key in _MIGRATED:
        return
    migrate(path)
    _MIGRATED.add((str(path.resolve()), path.stat().st_ino, len(MIGRATIONS)))


@contextmanager
def transaction(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A write transaction holding the database lock; commits on success, rolls back on error."""
    path = Path(path or defaults.user_db_path())
    _ensure_migrated(path)
    conn = _connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def read(sql: str, params: tuple = (), path: Path | None = None) -> pd.DataFrame:
    path = Path(path or defaults.user_db_path())
    _ensure_migrated(path)
    conn = _connect(path)
    try:
        return pd.read_sql_query(sql, conn, params=params)
    finally:
        conn.close()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


# Scenarios -----------------------------------------------------------------------------------


def save_scenario(name: str, scenario: dict, path: Path | None = None) -> None:
    name = name.strip()
    if not name:
        raise ValueError("a scenario needs a name")
    body = json.dumps(scenario, sort_keys=True, default=str)
    with transaction(path) as conn:
        conn.execute(
            "INSERT INTO scenarios(name, body, saved_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at",
            (name, body, _now()),
        )


def list_scenarios(path: Path | None = None) -> pd.DataFrame:
    return read("SELECT name, saved_at FROM scenarios ORDER BY name", path=path)


def load_scenario(name: str, path: Path | None = None) -> dict:
    df = read("SELECT body FROM scenarios WHERE name = ?", (name,), path=path)
    if df.empty:
        raise KeyError(f"no saved scenario named {name!r}")
    return json.loads(df["body"].iloc[0])


def delete_scenario(name: str, path: Path | None = None) -> None:
    with transaction(path) as conn:
        conn.execute("DELETE FROM scenarios WHERE name = ?", (name,))


# Class matches -------------------------------------------------------------------------------


def save_class_match(
    subject_agency: str,
    subject_class_code: str,
    comparator_agency: str,
    comparator_class_code: str | None,
    decision: str,
    reason: str = "",
    path: Path | None = None,
) -> None:
    """Record a user's decision on a benchmark match: confirm a candidate, pick another class
    ('manual'), or reject (no comparable class; comparator_class_code None)."""
    with transaction(path) as conn:
        conn.execute(
            "INSERT INTO class_matches VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(subject_agency, subject_class_code, comparator_agency) DO UPDATE SET "
            "comparator_class_code = excluded.comparator_class_code, "
            "decision = excluded.decision, reason = excluded.reason, saved_at = excluded.saved_at",
            (
                subject_agency,
                subject_class_code,
                comparator_agency,
                comparator_class_code,
                decision,
                reason,
                _now(),
            ),
        )


def class_matches(path: Path | None = None) -> pd.DataFrame:
    return read("SELECT * FROM class_matches ORDER BY 1, 2, 3", path=path)


def delete_class_match(
    subject_agency: str, subject_class_code: str, comparator_agency: str, path: Path | None = None
) -> None:
    with transaction(path) as conn:
        conn.execute(
            "DELETE FROM class_matches WHERE subject_agency = ? AND subject_class_code = ? "
            "AND comparator_agency = ?",
            (subject_agency, subject_class_code, comparator_agency),
        )


# Survey uploads ------------------------------------------------------------------------------

SURVEY_COLUMNS = [
    "agency",
    "class_title",
    "pay",
    "pay_period",
    "annual",
    "effective_date",
    "source",
    "row_no",
]


def save_survey_upload(
    file_name: str, kind: str, rows: pd.DataFrame, path: Path | None = None
) -> int:
    """Store validated survey rows (all or nothing); returns the upload id."""
    missing = set(SURVEY_COLUMNS) - set(rows.columns)
    if missing:
        raise ValueError(f"survey rows lack columns: {sorted(missing)}")
    with transaction(path) as conn:
        cur = conn.execute(
            "INSERT INTO survey_uploads(file_name, kind, uploaded_at, n_rows) VALUES (?, ?, ?, ?)",
            (file_name, kind, _now(), len(rows)),
        )
        upload_id = cur.lastrowid
        data = rows[SURVEY_COLUMNS].copy()
        data["effective_date"] = data["effective_date"].astype(str)
        conn.executemany(
            f"INSERT INTO survey_rows(upload_id, {', '.join(SURVEY_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(SURVEY_COLUMNS))})",
            [(upload_id, *r) for r in data.itertuples(index=False, name=None)],
        )
    return int(upload_id)


def survey_uploads(path: Path | None = None) -> pd.DataFrame:
    return read("SELECT * FROM survey_uploads ORDER BY upload_id", path=path)


def survey_rows(path: Path | None = None) -> pd.DataFrame:
    return read(
        "SELECT r.*, u.file_name, u.kind FROM survey_rows r "
        "JOIN survey_uploads u USING (upload_id) "
        "ORDER BY r.upload_id, r.row_no",
        path=path,
    )


def delete_survey_upload(upload_id: int, path: Path | None = None) -> None:
    with transaction(path) as conn:
        conn.execute("DELETE FROM survey_uploads WHERE upload_id = ?", (upload_id,))
