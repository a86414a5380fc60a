"""The user-data file: connections, versioned migrations, write transactions, the change log.

SQLite because several app sessions (and server processes) may save at once: writes take the
database lock (`BEGIN IMMEDIATE`) and wait for it, so neither of two concurrent saves is lost.
The schema is versioned; `migrate()` brings an older file forward step by step and never drops
user rows. Every write goes through `transaction(path, actor=...)`, which records who did what
in the append-only `changelog` table in the same transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pandas as pd

from etl import defaults
from etl.errors import BargainError
from userdata import read_memo

LOCAL_ACTOR = "local"  # who, when no authenticating proxy names the user


class UnknownIdError(BargainError, KeyError):
    """An id of saved data that is not stored (each kind names its own)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def file_hash(data: bytes) -> str:
    """A saved file's identity: the same bytes saved again are the same file."""
    return hashlib.sha256(data).hexdigest()


def rows_fingerprint(df: pd.DataFrame) -> str:
    """A digest of saved rows for the warehouse's staleness check; "" for none (the
    warehouse's no-imports fingerprint: an empty user data file does not make it stale)."""
    return hashlib.sha256(df.to_csv(index=False).encode()).hexdigest() if len(df) else ""


def sqlite_rows(df: pd.DataFrame) -> list[tuple]:
    """Rows as Python values for SQLite: NaN and NA as NULL, numpy scalars as int/float."""
    out = df.astype(object).where(df.notna(), None)
    return list(out.itertuples(index=False, name=None))


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
    # 2: who saved what, the append-only change log, imported agreements (the files as given
    # and how they were read; the build re-applies them), the file hash of survey uploads
    """
    ALTER TABLE scenarios ADD COLUMN saved_by TEXT NOT NULL DEFAULT 'local';
    ALTER TABLE class_matches ADD COLUMN saved_by TEXT NOT NULL DEFAULT 'local';
    ALTER TABLE survey_uploads ADD COLUMN uploaded_by TEXT NOT NULL DEFAULT 'local';
    ALTER TABLE survey_uploads ADD COLUMN sha256 TEXT;
    CREATE TABLE changelog (
        change_id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT
    );
    CREATE TRIGGER changelog_no_update BEFORE UPDATE ON changelog
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
    CREATE TRIGGER changelog_no_delete BEFORE DELETE ON changelog
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
    CREATE TABLE imported_agreements (
        import_id INTEGER PRIMARY KEY AUTOINCREMENT,
        agency TEXT NOT NULL,
        agreement_id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        options TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    );
    CREATE TABLE imported_files (
        import_id INTEGER NOT NULL REFERENCES imported_agreements(import_id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes BLOB NOT NULL,
        PRIMARY KEY (import_id, role)
    );
    """,
    # 3: imported State Controller GCC exports: one row per file imported (what was asked,
    # matched and skipped), its positions (one per agency x position x year, etl/gcc/reader.py)
    """
    CREATE TABLE gcc_imports (
        import_id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_name TEXT NOT NULL,
        member TEXT,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        encoding TEXT NOT NULL,
        years TEXT NOT NULL,
        employer_types TEXT NOT NULL,
        subject_agency TEXT,
        agencies_asked TEXT NOT NULL,
        matched TEXT NOT NULL,
        unmatched TEXT NOT NULL,
        skipped TEXT NOT NULL,
        records INTEGER NOT NULL,
        rows_used INTEGER NOT NULL,
        rows_skipped INTEGER NOT NULL,
        n_positions INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    );
    CREATE INDEX gcc_imports_sha256 ON gcc_imports(sha256);
    CREATE TABLE gcc_positions (
        import_id INTEGER NOT NULL REFERENCES gcc_imports(import_id) ON DELETE CASCADE,
        agency TEXT NOT NULL,
        requested TEXT,
        employer_name TEXT NOT NULL,
        employer_type TEXT,
        employer_county TEXT,
        year INTEGER NOT NULL,
        position TEXT NOT NULL,
        department TEXT,
        incumbents INTEGER NOT NULL,
        min_salary REAL,
        max_salary REAL NOT NULL,
        ranges INTEGER NOT NULL,
        range_incumbents INTEGER NOT NULL,
        defined_benefit_median REAL,
        defined_benefit_mean REAL,
        retirement_covered_median REAL,
        retirement_covered_mean REAL,
        deferred_comp_median REAL,
        deferred_comp_mean REAL,
        health_dental_vision_median REAL,
        health_dental_vision_mean REAL,
        retirement_median REAL,
        retirement_mean REAL,
        first_row INTEGER NOT NULL,
        source TEXT NOT NULL,
        note TEXT
    );
    CREATE INDEX gcc_positions_import ON gcc_positions(import_id);
    """,
    # 4: benefit rate files (premiums by plan and tier, employer rates in % of pay): one row
    # per file imported, its rows with their file row (etl/uploads/benefit_rates.py)
    """
    CREATE TABLE benefit_rate_imports (
        import_id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        n_rows INTEGER NOT NULL,
        agencies TEXT NOT NULL,
        benefits TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    );
    CREATE TABLE benefit_rates (
        import_id INTEGER NOT NULL
            REFERENCES benefit_rate_imports(import_id) ON DELETE CASCADE,
        agency TEXT NOT NULL,
        benefit TEXT NOT NULL,
        plan TEXT,
        tier TEXT,
        monthly_premium REAL CHECK (monthly_premium IS NULL OR monthly_premium >= 0),
        pct_of_pay REAL CHECK (pct_of_pay IS NULL OR pct_of_pay BETWEEN 0 AND 100),
        effective_date TEXT NOT NULL,
        source TEXT NOT NULL,
        row_no INTEGER NOT NULL,
        sheet TEXT,
        CHECK ((monthly_premium IS NULL) <> (pct_of_pay IS NULL))
    );
    CREATE INDEX benefit_rates_import ON benefit_rates(import_id);
    """,
    # 5: agreement texts a user imported for clause search (etl/agreement_text/): one row per
    # document, its lines with their page and row on the page
    """
    CREATE TABLE agreement_texts (
        text_id INTEGER PRIMARY KEY AUTOINCREMENT,
        agency TEXT NOT NULL,
        title TEXT NOT NULL,
        file_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        pages INTEGER,
        n_lines INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    );
    CREATE TABLE agreement_text_lines (
        text_id INTEGER NOT NULL REFERENCES agreement_texts(text_id) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        page INTEGER,
        page_line INTEGER,
        text TEXT NOT NULL,
        PRIMARY KEY (text_id, line_no)
    );
    """,
    # 6: values recorded by hand from an imported agreement's text (etl/recorded_values.py),
    # each citing a line of a stored text (a cited text cannot be removed: no cascade)
    """
    CREATE TABLE recorded_values (
        value_id INTEGER PRIMARY KEY AUTOINCREMENT,
        agreement_id TEXT NOT NULL,
        agency TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('premium', 'benefit_share', 'time_off')),
        fields TEXT NOT NULL,
        text_id INTEGER NOT NULL REFERENCES agreement_texts(text_id),
        line_no INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    );
    """,
]


def schema_version() -> int:
    return len(MIGRATIONS)


def _connect(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path), timeout=30, isolation_level=None, check_same_thread=check_same_thread
    )
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
                _run_script(conn, MIGRATIONS[version])
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except Exception:
                conn.execute("ROLLBACK")
                raise
    finally:
        conn.close()


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Statements one by one inside the caller's transaction (executescript would commit);
    a trigger body's semicolons stay with their statement."""
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                conn.execute(buf)
            buf = ""


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


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


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


def log(
    conn: sqlite3.Connection,
    actor: str,
    kind: str,
    action: str,
    target: str,
    detail: str | None = None,
) -> None:
    """Append who did what to the change log, inside the caller's transaction."""
    conn.execute(
        "INSERT INTO changelog(at, actor, kind, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (now(), actor or LOCAL_ACTOR, kind, action, target, detail),
    )


def read(sql: str, params: tuple = (), path: Path | None = None) -> pd.DataFrame:
    """`sql`'s rows as a table the caller may change; repeated reads of an unchanged file are
    answered from memory (userdata/read_memo.py)."""
    path = Path(path or defaults.user_db_path())
    _ensure_migrated(path)
    return read_memo.read(path, sql, params, _connect)


def changelog(path: Path | None = None) -> pd.DataFrame:
    """Every recorded change, newest first: at, actor, kind, action, target, detail."""
    return read(
        "SELECT change_id, at, actor, kind, action, target, detail FROM changelog "
        "ORDER BY change_id DESC",
        path=path,
    )
