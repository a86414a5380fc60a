"""The one citation format: where a value came from.

`<doc>:<line>[:<col>] §<section>` names a file the warehouse holds line by line (the view
`source_lines`): an agreement in data/raw/ (line = text line, section = article/section,
col = character offset, for one-line documents and very long lines), or a file a user
imported (line = spreadsheet row with the header as row 1, section = sheet and column). The
build writes it into every view's `source_ref`; the app and the CLI parse it back to show the
text around a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(r"^(?P<doc>[^:\s]+):(?P<line>\d+)(?::(?P<col>\d+))? §(?P<section>.*)$", re.S)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class SourceRef:
    """Where a value came from: the file, the 1-based line (or spreadsheet row), the
    article/section (or sheet and column), and for long lines the 1-based character offset."""

    doc: str
    line: int
    section: str
    col: int | None = None

    def __str__(self) -> str:
        pos = f"{self.line}:{self.col}" if self.col else f"{self.line}"
        return f"{self.doc}:{pos} §{self.section}"

    @classmethod
    def parse(cls, ref: str) -> SourceRef:
        """'sonoma_seiu707_mou_2002_2008.txt:1820 §Appendix A' -> SourceRef; ValueError if
        the text is not a source reference."""
        m = _REF.match((ref or "").strip())
        if not m:
            raise ValueError(
                f"not a source reference: {ref!r} (expected '<file>:<line> §<section>')"
            )
        col = m.group("col")
        return cls(
            m.group("doc"), int(m.group("line")), m.group("section"), int(col) if col else None
        )


def user_doc_name(upload_id: int, file_name: str) -> str:
    """The `doc` of a file a user imported: unique (the upload id) and free of the spaces and
    colons the citation format cannot hold ('Salary Table 2024.xlsx' #3 ->
    'upload3-Salary_Table_2024.xlsx')."""
    return f"upload{upload_id}-{_UNSAFE.sub('_', file_name).strip('_') or 'file'}"


def user_section(sheet: str | None, column: str | None) -> str:
    """The section part of a user file's citation: its sheet and column."""
    parts = []
    if sheet:
        parts.append(f"sheet {sheet}")
    if column:
        parts.append(f"column {column}")
    return ", ".join(parts) or "file"
