"""An imported agreement as kept with the user's data: its files (with their roles) and the
options they were read with. The reader (reader.py) takes these; userdata/agreements.py stores
and loads them; the build (etl/imported.py) reads them again on every build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportedFile:
    role: str  # 'schedule', or 'grades' / 'classes' for a grade chart with a class list
    file_name: str
    data: bytes


@dataclass(frozen=True)
class Imported:
    import_id: int
    agency: str
    agreement_id: str
    title: str
    options: dict  # the reader's options (mapping, period, effective date, step rule ...)
    files: tuple[ImportedFile, ...]
    imported_at: str
    imported_by: str
