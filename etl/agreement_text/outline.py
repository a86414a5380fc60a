"""Articles and sections of an agreement, found from the numbering the document itself uses.

Headings recognised (after Markdown and HTML emphasis is removed, e.g. "## **ARTICLE 7.**"):

- "ARTICLE 12 - HOURS", "Article XII.": an article (depth 0); "APPENDIX B", "Attachment A",
  "Exhibit 1", "Side Letter 2": an appendix (depth 0, no article);
- "12.4 Heading", "12.20.3": a numbered section (depth = number of dots). Its first number must
  be the current article's (or the next one's, which starts that article), no part may have a
  leading zero ("16.01" is a table cell) and numbers must increase: a line of a table or a
  sentence that happens to begin with a number is not taken for a section;
- "Section 5.", "SECTION 5.2": a section (depth 1, or dots + 1);
- "3. Bilingual Pay Premium" inside an article of a document without dotted numbers: section
  "9.3" (the Mendocino style), and "A. Merit Increase Not Automatic" under it: "7.5.A". Both
  only when the line reads as a heading (short, no sentence end), so a numbered list in the
  prose is not taken for sections.

Lines of a table of contents or an index (dot leaders: "9.8 Bilingual Pay .....29") are not
headings; their headings are used to cut a body line that runs the heading into its first
sentence ("4.6 Union Employee Lists The County will ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.agreement_text.document import Section

_DECOR = re.compile(r"</?b>|</?strong>|\*\*|__|^#{1,6}\s+|\\(?=[$.()#*_\-\[\]!+])")
_WS = re.compile(r"\s+")
ARTICLE = re.compile(r"^(?:ARTICLE|Article)\s+(\d{1,3}|[IVXLC]{1,7})\b\.?\s*[-–—:.]?\s*(.*)$")
APPENDIX = re.compile(
    r"^(APPENDIX|Appendix|ATTACHMENT|Attachment|EXHIBIT|Exhibit|ADDENDUM|Addendum|"
    r"SIDE LETTER|Side Letter)\s+([A-Z]|\d{1,2})\b\.?\s*[-–—:.]?\s*(.*)$"
)
DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,3})\.?(?:\s+(.*))?$")
SECTION_WORD = re.compile(r"^(?:SECTION|Section)\s+(\d{1,3}(?:\.\d{1,3}){0,3})\.?(?:\s+|$)(.*)$")
ITEM = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
LETTER = re.compile(r"^([A-Z])\.\s+(\S.*)$")
CONTENTS = re.compile(r"(?:\.\s?){4,}\s*\S{0,8}\s*$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
HEADING_CHARS = 80  # a heading is at most this long; longer text is the clause's sentence


def clean(text: str) -> str:
    """A line without Markdown/HTML emphasis, tabs and runs of spaces."""
    return _WS.sub(" ", _DECOR.sub("", text.replace("\t", " "))).strip()


def is_contents(text: str) -> bool:
    """A table-of-contents or index line: a title, dot leaders, a page number."""
    return bool(CONTENTS.search(clean(text)))


def _roman(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total or None


def _heading_like(rest: str) -> bool:
    return (
        0 < len(rest) <= HEADING_CHARS
        and rest[0].isupper()
        and rest[-1] not in ".;,"
        and len(rest.split()) <= 12
    )


def _short(rest: str, toc: dict[str, str], number: str) -> str:
    """The heading of a section line: the contents' heading when the line starts with it,
    else the line's text, cut at a word when it runs on into the clause."""
    known = toc.get(number)
    if known and rest.lower().startswith(known.lower()):
        return rest[: len(known)]
    run_in = _RUN_IN.match(rest)
    if run_in and _title_words(run_in.group(1)):
        return run_in.group(1)  # "Call Back. An employee called back ...": a run-in heading
    if _sentence(rest):
        return ""  # "1.1.1 An employee who ...": a numbered paragraph, its parent's heading
    if len(rest) <= HEADING_CHARS:
        return rest.rstrip(":")
    return rest[:60].rsplit(" ", 1)[0] + "…"


# a heading, a period, then a sentence ("Call Back. An employee ..."; not "Svcs. & Tech.")
_RUN_IN = re.compile(r"^([^.]{2,50})\.\s+[A-Z][a-z]*\s+(?:[A-Z][a-z]+\s+)?[a-z]")
_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def _sentence(text: str) -> bool:
    """A numbered paragraph that starts its clause at once ("An employee who believes ..."):
    more than six words, a lowercase word other than a small word among the first three."""
    words = text.split()
    lower = [w for w in words[:3] if w[0].islower() and w.lower() not in _SMALL_WORDS]
    return len(words) > 6 and len(lower) >= 1


def _title_words(text: str) -> bool:
    """A heading's words are capitalized (small words aside): "Out of Class Pay" is one,
    "The County shall" is the start of a sentence."""
    words = text.split()
    return (
        0 < len(words) <= 6
        and all(w[0].isupper() or w.lower() in _SMALL_WORDS or not w[0].isalpha() for w in words)
        and words[0][0].isupper()
    )


def contents_lines(lines: list[str]) -> list[bool]:
    """Which lines belong to a table of contents or index: dot-leader lines, and a line an
    entry wraps from (its next line has the leaders but no number of its own)."""
    flags = [is_contents(t) for t in lines]
    for i in range(len(lines) - 1):
        nxt = clean(lines[i + 1])
        if flags[i + 1] and not flags[i] and nxt and not nxt[0].isdigit():
            flags[i] = bool(DOTTED.match(clean(lines[i])))
    return flags


def contents_headings(lines: list[str]) -> dict[str, str]:
    """Number -> heading from the table of contents' dotted lines ("9.8 Bilingual Pay ....29")."""
    out: dict[str, str] = {}
    for raw in lines:
        if not is_contents(raw):
            continue
        m = DOTTED.match(CONTENTS.sub("", clean(raw)).strip())
        if m and m.group(2):
            out.setdefault(m.group(1), m.group(2).strip(" .-"))
    return out


@dataclass
class _State:
    article: int | None = None
    article_label: str | None = None
    dotted: tuple[int, ...] | None = None
    dotted_style: bool = False
    item: int = 0
    item_number: str | None = None
    letter: str | None = None


def _parts(number: str) -> tuple[int, ...] | None:
    bits = number.split(".")
    if any(len(b) > 1 and b.startswith("0") for b in bits):
        return None
    return tuple(int(b) for b in bits)


class _Finder:
    """Reads lines in order and says which start a section (number, heading, depth)."""

    def __init__(self, toc: dict[str, str]):
        self.toc = toc
        self.s = _State()

    def heading(self, raw: str, contents: bool) -> tuple[str, str, int] | None:
        if contents:
            return None
        text = clean(raw)
        if not text:
            return None
        for rule in (self._article, self._appendix, self._dotted, self._section, self._item):
            found = rule(text)
            if found:
                return found
        return self._letter(text)

    def _start_article(self, n: int | None, label: str) -> None:
        self.s.article, self.s.article_label, self.s.dotted = n, label, None
        self.s.item, self.s.item_number, self.s.letter = 0, None, None

    def _article(self, text: str) -> tuple[str, str, int] | None:
        m = ARTICLE.match(text)
        if not m or (m.group(2) and not _heading_like(m.group(2).strip(" .-"))):
            return None
        label = f"Article {m.group(1)}"
        self._start_article(_roman(m.group(1)), label)
        return label, m.group(2).strip(" .-"), 0

    def _appendix(self, text: str) -> tuple[str, str, int] | None:
        m = APPENDIX.match(text)
        if not m or (m.group(3) and not _heading_like(m.group(3))):
            return None
        label = f"{m.group(1).title()} {m.group(2)}"
        self._start_article(None, label)
        return label, m.group(3).strip(" .-"), 0

    def _dotted(self, text: str) -> tuple[str, str, int] | None:
        m = DOTTED.match(text)
        if not m:
            return None
        parts = _parts(m.group(1))
        if parts is None or (self.s.dotted is not None and parts <= self.s.dotted):
            return None
        art = self.s.article
        if art is not None and parts[0] not in (art, art + 1):
            return None
        rest = (m.group(2) or "").strip()
        if rest and not rest[0].isalpha() and not DOTTED.match(rest):
            return None  # "2.5 hours" or a number in a table, not a heading
        if art is not None and parts[0] == art + 1:
            self._start_article(art + 1, f"Article {art + 1}")
        self.s.dotted, self.s.dotted_style = parts, True
        deeper = DOTTED.match(rest)
        if deeper and deeper.group(1).startswith(m.group(1) + "."):
            # "13.5 13.5.1 Holidays - ...": the section's heading is in the contents
            rest = self.toc.get(m.group(1)) or ""
        return m.group(1), _short(rest, self.toc, m.group(1)), len(parts) - 1

    def _section(self, text: str) -> tuple[str, str, int] | None:
        m = SECTION_WORD.match(text)
        if not m:
            return None
        rest = m.group(2).strip(" .-")
        parts = _parts(m.group(1))
        if parts is None or (rest and not _heading_like(rest[:HEADING_CHARS])):
            return None
        if self.s.dotted is not None and parts <= self.s.dotted:
            return None
        self.s.dotted = parts
        return f"Section {m.group(1)}", _short(rest, self.toc, m.group(1)), len(parts)

    def _item(self, text: str) -> tuple[str, str, int] | None:
        m = ITEM.match(text)
        if not m or self.s.article is None or self.s.dotted_style:
            return None
        n, rest = int(m.group(1)), m.group(2).strip()
        if n <= self.s.item or not _heading_like(rest):
            return None
        self.s.item, self.s.letter = n, None
        self.s.item_number = f"{self.s.article}.{n}"
        return self.s.item_number, rest.rstrip(":"), 1

    def _letter(self, text: str) -> tuple[str, str, int] | None:
        m = LETTER.match(text)
        if not m or self.s.item_number is None:
            return None
        letter, rest = m.group(1), m.group(2).strip()
        expected = "A" if self.s.letter is None else chr(ord(self.s.letter) + 1)
        if letter != expected or not _heading_like(rest):
            return None
        self.s.letter = letter
        return f"{self.s.item_number}.{letter}", rest.rstrip(":"), 2


def outline(lines: list[str], first_line_no: int = 1) -> list[Section]:
    """The sections of a document whose lines are `lines` (numbered from `first_line_no`),
    in order, each with the lines it spans (its subsections included)."""
    finder = _Finder(contents_headings(lines))
    starts: list[tuple[str, str, int, int, str | None]] = []
    contents = contents_lines(lines)
    article = None
    for i, raw in enumerate(lines):
        found = finder.heading(raw, contents[i])
        if not found:
            continue
        number, heading, depth = found
        label = finder.s.article_label
        if label != article and depth > 0 and label and label.startswith("Article"):
            # "14.1" after Article 13 starts Article 14, whose heading line the text lost
            starts.append((label, "", 0, first_line_no + i, label))
        article = label
        starts.append((number, heading, depth, first_line_no + i, label))
    last = first_line_no + len(lines) - 1
    out: list[Section] = []
    for k, (number, heading, depth, line, article) in enumerate(starts):
        if not heading:  # a paragraph without a heading of its own reads under its parent's
            parent = next((s for s in reversed(out) if s.depth < depth), None)
            heading = parent.heading if parent else ""
        end = last
        for later in starts[k + 1 :]:
            if later[2] <= depth:
                end = later[3] - 1
                break
        out.append(Section(number, heading, line, end, depth, article))
    return out


def innermost(sections: list[Section], n_lines: int, first_line_no: int = 1) -> list[int | None]:
    """For each line, the index in `sections` of the deepest section holding it (None before
    the first heading)."""
    owner: list[int | None] = [None] * n_lines
    for k, sec in enumerate(sections):  # in order: a later (deeper or next) section overrides
        for line in range(sec.first_line, sec.last_line + 1):
            owner[line - first_line_no] = k
    return owner
