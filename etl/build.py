"""Build the DuckDB warehouse from data/raw/ and data/reference/.

The database is written to a temporary file beside the target and renamed into place only
when complete, so a failed build leaves any earlier database untouched. A file lock keeps two
builders (two app sessions, or the CLI and the app) from racing.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import defaults
from etl.rawtext import RawDocument
from etl.records import ParseResult
from etl.sources import DOCUMENTS, parse_all

SCHEMA_VERSION = 1

# staging table -> ParseResult field
_TABLES = {
    "stg_classes": "classes",
    "stg_salary_rates": "salary_rates",
    "stg_wage_increases": "wage_increases",
    "stg_premiums": "premiums",
    "stg_benefit_shares": "benefit_shares",
    "stg_survey_agencies": "survey_agencies",
    "stg_provisions": "provisions",
    "stg_audit": "audit",
    "stg_time_off": "time_off",
}

PUBLIC_VIEWS = (
    "agreements",
    "job_classes",
    "salary_schedule",
    "wage_increases",
    "premiums",
    "benefit_shares",
    "survey_agencies",
    "provisions",
    "audit",
    "time_off",
)


@dataclass
class BuildReport:
    db_path: Path
    seconds: float
    counts: dict[str, int]
    audit_summary: list[tuple[str, str, str, int]]  # agency, check, status, n
    unexplained: list[dict]


def source_files(raw_dir: Path, reference_dir: Path) -> list[Path]:
    """Every file whose change makes the warehouse stale: sources, curated files, ETL code."""
    etl_dir = Path(__file__).resolve().parent
    files = [raw_dir / d.doc for d in DOCUMENTS]
    # class_matches.csv is read by the analysis (crosswalk), not the build: editing it must not
    # force a rebuild.
    files += sorted(f for f in reference_dir.glob("*.csv") if f.name != "class_matches.csv")
    files += sorted(etl_dir.glob("*.py")) + [etl_dir / "schema.sql"]
    return files


def fingerprint(raw_dir: Path, reference_dir: Path) -> str:
    h = hashlib.sha256(f"schema={SCHEMA_VERSION}".encode())
    for f in source_files(raw_dir, reference_dir):
        h.update(f.name.encode())
        h.update(f.read_bytes() if f.exists() else b"<missing>")
    return h.hexdigest()


def _frame(rows: list) -> pd.DataFrame:
    """Flatten dataclass rows; the nested SourceRef becomes source_* columns."""
    records = []
    for row in rows:
        d = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
        src = d.pop("source")
        d.update(
            source_doc=src.doc,
            source_line=src.line,
            source_col=src.col,
            source_section=src.section,
        )
        records.append(d)
    return pd.DataFrame.from_records(records)


def _load(con: duckdb.DuckDBPyConnection, table: str, rows: list) -> None:
    if not rows:
        return
    df = _frame(rows)
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    df = df.rename(columns={"union": "union_name"})
    select = ", ".join(f'"{c}"' for c in cols)
    con.register("_rows", df[cols])
    con.execute(f"INSERT INTO {table} SELECT {select} FROM _rows")
    con.unregister("_rows")


def write_database(path: Path, result: ParseResult, fp: str, raw_dir: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(defaults.SCHEMA_SQL.read_text())
        for a in result.agreements:
            con.execute(
                "INSERT INTO stg_agreements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    a.agreement_id,
                    a.agency,
                    a.union,
                    a.title,
                    a.doc,
                    a.units,
                    a.term_start,
                    a.term_end,
                ],
            )
        for table, attr in _TABLES.items():
            _load(con, table, getattr(result, attr))
        lines = []
        for d in DOCUMENTS:
            raw = RawDocument.load(raw_dir / d.doc)
            con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                [
                    d.doc,
                    d.agency,
                    d.agreement_id,
                    hashlib.sha256(raw.text.encode()).hexdigest(),
                    len(raw.lines),
                ],
            )
            lines.extend((d.doc, i, t) for i, t in enumerate(raw.lines, 1))
        con.register("_lines", pd.DataFrame(lines, columns=["doc", "line_no", "text"]))
        con.execute("INSERT INTO source_lines SELECT * FROM _lines")
        con.unregister("_lines")
        con.execute(
            "INSERT INTO build_info VALUES (?, ?, ?, NULL)", [SCHEMA_VERSION, datetime.now(), fp]
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


@contextmanager
def _build_lock(db: Path) -> Iterator[None]:
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(
    db: Path | None = None,
    raw_dir: Path | None = None,
    reference_dir: Path | None = None,
) -> BuildReport:
    """Parse every source and write the warehouse atomically. Raises SourceParseError (naming
    file and line) without touching an existing database when any source cannot be parsed."""
    db = Path(db or defaults.db_path())
    raw_dir = raw_dir or defaults.RAW_DIR
    reference_dir = reference_dir or defaults.REFERENCE_DIR
    start = time.perf_counter()
    with _build_lock(db):
        # A builder killed mid-write leaves its temporary file; we hold the lock, so any such
        # file is stale.
        for stale in db.parent.glob(f".{db.name}.*.tmp*"):
            stale.unlink(missing_ok=True)
        fp = fingerprint(raw_dir, reference_dir)
        result = parse_all(raw_dir, reference_dir)
        tmp = db.with_name(f".{db.name}.{os.getpid()}.tmp")
        try:
            write_database(tmp, result, fp, raw_dir)
            seconds = time.perf_counter() - start
            con = duckdb.connect(str(tmp))
            con.execute("UPDATE build_info SET build_seconds = ?", [seconds])
            con.execute("CHECKPOINT")
            con.close()
            os.replace(tmp, db)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
    return report(db, seconds)


def report(db: Path, seconds: float = 0.0) -> BuildReport:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in PUBLIC_VIEWS}
        summary = con.execute(
            'SELECT agency, "check", status, count(*) FROM audit GROUP BY ALL ORDER BY ALL'
        ).fetchall()
        unexplained = (
            con.execute(
                "SELECT agency, class_code, effective_date, expected, actual, detail, source_ref "
                "FROM audit WHERE status = 'unexplained' ORDER BY agency, class_code, "
                "effective_date"
            )
            .df()
            .to_dict("records")
        )
    finally:
        con.close()
    return BuildReport(db, seconds, counts, summary, unexplained)


def stored_fingerprint(db: Path) -> str | None:
    """The fingerprint a database was built from, or None when it is missing or unreadable."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT source_fingerprint, schema_version FROM build_info").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if not row or row[1] != SCHEMA_VERSION:
        return None
    return row[0]


def is_stale(
    db: Path | None = None, raw_dir: Path | None = None, reference_dir: Path | None = None
) -> bool:
    db = Path(db or defaults.db_path())
    fp = fingerprint(raw_dir or defaults.RAW_DIR, reference_dir or defaults.REFERENCE_DIR)
    return stored_fingerprint(db) != fp


def ensure_database(db: Path | None = None) -> BuildReport | None:
    """Build when the database is missing or older than its sources; None when it was fresh."""
    db = Path(db or defaults.db_path())
    if not is_stale(db):
        return None
    with _build_lock(db):
        fresh = not is_stale(db)  # another builder may have finished while we waited
    return None if fresh else build(db)
