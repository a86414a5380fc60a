"""Agreements users imported, read again on every build from the files kept with their data.

Each imported agreement is read by etl/schedule_import (the generic salary-table reader) into
the same rows a published agreement's parser returns, plus the text of each file row by row
(so the Sources page shows the row behind any value, as it shows an agreement's line). An
imported agreement that can no longer be read (its file was fine when imported; a later
release reads it differently) is left out of the build with a note saying why: one bad file
never stops the warehouse from being built, and the file itself stays in the user's data.
The caller reads the stored agreements from user data (userdata/warehouse.py) and passes
them in: the ETL never opens the user's store itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from etl.errors import BargainError
from etl.records import ImportedDocs
from etl.schedule_import.stored import Imported


def read_all(items: Iterable[Imported]) -> ImportedDocs:
    """Every imported agreement given, read; problems become notes."""
    out = ImportedDocs()
    for item in items:
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
