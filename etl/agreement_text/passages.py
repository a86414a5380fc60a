"""The searchable units of an agreement: each a stretch of consecutive lines under one section.

A published agreement in data/raw/ holds a paragraph per line, so a passage is one line; a line
longer than `LONG_LINE` (the one-line Contra Costa text) is cut at sentence ends into stretches
that each name the character they start at. An imported PDF or text file breaks paragraphs
into printed lines, so consecutive short lines are joined (a phrase broken across two lines is
still a phrase) until a blank line, a heading, a new page's section or `MAX_LINES` lines; each
line keeps its own line number and page, and a hit names the line that holds its first word.
Table-of-contents lines are not passages: they repeat the headings, not the clauses.
"""

from __future__ import annotations

import re

from etl.agreement_text.document import Passage, Section, TextLine
from etl.agreement_text.outline import clean, contents_lines, innermost, outline

LONG_LINE = 2_000  # characters: a line longer than this is cut into stretches
STRETCH = 1_200  # about this long each
JOIN_BELOW = 200  # lines shorter than this are a paragraph's printed lines, joined
MAX_LINES = 12
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z0-9(])")


def _stretches(text: str) -> list[tuple[int, str]]:
    """(0-based start, text) pieces of a long line, cut after a sentence end near STRETCH."""
    out, start = [], 0
    while len(text) - start > STRETCH * 1.5:
        window = text[start + STRETCH : start + 2 * STRETCH]
        m = _SENTENCE_END.search(window)
        cut = start + STRETCH + (m.end() if m else len(window))
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def section_of(sections: list[Section], owner: int | None) -> tuple[str, str]:
    if owner is None:
        return "", ""
    sec = sections[owner]
    return sec.number, sec.heading


def line_passages(doc: str, texts: list[str]) -> tuple[list[Passage], list[Section]]:
    """A published document's passages (one per line, long lines in stretches) and sections."""
    sections = outline(texts)
    owners = innermost(sections, len(texts))
    contents = contents_lines(texts)
    out = []
    for i, raw in enumerate(texts):
        if contents[i] or not raw.strip():
            continue
        number, heading = section_of(sections, owners[i])
        if len(raw) <= LONG_LINE:
            out.append(Passage(doc, number, heading, clean(raw), ((0, i + 1, None),)))
            continue
        for start, piece in _stretches(raw):
            text = clean(piece)
            if text:
                out.append(Passage(doc, number, heading, text, ((0, i + 1, None),), start + 1))
    return out, sections


def paragraph_passages(doc: str, lines: list[TextLine]) -> tuple[list[Passage], list[Section]]:
    """An imported agreement's passages: short printed lines joined into paragraphs."""
    texts = [ln.text for ln in lines]
    first = lines[0].line_no if lines else 1
    sections = outline(texts, first)
    owners = innermost(sections, len(texts), first)
    starts_at = {s.first_line for s in sections}
    contents = contents_lines(texts)
    out: list[Passage] = []
    group: list[tuple[TextLine, str]] = []
    owner: int | None = None

    def flush() -> None:
        if group:
            out.append(_joined(doc, group, *section_of(sections, owner)))
            group.clear()

    for i, ln in enumerate(lines):
        text = clean(ln.text)
        if contents[i] or not text:
            flush()
            continue
        if ln.line_no in starts_at or owners[i] != owner or len(group) >= MAX_LINES:
            flush()
        owner = owners[i]
        group.append((ln, text))
        if len(text) >= JOIN_BELOW:
            flush()
    flush()
    return out, sections


def _joined(doc: str, group: list[tuple[TextLine, str]], number: str, heading: str) -> Passage:
    starts, parts, offset = [], [], 0
    for ln, text in group:
        starts.append((offset, ln.line_no, ln.page))
        parts.append(text)
        offset += len(text) + 1
    return Passage(doc, number, heading, "\n".join(parts), tuple(starts))
