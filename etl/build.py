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
import string
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import defaults, imported, pay
from etl.agreement_text.published import clause_frames
from etl.citations import SourceRef
from etl.freshness import NO_IMPORTS, SCHEMA_VERSION, Imports, fingerprint, is_stale
from etl.parse import parse_published, validate
from etl.rawtext import RawDocument
from etl.records import ParseResult
from etl.registry import PUBLISHED, documents
from etl.total_compensation import total_compensation

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
    "step_rules",
    "job_classes",
    "salary_schedule",
    "wage_increases",
    "premiums",
    "benefit_shares",
    "survey_agencies",
    "provisions",
    "audit",
    "time_off",
    "clauses",
    "clause_sections",
)


@dataclass
class BuildReport:
    db_path: Path
    seconds: float
    counts: dict[str, int]
    notes: list[str]
    audit_summary: list[tuple[str, str, str, int]]  # agency, check, status, n
    unexplained: list[dict]


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
            source_ref=str(src),
        )
        records.append(d)
    return pd.DataFrame.from_records(records)


def _load(con: duckdb.DuckDBPyConnection, table: str, rows: list) -> None:
    if rows:
        _load_frame(con, table, _frame(rows))


def schema_sql() -> str:
    """etl/schema.sql with the pay constants of etl/pay.py substituted."""
    return string.Template(defaults.SCHEMA_SQL.read_text()).substitute(pay.SQL_CONSTANTS)


def _load_frame(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    if df.empty:
        return
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    select = ", ".join(f'"{c}"' for c in cols)
    con.register("_rows", df[cols])
    con.execute(f"INSERT INTO {table} SELECT {select} FROM _rows")
    con.unregister("_rows")


def _step_rules_frame(result: ParseResult) -> pd.DataFrame:
    rows = []
    for r in result.step_rules:
        d = dataclasses.asdict(r)
        citations = d.pop("citations")
        d.update(
            steps=list(r.steps),
            notes=list(r.notes),
            citation_refs=[ref for ref, _ in citations],
            citation_quotes=[q for _, q in citations],
            source_ref=r.source_ref,
        )
        rows.append(d)
    return pd.DataFrame.from_records(rows)


def _cpi_reopeners(raw_dir: Path) -> pd.DataFrame:
    """The registry's CPI reopeners, each clause's line found in its agreement."""
    rows = []
    for entry in PUBLISHED:
        for spec in entry.cpi_reopeners:
            raw = RawDocument.load(raw_dir / entry.doc)
            line, _ = raw.require(spec.quote, context=f"CPI reopener {spec.section}")
            rows.append(
                {
                    **dataclasses.asdict(spec),
                    "agency": entry.agency,
                    "agreement_id": entry.agreement_id,
                    "years": list(spec.years),
                    "index_notes": list(spec.index_notes),
                    "source_ref": str(SourceRef(raw.name, line, spec.section)),
                }
            )
    return pd.DataFrame(rows)


_COMP_INPUTS = {
    "salary_schedule": "SELECT * FROM salary_schedule WHERE agency = ?",
    "benefit_shares": "SELECT * FROM benefit_shares WHERE agency = ?",
    "time_off": "SELECT * FROM time_off WHERE agency = ?",
    "premiums": "SELECT * FROM premiums WHERE agency = ? AND paid_to_class IS NOT NULL",
}


def _total_compensation(con: duckdb.DuckDBPyConnection, result: ParseResult) -> pd.DataFrame:
    """Total compensation of every class at every schedule date, at the default years of
    service, from the views just written (the same code the analysis runs for other years)."""
    parts = []
    for rule in result.step_rules:
        frames = {name: con.execute(sql, [rule.agency]).df() for name, sql in _COMP_INPUTS.items()}
        rates = frames["salary_schedule"]
        rates = rates[rates["agreement_id"] == rule.agreement_id]
        for when in sorted(pd.to_datetime(rates["effective_date"]).dt.date.unique()):
            parts.append(
                total_compensation(
                    rates,
                    rule,
                    frames["benefit_shares"],
                    frames["time_off"],
                    when,
                    defaults.DEFAULT_YEARS_OF_SERVICE,
                    premiums=frames["premiums"],
                )
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def write_database(
    path: Path, result: ParseResult, fp: str, raw_dir: Path, extra: imported.ImportedDocs
) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute(schema_sql())
        agreements = pd.DataFrame.from_records([dataclasses.asdict(a) for a in result.agreements])
        agreements["ordinal"] = range(len(agreements))
        _load_frame(con, "stg_agreements", agreements.rename(columns={"union": "union_name"}))
        _load_frame(con, "stg_step_rules", _step_rules_frame(result))
        for table, attr in _TABLES.items():
            _load(con, table, getattr(result, attr))
        docs, lines, texts = [], [], []
        for entry, d in documents():
            raw = RawDocument.load(raw_dir / d.doc)
            sha = hashlib.sha256(raw.text.encode()).hexdigest()
            docs.append(
                (
                    d.doc,
                    entry.agency,
                    entry.agreement_id,
                    d.description,
                    entry.kind,
                    sha,
                    len(raw.lines),
                )
            )
            lines.extend((d.doc, i, t) for i, t in enumerate(raw.lines, 1))
            texts.append((d.doc, entry.agency, entry.agreement_id, raw.lines))
        for doc, agency, agreement_id, description, text_lines in extra.documents:
            sha = hashlib.sha256("\n".join(text_lines).encode()).hexdigest()
            docs.append((doc, agency, agreement_id, description, "imported", sha, len(text_lines)))
            lines.extend((doc, i, t) for i, t in enumerate(text_lines, 1))
        cols = ["doc", "agency", "agreement_id", "description", "kind", "sha256", "n_lines"]
        _load_frame(con, "documents", pd.DataFrame(docs, columns=cols))
        _load_frame(con, "source_lines", pd.DataFrame(lines, columns=["doc", "line_no", "text"]))
        clauses, sections = clause_frames(texts)
        _load_frame(con, "stg_clauses", clauses)
        _load_frame(con, "stg_sections", sections)
        _load_frame(con, "stg_total_compensation", _total_compensation(con, result))
        _load_frame(con, "stg_cpi_reopeners", _cpi_reopeners(raw_dir))
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
    imports: Imports = NO_IMPORTS,
) -> BuildReport:
    """Parse every source and write the warehouse atomically. Raises SourceParseError (naming
    file and line) without touching an existing database when any source cannot be parsed.
    The imported agreements given are read too; one that cannot be read is left out with a
    note in the report."""
    db = Path(db or defaults.db_path())
    start = time.perf_counter()
    with _build_lock(db):
        seconds, notes = _build_locked(db, raw_dir, reference_dir, imports, start)
    return report(db, seconds, notes)


def _build_locked(
    db: Path,
    raw_dir: Path | None,
    reference_dir: Path | None,
    imports: Imports,
    start: float,
) -> tuple[float, list[str]]:
    """The build itself; the caller holds the build lock. Returns (seconds, notes)."""
    raw_dir = raw_dir or defaults.RAW_DIR
    reference_dir = reference_dir or defaults.REFERENCE_DIR
    # A builder killed mid-write leaves its temporary file; we hold the lock, so any such
    # file is stale.
    for stale in db.parent.glob(f".{db.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    fp = fingerprint(raw_dir, reference_dir, imports)
    result = parse_published(raw_dir, reference_dir)
    extra = imported.read_all(imports.load())
    result.extend(extra.result)
    if imports.recorded is not None:
        more = imports.recorded({a.agreement_id for a in result.agreements})
        result.extend(more.result)
        extra.documents.extend(more.documents)
        extra.notes.extend(more.notes)
    validate(result)
    tmp = db.with_name(f".{db.name}.{os.getpid()}.tmp")
    try:
        write_database(tmp, result, fp, raw_dir, extra)
        seconds = time.perf_counter() - start
        con = duckdb.connect(str(tmp))
        con.execute("UPDATE build_info SET build_seconds = ?", [seconds])
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, db)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return seconds, extra.notes


def report(db: Path, seconds: float = 0.0, notes: list[str] | None = None) -> BuildReport:
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
    return BuildReport(db, seconds, counts, list(notes or []), summary, unexplained)


def ensure_database(db: Path | None = None, imports: Imports = NO_IMPORTS) -> BuildReport | None:
    """Build when the database is missing or older than its sources; None when it was fresh.

    Several processes may find it stale at once (the first session on each app process after a
    source changed): the lock is held from the second check to the end of the build, so the
    others wait for that build and find the database fresh instead of building it again."""
    db = Path(db or defaults.db_path())
    if not is_stale(db, imports=imports):
        return None
    start = time.perf_counter()
    with _build_lock(db):
        if not is_stale(db, imports=imports):  # another builder finished while we waited
            return None
        seconds, notes = _build_locked(db, None, None, imports, start)
    return report(db, seconds, notes)
