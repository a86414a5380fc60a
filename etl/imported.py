"""Agreements users imported, read again on every build from the files kept with their data.

Each imported agreement is read by etl/schedule_import (the generic salary-table reader) into
the same rows a published agreement's parser returns, plus the text of each file row by row
(so the Sources page shows the row behind any value, as it shows an agreement's line). An
imported agreement that can no longer be read (its file was fine when imported; a later
release reads it differently) is left out of the build with a note saying why: one bad file
never stops the warehouse from being built, and the file itself stays in the user's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import BargainError
from etl.records import ParseResult
from userdata import agreements as stored


@dataclass
class ImportedDocs:
    """What the imported agreements add to one build."""

    result: ParseResult = field(default_factory=ParseResult)
    # (doc, agency, agreement_id, description, lines) of each file read
    documents: list[tuple[str, str, str, str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_all(user_db: Path | None) -> ImportedDocs:
    """Every imported agreement in the user's data, read; problems become notes."""
    out = ImportedDocs()
    if user_db is None or not Path(user_db).exists():
        return out
    for item in stored.load_all(user_db):
        from etl.schedule_import import read_imported  # loaded only when there is one

        try:
            got = read_imported(item)
        except BargainError as exc:
            out.notes.append(
                f"Imported agreement {item.agency} ({item.agreement_id}) was left out of this "
                f"build: {exc}"
            )
            continue
        out.result.extend(got.result)
        out.documents.extend(got.documents)
    return out


def fingerprint(user_db: Path | None) -> str:
    """The part of the build's fingerprint that imported agreements contribute."""
    if user_db is None or not Path(user_db).exists():
        return "no-imports"
    return stored.fingerprint(user_db)


def store(got, *, actor: str = "local", db: Path | None = None, user_db: Path | None = None):
    """Keep an import that read without a problem (`schedule_import.read`'s result) with the
    user's data and rebuild the warehouse with it: (import_id, agreement_id, build report).
    The CLI's `import-schedule` and the app's "Add an agreement" page both call this."""
    from etl import schedule_import
    from etl.build import build

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


def remove(import_id: int, *, actor: str = "local", db: Path | None = None, user_db=None):
    """Remove an imported agreement and rebuild without it; the build report (None when
    there was no such import)."""
    from etl.build import build

    if not stored.delete(import_id, user_db, actor=actor):
        return None
    return build(db, user_db=user_db if user_db is not None else "default")
