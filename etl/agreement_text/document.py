"""The types of agreement text: a line where it is printed, a section, a searchable passage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextLine:
    """One line of an agreement: `line_no` counts from 1 through the whole document (for a
    DOCX, paragraphs), `page` and `page_line` say where a PDF prints it (None otherwise)."""

    line_no: int
    text: str
    page: int | None = None
    page_line: int | None = None


@dataclass(frozen=True)
class AgreementText:
    """An agreement's text as read from one file: `kind` is 'pdf', 'docx' or 'txt';
    `encoding` for a TXT file, `pages` for a PDF."""

    file_name: str
    kind: str
    lines: tuple[TextLine, ...]
    pages: int | None = None
    encoding: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def n_words(self) -> int:
        return sum(len(ln.text.split()) for ln in self.lines)


@dataclass(frozen=True)
class Section:
    """An article, section or lettered subsection: `number` as the document prints it
    ("Article 12", "12.4", "9.3.A", "Appendix B"), its heading, its lines (first..last,
    subsections included) and its depth (0 = article or appendix)."""

    number: str
    heading: str
    first_line: int
    last_line: int
    depth: int
    article: str | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.heading}".strip()


@dataclass(frozen=True)
class Passage:
    """What the search indexes: the text of consecutive lines of one document (or a stretch
    of one very long line, from character `col`) under one section. `starts` holds, for each
    line, (offset of the line in `text`, line_no, page); the hit's line is found from it."""

    doc: str
    section: str
    heading: str
    text: str
    starts: tuple[tuple[int, int, int | None], ...]
    col: int | None = None

    @property
    def first_line(self) -> int:
        return self.starts[0][1]

    @property
    def last_line(self) -> int:
        return self.starts[-1][1]

    def line_at(self, offset: int) -> tuple[int, int | None]:
        """(line_no, page) of the character at `offset` in `text`."""
        found = self.starts[0]
        for start in self.starts:
            if start[0] > offset:
                break
            found = start
        return found[1], found[2]
