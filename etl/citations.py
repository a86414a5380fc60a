"""The one citation format: where a value came from.

`<doc>:<line>[:<col>] §<section>` names a file the warehouse holds line by line (the view
`source_lines`): an agreement in data/raw/ (line = text line, section = article/section,
col = character offset, for one-line documents and very long lines), or a file a user
imported (line = spreadsheet row with the header as row 1, section = sheet and column). A PDF
a user imported is held as its lines of text, page after page (line = that running line);
its section names the page and the line of text on that page, counted from the top, then the
column: `upload3-schedule.pdf:57 §p. 2, row 14, column Step 3`, which a person finds on the
printed page. The build writes it into every view's `source_ref`; the app and the CLI parse
it back to show the text around a value.

A value drawn from several sources cites them all in one text, joined with "; " (`join_refs`,
read back with `split_refs`); a page that lists its sources numbers them in order of first use
(`SourceList`). A State Controller figure cites its file and import: `gcc_ref`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_REF = re.compile(r"^(?P<doc>[^:\s]+):(?P<line>\d+)(?::(?P<col>\d+))? §(?P<section>.*)$", re.S)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
REF_SEPARATOR = "; "  # a section may hold ',' and ':' (user_section), never '; '


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
    return f"upload{upload_id}-{_safe(file_name)}"


def text_doc_name(text_id: int, file_name: str) -> str:
    """The `doc` of an agreement text a user imported ('Example MOU.pdf' #2 ->
    'text2-Example_MOU.pdf'): clause hits and hand-recorded values cite it."""
    return f"text{text_id}-{_safe(file_name)}"


def _safe(file_name: str) -> str:
    return _UNSAFE.sub("_", file_name).strip("_") or "file"


def user_section(
    sheet: str | None,
    column: str | None,
    page: int | None = None,
    page_row: int | None = None,
) -> str:
    """The section part of a user file's citation: its sheet (or, for a PDF, the page and the
    row of text on it) and column."""
    parts = []
    if sheet:
        parts.append(f"sheet {sheet}")
    if page is not None:
        parts.append(f"p. {page}" + (f", row {page_row}" if page_row is not None else ""))
    if column:
        parts.append(f"column {column}")
    return ", ".join(parts) or "file"


def user_place(file: str, sheet: str | None, row: int | None, page: int | None = None) -> str:
    """Where a value of a user's file is, as a person looks it up: 'schedule.pdf p. 3, row
    14', 'lookup.xlsx, sheet Unit 1, row 6', 'lookup.csv row 6'."""
    if page is not None:
        return f"{file} p. {page}" + (f", row {row}" if row is not None else "")
    where = f"{file}, sheet {sheet}" if sheet else file
    return f"{where}{',' if sheet else ''} row {row}" if row is not None else where


def join_refs(refs: Iterable[object]) -> str:
    """Several citations as one `source_ref`: each once, in order of first mention; empty ones
    left out (a value with no source adds nothing)."""
    return REF_SEPARATOR.join(
        dict.fromkeys(r.strip() for r in refs if isinstance(r, str) and r.strip())
    )


def split_refs(ref: object) -> list[str]:
    """The citations of one `source_ref` (`join_refs` read back): each once, in order; [] for
    nothing (None, NaN, blank)."""
    if not isinstance(ref, str):
        return []
    return list(dict.fromkeys(p.strip() for p in ref.split(REF_SEPARATOR) if p.strip()))


def gcc_ref(source: object, import_id: object) -> str:
    """A State Controller figure's citation: the file it came from and the import that
    stored it ('2016_SuperiorCourt.zip (import #1)'); the export has no lines to cite."""
    return f"{source} (import #{import_id})"


@dataclass(eq=False)
class SourceList:
    """The sources one page cites, numbered from 1 in order of first use: the same citation
    keeps its number wherever it is cited again."""

    refs: list[str] = field(default_factory=list)

    def number(self, ref: object) -> list[int]:
        """The numbers of the citations in `ref` ('a; b' = two), new ones added to the list."""
        nums = []
        for part in split_refs(ref):
            if part not in self.refs:
                self.refs.append(part)
            nums.append(self.refs.index(part) + 1)
        return nums
