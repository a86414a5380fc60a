"""Whether the warehouse is fresh: the fingerprint of what it is built from (the published
sources, curated files, ETL code and the user's imported agreements) against the one the
database stores. Every new app session asks, so the stored answer is remembered by file stat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import defaults, imported
from etl.registry import documents
from etl.schedule_import.stored import Imported

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Imports:
    """The user's imported agreements a build includes, as the caller read them from user
    data (userdata/warehouse.py): a fingerprint of them (cheap: every staleness check reads
    it) and a function giving the agreements themselves (called only when building)."""

    fingerprint: str = "no-imports"
    load: Callable[[], list[Imported]] = list
    # values recorded by hand from imported texts, given the agreement ids of the build
    recorded: Callable[[set[str]], imported.ImportedDocs] | None = None


NO_IMPORTS = Imports()


def source_files(raw_dir: Path, reference_dir: Path) -> list[Path]:
    """Every file whose change makes the warehouse stale: sources, curated files, ETL code."""
    etl_dir = Path(__file__).resolve().parent
    files = [raw_dir / d.doc for _, d in documents()]
    # class_matches.csv is read by the analysis (crosswalk), not the build: editing it must not
    # force a rebuild.
    files += sorted(f for f in reference_dir.glob("*.csv") if f.name != "class_matches.csv")
    files += sorted(etl_dir.rglob("*.py")) + [etl_dir / "schema.sql"]  # schedule_import too
    return files


def fingerprint(raw_dir: Path, reference_dir: Path, imports: Imports = NO_IMPORTS) -> str:
    """What the warehouse is built from: sources, curated files, ETL code, imported agreements."""
    h = hashlib.sha256(f"schema={SCHEMA_VERSION}".encode())
    h.update(imports.fingerprint.encode())
    for f in source_files(raw_dir, reference_dir):
        h.update(f.name.encode())
        h.update(_file_digest(f))
    return h.hexdigest()


def _file_digest(f: Path) -> bytes:
    """A source's sha256 for the fingerprint; a marker when it cannot be read (the build then
    stops on it with a message naming the file). Read every time (about 1 MB, 1-4 ms): a
    digest remembered by file stat was wrong for a file rewritten within one timestamp tick."""
    try:
        return hashlib.sha256(f.read_bytes()).digest()
    except FileNotFoundError:
        return b"<missing>"
    except OSError:
        return b"<unreadable>"


# (path, inode, size, mtime) -> the fingerprint read from that file: every new app session
# checks staleness, and opening the database to read one row cost ~20 ms. A rebuild renames a
# new file into place (a new inode), so a cached answer is never the old file's.
_STORED: dict[tuple[str, int, int, int], str] = {}


def stored_fingerprint(db: Path) -> str | None:
    """The fingerprint a database was built from, or None when it is missing or unreadable."""
    try:
        st = db.stat()
    except OSError:
        return None
    key = (str(db), st.st_ino, st.st_size, st.st_mtime_ns)
    if key in _STORED:
        return _STORED[key]
    fp = _read_fingerprint(db)
    if fp is not None:  # an unreadable file is asked again (it may be a passing lock)
        if len(_STORED) > 64:  # bounded: one entry per build seen
            _STORED.clear()
        _STORED[key] = fp
    return fp


def _read_fingerprint(db: Path) -> str | None:
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
    db: Path | None = None,
    raw_dir: Path | None = None,
    reference_dir: Path | None = None,
    imports: Imports = NO_IMPORTS,
) -> bool:
    db = Path(db or defaults.db_path())
    fp = fingerprint(raw_dir or defaults.RAW_DIR, reference_dir or defaults.REFERENCE_DIR, imports)
    return stored_fingerprint(db) != fp
