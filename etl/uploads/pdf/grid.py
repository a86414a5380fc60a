"""A PDF's lines of text laid into the columns of its table (etl/uploads/pdf/pages.py).

1. **Phrases.** Words of a line closer than about half a character's height are one phrase
   ("OFFICE ASSISTANT II"); a wider gap separates cells.
2. **The header** is the line (or two lines stacked closely: "Class" over "Code") among the
   first lines of the file whose phrases name the most columns, as etl/schedule_import/headers
   scores a spreadsheet's rows. In a stacked header a label over several columns ("Monthly
   Steps" over "1 2 3 4 5") gives them its pay period ("Monthly 1" ...). The header printed
   again on later pages starts a new block with the same columns; a header with other columns
   (a section with more steps) adds its new columns at the end.
3. **Columns.** Below each header, the boundary between two neighbouring columns is where the
   fewest phrases of the block's lines cross, between the two headers' middles (the widest
   such gap): a long title runs past its header, a right-aligned amount starts left of its.
4. **Rows.** Each phrase goes to the column it overlaps most. A line that is not a row of the
   table is kept as one cell of text, so the reader skips it as a note or heading (or reads an
   effective date from it): the lines above a page's header (title block), text printed on
   most pages (a footer, the title repeated: "Page # of 40"), the last lines of a page set
   apart by a gap, and a line with a phrase across a column boundary and no amount in it (a
   centered heading "Effective July 1, 2025"). A line of one phrase set tight below a row and
   starting where that row's title starts is the rest of that title (a title wrapped in its
   cell), joined to it.

The running line numbers count every line of text of the file, page after page; `places`
gives each one's page and row on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from etl.schedule_import import headers
from etl.uploads.pdf.lines import Line
from etl.uploads.table import Table, make_table, render_row

HEADER_SCAN_LINES = 80
PHRASE_GAP = 0.45  # of the line's height: words closer than this are one phrase
STACK_GAP = 0.8  # of the line's height: a header line this close below another continues it
WRAP_GAP = 0.3  # a line this close below a row, at its title's left edge, continues the title
FOOTER_GAP = 2.0  # of the block's line pitch: trailing lines this far below are the footer
RECURRING_SHARE = 0.3  # text on this share of the pages (and on three) is the page's furniture
_MONEY = re.compile(r"^\(?\$?\s?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{2})?|[0-9]+\.[0-9]{2})\)?$")
_DOLLARS = re.compile(r"^\$[0-9][0-9,]*(?:\.[0-9]{2})?$")


@dataclass
class Phrase:
    text: str
    x0: float
    x1: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


def phrases(line: Line) -> list[Phrase]:
    out: list[Phrase] = []
    gap = PHRASE_GAP * line.height
    for w in line.words:
        if out and w.x0 - out[-1].x1 <= gap:
            out[-1] = Phrase(f"{out[-1].text} {w.text}", out[-1].x0, max(out[-1].x1, w.x1))
        else:
            out.append(Phrase(w.text, w.x0, w.x1))
    return out


def is_money(text: str) -> bool:
    return any(_MONEY.match(t) or _DOLLARS.match(t) for t in text.split())


def _overlap(a: Phrase, b: Phrase) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


# The header --------------------------------------------------------------------------------------


@dataclass
class Header:
    columns: list[Phrase]  # the header's cells, left to right
    lines: tuple[int, ...]  # indexes (into the file's lines) of the line or two lines it takes

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(headers.normalize(c.text) for c in self.columns)


def stack(top: list[Phrase], bottom: list[Phrase]) -> list[Phrase]:
    """A header over two lines as one: a top phrase over one bottom phrase prefixes it ("Class"
    over "Code"), one over none is a column of its own, one over several gives them its pay
    period ("Monthly Steps" over "1 2 3")."""
    cols = [Phrase(b.text, b.x0, b.x1) for b in bottom]
    for t in top:
        under = [k for k, b in enumerate(bottom) if _overlap(t, b) > 0]
        if len(under) == 1:
            c = cols[under[0]]
            cols[under[0]] = Phrase(f"{t.text} {c.text}", min(c.x0, t.x0), max(c.x1, t.x1))
        elif not under:
            cols.append(Phrase(t.text, t.x0, t.x1))
        else:
            period = headers.period_of(t.text)
            for k in _step_run(bottom, under):
                c = cols[k]
                if period and headers.period_of(c.text) is None:
                    bare = not headers.normalize(c.text).startswith("step")
                    step = "Step " if bare and headers.step_column(c.text) else ""
                    cols[k] = Phrase(f"{period.capitalize()} {step}{c.text}", c.x0, c.x1)
    return sorted(cols, key=lambda c: c.x0)


def _step_run(bottom: list[Phrase], under: list[int]) -> list[int]:
    """A label over step columns ("Monthly Salary by Step" over A ... E) labels the whole run of
    step columns it sits over, though its words cover only the middle ones."""
    is_step = [headers.step_column(b.text) is not None for b in bottom]
    if not all(is_step[k] for k in under):
        return under
    lo, hi = min(under), max(under)
    while lo > 0 and is_step[lo - 1]:
        lo -= 1
    while hi + 1 < len(bottom) and is_step[hi + 1]:
        hi += 1
    return list(range(lo, hi + 1))


def _candidates(lines: list[Line], k: int, split: list[list[Phrase]]):
    """The header a line could be: alone, or under the line above it."""
    yield [k], split[k]
    if k > 0 and lines[k - 1].page == lines[k].page:
        above = lines[k - 1]
        if lines[k].top - above.bottom <= STACK_GAP * lines[k].height:
            yield [k - 1, k], stack(split[k - 1], split[k])


def find_header(lines: list[Line], split: list[list[Phrase]], mapped) -> Header | None:
    """The line (or two) naming the most columns; of a line alone and stacked under the line
    above, the stack when it names as many (it may add a word: "Class" to "Code")."""
    best, found = 1, None
    for k in range(min(len(lines), HEADER_SCAN_LINES)):
        if any(is_money(p.text) for p in split[k]):
            continue
        here, top = None, 0
        for idx, cols in _candidates(lines, k, split):
            score = headers.header_score([c.text for c in cols], set(mapped))
            if len(cols) >= 2 and score >= top:
                here, top = Header(cols, tuple(idx)), score
        if here is not None and top > best:
            best, found = top, here
    return found


def _occurrences(lines, split, main: Header, mapped) -> dict[int, Header]:
    """Every line where a header is printed, by its (last) line: the main header again, or
    another header that names as many columns."""
    want = max(3, headers.header_score([c.text for c in main.columns], set(mapped)) - 1)
    out: dict[int, Header] = {}
    for k in range(len(lines)):
        if any(is_money(p.text) for p in split[k]):
            continue  # a header holds no amounts
        cands = [Header(cols, tuple(idx)) for idx, cols in _candidates(lines, k, split)]
        same = [h for h in cands if h.names == main.names]
        if same:
            out[k] = same[-1]
            continue
        scored = [
            (headers.header_score([c.text for c in h.columns], set(mapped)), h) for h in cands
        ]
        score, h = max(scored, key=lambda sh: sh[0])
        if score >= want and len(h.columns) >= 3:
            out[k] = h
    # A line read as the top of a stacked header is not a header of its own.
    for h in list(out.values()):
        if len(h.lines) == 2:
            out.pop(h.lines[0], None)
    return out


# Column boundaries -------------------------------------------------------------------------------


def boundaries(cols: list[Phrase], body: list[list[Phrase]]) -> list[float]:
    """Between each two neighbouring header cells, the x the fewest body phrases cross (ties:
    the middle of the widest such gap)."""
    seps = []
    for left, right in zip(cols, cols[1:], strict=False):
        lo, hi = left.middle, right.middle
        spans = [p for line in body for p in line if p.x1 > lo and p.x0 < hi]
        points = sorted({lo, hi, *(min(max(x, lo), hi) for p in spans for x in (p.x0, p.x1))})
        best = None
        for a, b in zip(points, points[1:], strict=False):
            if b - a <= 0:
                continue
            mid = (a + b) / 2
            crossing = sum(1 for p in spans if p.x0 < mid < p.x1)
            key = (crossing, -(b - a))
            if best is None or key < best[0]:
                best = (key, mid)
        seps.append(best[1] if best else (left.x1 + right.x0) / 2)
    return seps


def _crosses(p: Phrase, seps: list[float]) -> bool:
    return any(p.x0 + 0.5 < s < p.x1 - 0.5 for s in seps)


def _column(p: Phrase, seps: list[float]) -> int:
    """The column a phrase overlaps most."""
    edges = [float("-inf"), *seps, float("inf")]
    best, at = -1.0, 0
    for j in range(len(edges) - 1):
        width = min(p.x1, edges[j + 1]) - max(p.x0, edges[j])
        if width > best:
            best, at = width, j
    return at


# The rows ----------------------------------------------------------------------------------------


@dataclass
class _Block:
    """The lines under one printed header, up to the next header or the end of the page."""

    header: Header
    slots: list[int]  # the file-wide column of each of the header's columns
    lines: list[int] = field(default_factory=list)
    seps: list[float] = field(default_factory=list)


def _furniture(lines: list[Line], split, header_lines: set[int]) -> set[int]:
    """Lines of text without amounts, of one or two phrases, printed (digits aside) on many
    pages: titles, footers ("Page 3 of 40")."""
    pages = {ln.page for ln in lines}
    if len(pages) < 3:
        return set()
    keys: dict[int, str] = {}
    seen: dict[str, set[int]] = {}
    for k, ln in enumerate(lines):
        if k in header_lines or len(split[k]) > 2 or is_money(ln.text):
            continue
        keys[k] = re.sub(r"[0-9]+", "#", ln.text.casefold())
        seen.setdefault(keys[k], set()).add(ln.page)
    need = max(3, RECURRING_SHARE * len(pages))
    return {k for k, key in keys.items() if len(seen[key]) >= need}


def _footers(lines: list[Line], block: list[int]) -> set[int]:
    """The last lines of a page set apart from the rows above them by a wide gap."""
    if len(block) < 4:
        return set()
    tops = [lines[k].top for k in block]
    pitch = median(b - a for a, b in zip(tops, tops[1:], strict=False))
    out: set[int] = set()
    for i in range(len(block) - 1, max(len(block) - 5, 0), -1):
        if tops[i] - tops[i - 1] > FOOTER_GAP * pitch:
            out.update(block[i:])
            break
    return out


def _slots(names: list[str], h: Header) -> list[int]:
    out = []
    for c in h.columns:
        n = headers.normalize(c.text)
        taken = [j for j, m in enumerate(names) if m == n and j not in out]
        if taken:
            out.append(taken[0])
        else:
            names.append(n)
            out.append(len(names) - 1)
    return out


def _blocks(lines, split, main: Header, found: dict[int, Header], texts: list[str]):
    names: list[str] = []
    _slots(names, main)
    for h in found.values():
        for c, j in zip(h.columns, _slots(names, h), strict=True):
            while len(texts) <= j:
                texts.append("")
            texts[j] = texts[j] or c.text
    blocks: dict[int, _Block] = {}  # line -> the block it belongs to
    current: _Block | None = None
    for k in range(len(lines)):
        if k in found:
            current = _Block(found[k], _slots(list(names), found[k]))
            continue
        if current is None or any(k in h.lines for h in found.values()):
            continue
        current.lines.append(k)  # a page without a header of its own continues the block
        blocks[k] = current
    return blocks


def table(file_name: str, lines: list[Line], mapped=frozenset()) -> Table:
    """The lines of a PDF as one table read without a header (the reader finds it)."""
    split = [phrases(ln) for ln in lines]
    main = find_header(lines, split, mapped)
    places = {k + 1: (ln.page, ln.row) for k, ln in enumerate(lines)}
    if main is None:  # every line one cell: the reader says no header was found
        numbered = [(k + 1, [ln.text]) for k, ln in enumerate(lines)]
        t = make_table(file_name, None, numbered, None, None, [])
        return _with_text(t, numbered, places)
    found = _occurrences(lines, split, main, mapped)
    texts = [c.text for c in main.columns]
    blocks = _blocks(lines, split, main, found, texts)
    for b in {id(b): b for b in blocks.values()}.values():
        if not b.seps:
            b.seps = boundaries(b.header.columns, [split[k] for k in b.lines])
    header_lines = {k for h in found.values() for k in h.lines}
    plain = _furniture(lines, split, header_lines) | _page_footers(lines, blocks)
    numbered = _rows(lines, split, found, blocks, plain, texts)
    rows = [(n, cells) for n, cells, _ in numbered if cells is not None]
    t = make_table(file_name, None, rows, None, None, [])
    return _with_text(t, [(n, shown) for n, _, shown in numbered], places)


def _page_footers(lines, blocks: dict[int, _Block]) -> set[int]:
    by_page: dict[tuple[int, int], list[int]] = {}
    for k, b in blocks.items():
        by_page.setdefault((id(b), lines[k].page), []).append(k)
    out: set[int] = set()
    for ks in by_page.values():
        out |= _footers(lines, sorted(ks))
    return out


def _rows(lines, split, found, blocks, plain: set[int], texts: list[str]):
    """(line, cells, the line's text as shown) of every line; a wrapped title's second line
    is joined to its row (its cells None: not a row of its own, but still a line of text)."""
    out: list[tuple[int, list, str]] = []
    title_at: dict[int, float] = {}  # out index -> x where the row's title cell starts
    for k, ln in enumerate(lines):
        n = k + 1
        if k in found:
            h = found[k]
            cells = [""] * len(texts)
            for c, j in zip(h.columns, _slots(list(map(headers.normalize, texts)), h), strict=True):
                cells[j] = c.text
            out.append((n, cells, render_row(cells)))
            continue
        b = blocks.get(k)
        if b is None or k in plain or (_spans(split[k], b.seps) and not is_money(ln.text)):
            out.append((n, [ln.text], ln.text))
            continue
        if out and _wraps(lines, split, k, out, title_at, b):
            cells = out[-1][1]
            j = _title_slot(b, texts)
            cells[j] = f"{cells[j]} {ln.text}"
            out.append((n, None, ln.text))
            continue
        cells = [""] * len(texts)
        starts: dict[int, float] = {}
        for p in split[k]:
            j = b.slots[_column(p, b.seps)]
            cells[j] = f"{cells[j]} {p.text}".strip()
            starts.setdefault(j, p.x0)
        shown = render_row(cells)
        out.append((n, cells, shown))
        j = _title_slot(b, texts)
        if j is not None and j in starts:
            title_at[len(out) - 1] = starts[j]
    return out


def _spans(ps: list[Phrase], seps: list[float]) -> bool:
    return any(_crosses(p, seps) for p in ps)


def _title_slot(b: _Block, texts: list[str]) -> int | None:
    for c, j in zip(b.header.columns, b.slots, strict=True):
        got = headers.field_of(c.text)
        if got and got[0] == "class_title":
            return j
    return None


def _wraps(lines, split, k: int, out, title_at, b: _Block) -> bool:
    ps = split[k]
    if len(ps) != 1 or is_money(ps[0].text) or (len(out) - 1) not in title_at:
        return False
    prev = lines[k - 1]
    if prev.page != lines[k].page or out[-1][0] != k:
        return False
    tight = lines[k].top - prev.bottom <= WRAP_GAP * lines[k].height
    return tight and abs(ps[0].x0 - title_at[len(out) - 1]) <= 2.0


def _with_text(t: Table, shown: list[tuple[int, str]], places) -> Table:
    from dataclasses import replace

    last = max((n for n, _ in shown), default=0)
    text = [""] * last
    for n, s in shown:
        text[n - 1] = s
    return replace(t, places=places, text_lines=text)
