"""Benefit rate files a user imported (read by etl/uploads/benefit_rates.py): one row per file
(its name, hash, size, agencies and benefits, who imported it and when) and its rows, each with
the row of the file it came from, so every priced premium cites the user's file and row. Saves
are all or nothing and change-logged; removing an import removes its rows. The rows are
handed to the analysis as an argument (analysis never reads user data).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.benefit_pricing import RATE_COLUMNS
from etl.uploads.benefit_rates import ROW_COLUMNS, RateFile
from userdata.store import (
    LOCAL_ACTOR,
    UnknownIdError,
    file_hash,
    log,
    now,
    read,
    sqlite_rows,
    transaction,
)

IMPORT_COLUMNS = [
    "import_id",
    "file_name",
    "n_rows",
    "agencies",
    "benefits",
    "imported_at",
    "imported_by",
    "sha256",
    "bytes",
]


class UnknownRatesError(UnknownIdError):
    """A benefit-rate import id that is not stored."""


def _plain(df: pd.DataFrame) -> list[tuple]:
    """Rows for SQLite, dates as ISO text."""
    return sqlite_rows(df.assign(effective_date=df["effective_date"].map(lambda d: d.isoformat())))


# The insert names the columns literally (no SQL text is built from data); they must be these.
_INSERTED = [
    "agency",
    "benefit",
    "plan",
    "tier",
    "monthly_premium",
    "pct_of_pay",
    "effective_date",
    "source",
    "row_no",
    "sheet",
]


def save(got: RateFile, data: bytes, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> int:
    """Store a rate file read without a problem and all its rows in one transaction; returns
    its import id."""
    assert ROW_COLUMNS == _INSERTED, "benefit_rates insert out of step with ROW_COLUMNS"
    rows = got.rows
    if rows.empty:
        raise ValueError("a rate file with no row cannot be saved")
    agencies = ", ".join(sorted(set(rows["agency"])))
    benefits = ", ".join(sorted(set(rows["benefit"])))
    sha = file_hash(data)
    with transaction(path) as conn:
        cur = conn.execute(
            "INSERT INTO benefit_rate_imports(file_name, sha256, bytes, n_rows, agencies, "
            "benefits, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (got.file_name, sha, len(data), len(rows), agencies, benefits, now(), actor),
        )
        import_id = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO benefit_rates(import_id, agency, benefit, plan, tier, monthly_premium, "
            "pct_of_pay, effective_date, source, row_no, sheet) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(import_id, *t) for t in _plain(rows[ROW_COLUMNS])],
        )
        log(
            conn,
            actor,
            "benefit_rates",
            "saved",
            f"#{import_id} {got.file_name}",
            f"{len(rows)} rows: {benefits} of {agencies}; sha256 {sha[:12]}",
        )
    return import_id


def imports(path: Path | None = None) -> pd.DataFrame:
    """One row per stored rate file (IMPORT_COLUMNS), oldest first."""
    df = read("SELECT * FROM benefit_rate_imports ORDER BY import_id", path=path)
    return df[IMPORT_COLUMNS] if not df.empty else pd.DataFrame(columns=IMPORT_COLUMNS)


def same_file(sha256: str, path: Path | None = None) -> pd.DataFrame:
    """Earlier imports of a file with these bytes (to warn before saving it twice)."""
    return read(
        "SELECT import_id, file_name, imported_at, imported_by FROM benefit_rate_imports "
        "WHERE sha256 = ? ORDER BY import_id",
        (sha256,),
        path=path,
    )


def rows(path: Path | None = None) -> pd.DataFrame:
    """Every stored rate row (etl.benefit_pricing.RATE_COLUMNS): the file's columns, its row
    and sheet, the file name and import id; dates as dates. Oldest import first."""
    df = read(
        "SELECT r.*, i.file_name FROM benefit_rates r JOIN benefit_rate_imports i "
        "USING (import_id) ORDER BY r.import_id, r.row_no",
        path=path,
    )
    if df.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    df["effective_date"] = pd.to_datetime(df["effective_date"]).dt.date
    for col in ("monthly_premium", "pct_of_pay"):
        df[col] = pd.to_numeric(df[col])
    return df[RATE_COLUMNS]


def delete(import_id: int, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> str:
    """Remove a rate file and its rows; returns its file name. UnknownRatesError when no
    import has this id."""
    with transaction(path) as conn:
        row = conn.execute(
            "SELECT file_name, n_rows FROM benefit_rate_imports WHERE import_id = ?",
            (int(import_id),),
        ).fetchone()
        if row is None:
            raise UnknownRatesError(
                f"no benefit rate import #{import_id} (`bargain benefits list` lists them)"
            )
        conn.execute("DELETE FROM benefit_rate_imports WHERE import_id = ?", (int(import_id),))
        log(conn, actor, "benefit_rates", "deleted", f"#{import_id} {row[0]}", f"{row[1]} rows")
    return str(row[0])
