"""The warehouse built with the user's imported agreements: the user-data side of etl/build.py.

The ETL never opens the user's store; this module reads the imported agreements kept there
(userdata/agreements.py) and hands them to the build, and keeps or removes an import together
with the rebuild that follows it. The app and the CLI build through here; a build of the
published agreements alone (tests, benchmarks) can call etl.build.build directly.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from etl import build as etl_build
from etl import defaults, freshness
from etl.build import BuildReport
from etl.errors import BargainError
from etl.freshness import NO_IMPORTS, Imports
from userdata import agreements as stored
from userdata import recorded_values
from userdata.store import LOCAL_ACTOR


def user_db_path(user_db: Path | None | str = "default") -> Path | None:
    """The user-data file whose imported agreements a build includes: the configured one by
    default, none when None (a build of the published agreements only, as tests use)."""
    if isinstance(user_db, str) and user_db == "default":
        return defaults.user_db_path()
    return Path(user_db) if user_db is not None else None


def imports(user_db: Path | None | str = "default") -> Imports:
    """The imported agreements of `user_db`, as the build takes them."""
    path = user_db_path(user_db)
    if path is None or not path.exists():
        return NO_IMPORTS
    fp = stored.fingerprint(path)
    recorded = recorded_values.fingerprint(path)
    if recorded:  # (an empty list keeps the fingerprint of builds before recorded values)
        fp = f"{fp}+{recorded}"
    # A user data file holding nothing the build reads builds what no file does: same
    # fingerprint. Else the file's creation (the first session that opens it) made the
    # warehouse stale and the next new session rebuilt it in the app (issue 22.4).
    fp = fp or NO_IMPORTS.fingerprint
    return Imports(fp, partial(stored.load_all, path), partial(_recorded, path))


def _recorded(path: Path, agreement_ids: set[str]):
    from etl.recorded_values import read_all

    values, texts = recorded_values.load_all(path)
    return read_all(values, texts, agreement_ids)


def build(
    db: Path | None = None,
    raw_dir: Path | None = None,
    reference_dir: Path | None = None,
    user_db: Path | None | str = "default",
) -> BuildReport:
    """etl.build.build with the imported agreements of `user_db` (the configured file by
    default; None for the published agreements only)."""
    return etl_build.build(db, raw_dir, reference_dir, imports(user_db))


def is_stale(
    db: Path | None = None,
    raw_dir: Path | None = None,
    reference_dir: Path | None = None,
    user_db: Path | None | str = "default",
) -> bool:
    return freshness.is_stale(db, raw_dir, reference_dir, imports(user_db))


def ensure_database(db: Path | None = None) -> BuildReport | None:
    """Build when the database is missing or older than its sources or the user's imported
    agreements; None when it was fresh (etl.build.ensure_database)."""
    return etl_build.ensure_database(db, imports())


def clashes(got, db: Path | None = None) -> list[str]:
    """Why an import cannot join its agency (empty when it can): it rates a class on a date
    that another agreement of the same agency (published or imported) already rates. Two
    rates for one class and date would give every page two answers, each citing the other's
    line."""
    import duckdb

    rates = {(r.class_code, r.effective_date) for r in got.result.salary_rates}
    if not rates:
        return []
    db = Path(db or defaults.db_path())
    if not db.exists():  # (a stale one is compared as it is: the build after the import
        ensure_database(db)  # follows; building here too doubled concurrent rebuilds)
    con = duckdb.connect(str(db), read_only=True)
    try:
        known = con.execute(
            "SELECT DISTINCT class_code, effective_date, agreement_id FROM salary_schedule "
            "WHERE agency = ?",
            [got.options.agency],
        ).fetchall()
    finally:
        con.close()
    hit: dict[tuple, list[str]] = {}
    for c, d, a in sorted(known):
        if (c, d) in rates:
            hit.setdefault((c, d), []).append(a)
    if not hit:
        return []
    shown = "; ".join(
        f"{c} on {d.isoformat()} ({', '.join(a)})" for (c, d), a in list(hit.items())[:5]
    )
    more = f" and {len(hit) - 5} more" if len(hit) > 5 else ""
    n = len(hit)
    return [
        f"{got.options.agency} already rates {n} class{'es' if n > 1 else ''} of this table on "
        f"its date{'s' if len({d for _, d in hit}) > 1 else ''}: {shown}{more}. A second "
        "rate for one class and date would give every page two answers: import the table "
        f"under another agency name ('{got.options.agency} (proposal)', say), at another "
        "effective date, or remove the earlier import first"
    ]


def store(got, *, actor: str = LOCAL_ACTOR, db: Path | None = None, user_db: Path | None = None):
    """Keep an import that read without a problem (`schedule_import.read`'s result) with the
    user's data and rebuild the warehouse with it: (import_id, agreement_id, build report).
    The CLI's `import-schedule` and the app's "Add an agreement" page both call this; an
    import that `clashes` with its agency's agreements is refused (BargainError)."""
    from etl import schedule_import

    why = clashes(got, db)
    if why:
        raise BargainError(why[0])
    agency = got.options.agency
    import_id = stored.save(
        agency,
        lambda i: schedule_import.agreement_id_for(agency, i),
        got.result.agreements[0].title,
        got.options.to_dict(),
        list(got.files),
        user_db,
        actor=actor,
    )
    agreement_id = next(a for a in stored.load_all(user_db) if a.import_id == import_id)
    report = build(db, user_db=user_db if user_db is not None else "default")
    return import_id, agreement_id.agreement_id, report


def record(
    agreement_id: str,
    agency: str,
    kind: str,
    typed: dict,
    text_id: int,
    line_no: int,
    *,
    actor: str = LOCAL_ACTOR,
    db: Path | None = None,
    user_db: Path | None = None,
):
    """Keep a value recorded from an imported text (userdata/recorded_values.py checks it)
    and rebuild the warehouse with it: (value_id, build report)."""
    value_id = recorded_values.save(
        agreement_id, agency, kind, typed, text_id, line_no, user_db, actor=actor
    )
    return value_id, build(db, user_db=user_db if user_db is not None else "default")


def unrecord(value_id: int, *, actor: str = LOCAL_ACTOR, db: Path | None = None, user_db=None):
    """Remove a recorded value and rebuild without it; the build report."""
    recorded_values.delete(value_id, user_db, actor=actor)
    return build(db, user_db=user_db if user_db is not None else "default")


def remove(import_id: int, *, actor: str = LOCAL_ACTOR, db: Path | None = None, user_db=None):
    """Remove an imported agreement and rebuild without it; the build report (None when
    there was no such import)."""
    if not stored.delete(import_id, user_db, actor=actor):
        return None
    return build(db, user_db=user_db if user_db is not None else "default")
