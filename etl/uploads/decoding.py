"""The one decoder of uploaded text: every CSV upload (survey templates, rosters, salary
tables: etl/uploads/csv_file.py) and every State Controller export (streamed to a UTF-8 file
for DuckDB: etl/gcc/archive.py) is decoded here, by one rule applied LINE BY LINE, because a
file can mix encodings (a row pasted from a Windows-1252 export into a UTF-8 one) and a
per-file decision then garbles one side without saying so ("City of CaÃ±ada").

A line ends at \\n, \\r\\n or \\r (as Python's universal newlines and the csv module count
lines, so a line number here is the csv reader's `line_num`). For each line:

- it is valid UTF-8: UTF-8 (an ASCII line is both, and counts as UTF-8);
- it is not, and holds no valid multi-byte UTF-8 sequence: Windows-1252 (Excel's plain
  "CSV (Comma delimited)", the State Controller's own encoding);
- it is not, yet holds a valid multi-byte UTF-8 sequence too: it cannot be read either way
  without garbling part of it. It is decoded as UTF-8 with its stray bytes kept as lone
  surrogates U+DC80..U+DCFF (Python's 'surrogateescape') and listed in `LineReport.mixed`;
  callers refuse it, naming the row (csv_file) or the line (gcc).

A UTF-8 byte-order mark at the start is dropped (`_BOMS`: the one place another BOM, e.g.
UTF-16 for text uploads, would be recognized). The five bytes Windows-1252 leaves undefined
(0x81, 0x8D, 0x8F, 0x90, 0x9D) are kept as surrogates with `undefined="escape"` (uploads refuse
them by cell), or read as the C1 control characters Windows shows with `undefined="latin1"`
(the State Controller path, which accepts them).

A file's `encoding` is UTF8 when no line is Windows-1252, CP1252 when no line holds UTF-8
text beyond ASCII, else MIXED; `LineReport.cp1252` lists the Windows-1252 lines so the import
summary can say which rows were read so.

Cost: a block of lines that is valid UTF-8 is checked by one C decode; only the lines around a
decoding error are handled one by one (the decode resumes after each such line), so a file
that is UTF-8 but for a few rows costs about what a UTF-8 file does. `LineDecoder` does the
same over a stream in bounded memory (one chunk plus the line it ends inside).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

UTF8 = "utf-8"
CP1252 = "windows-1252"
MIXED = "utf-8 + windows-1252"  # some lines UTF-8 text, some Windows-1252

# Byte-order marks recognized at the start of a file -> the encoding they announce.
_BOMS = {b"\xef\xbb\xbf": UTF8}

# A valid multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, up to U+10FFFF).
UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

# A line longer than this without a line end is decided in pieces of this size (no CSV has
# such lines; the State Controller reader refuses lines over 4 MB anyway).
MAX_CARRY = 16 * 1024**2


def _c1_as_latin1(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler: a byte Windows-1252 leaves undefined becomes its Latin-1 char."""
    return "".join(chr(b) for b in err.object[err.start : err.end]), err.end


codecs.register_error("cp1252_undefined_as_c1", _c1_as_latin1)
_UNDEFINED = {"escape": "surrogateescape", "latin1": "cp1252_undefined_as_c1"}


@dataclass
class LineReport:
    """What the decoder decided, line by line. `cp1252` and `mixed` hold the first `keep`
    line numbers (1-based; all of them when `keep` is None), the counts all of them."""

    keep: int | None = None
    terminators: int = 0  # line ends seen
    tail: bool = False  # the text ends in a line without a line end
    utf8_text: bool = False  # a UTF-8 line held a character beyond ASCII
    cp1252: list[int] = field(default_factory=list)
    cp1252_count: int = 0
    mixed: list[int] = field(default_factory=list)
    mixed_count: int = 0

    @property
    def lines(self) -> int:
        return self.terminators + self.tail

    @property
    def encoding(self) -> str:
        if not self.cp1252_count:
            return UTF8
        return MIXED if self.utf8_text else CP1252

    def _add(self, which: list[int], line_no: int) -> None:
        if self.keep is None or len(which) < self.keep:
            which.append(line_no)


def _crs(b: bytes, start: int, end: int) -> tuple[int, int, int]:
    """(LFs, CRs, CRLFs) in b[start:end] (numpy: bytes.count of b"\r\n" is six times slower,
    and every block of a stream is counted)."""
    if end - start < 65536:  # numpy's call costs more than counting a short stretch
        cr = b.count(b"\r", start, end)
        return b.count(b"\n", start, end), cr, b.count(b"\r\n", start, end) if cr else 0
    a = np.frombuffer(b, np.uint8, count=end - start, offset=start)
    lf = int(np.count_nonzero(a == 10))
    cr = np.flatnonzero(a == 13)
    if not len(cr):
        return lf, 0, 0
    after = cr[cr < len(a) - 1] + 1
    return lf, len(cr), int(np.count_nonzero(a[after] == 10))


def _terminators(b: bytes, start: int = 0, end: int | None = None) -> int:
    """Line ends in b[start:end]: an LF, a CR and a CRLF are one each."""
    lf, cr, crlf = _crs(b, start, len(b) if end is None else end)
    return lf + cr - crlf


def _line_end(buf: bytes, at: int, end: int) -> int:
    """The offset just past the line end of the line holding offset `at` (`end` when none)."""
    ends = [i for i in (buf.find(b"\n", at, end), buf.find(b"\r", at, end)) if i >= 0]
    if not ends:
        return end
    i = min(ends)
    return i + 2 if buf[i : i + 2] == b"\r\n" and i + 1 < end else i + 1


def _line_start(buf: bytes, at: int, floor: int) -> int:
    return max(buf.rfind(b"\n", floor, at), buf.rfind(b"\r", floor, at), floor - 1) + 1


# Each byte as its UTF-8 role: 'a' ASCII, 'c' continuation, 'L' lead, 'x' never valid. Every
# valid multi-byte sequence starts with 'Lc', so lines without 'Lc' hold none.
_ROLES = bytes(
    ord("a" if b < 0x80 else "c" if b < 0xC0 else "L" if 0xC2 <= b <= 0xF4 else "x")
    for b in range(256)
)
_LEAD_CONT = b"Lc"
_ASCII_TEXT = bytes(b for b in range(128) if b not in (10, 13))  # ASCII but line ends
_ASCII_TEXT_AND_CR = bytes(b for b in range(128) if b != 10)
_CR_AS_LF = bytes.maketrans(b"\r", b"\n")


def _marks(seg: bytes) -> bytes:
    """The bytes over 0x7F of `seg`, each line's end as one LF: b"\n\n\x96\n" for an ASCII
    line, another, then one holding a Windows-1252 dash."""
    lf, cr, crlf = _crs(seg, 0, len(seg))
    if cr == crlf:  # LF or CRLF line ends: each LF ends a line
        return seg.translate(None, _ASCII_TEXT_AND_CR)
    # lone CRs too: line ends made one byte before a line's ASCII is deleted, so that deleting
    # it does not join a CR and the next line's LF into one CRLF
    return seg.replace(b"\r\n", b"\n").translate(_CR_AS_LF, _ASCII_TEXT)


def _good(buf: bytes, start: int, end: int, rep: LineReport) -> str:
    """Lines known to be valid UTF-8."""
    text = str(memoryview(buf)[start:end], "utf-8")
    rep.terminators += _terminators(buf, start, end)
    if not rep.utf8_text and not text.isascii():  # O(1) on a str
        rep.utf8_text = True
    return text


def _cp1252_stretch(seg: bytes, rep: LineReport, undefined: str, marks: bytes = b"") -> str:
    """Lines holding no valid multi-byte UTF-8 sequence (no `_LEAD_CONT`): each is ASCII or
    Windows-1252, so the stretch decodes as Windows-1252 in one C call; the lines with a byte
    over 0x7F (`_marks`) are the Windows-1252 ones."""
    pieces = (marks or _marks(seg)).split(b"\n")  # one per line (the last: after the last end)
    found = len(pieces) - pieces.count(b"")
    if found:
        rep.cp1252_count += found
        if rep.keep is None or len(rep.cp1252) < rep.keep:
            for i, piece in enumerate(pieces):
                if piece:
                    rep._add(rep.cp1252, rep.terminators + i + 1)
                    if rep.keep is not None and len(rep.cp1252) >= rep.keep:
                        break
    rep.terminators += len(pieces) - 1
    return seg.decode("windows-1252", _UNDEFINED[undefined])


def _odd_line(line: bytes, rep: LineReport, undefined: str) -> str:
    """A line that is not valid UTF-8: Windows-1252, or mixed (module docstring)."""
    line_no = rep.terminators + 1
    if UTF8_MULTI.search(line):
        rep.mixed_count += 1
        rep._add(rep.mixed, line_no)
        text = line.decode("utf-8", "surrogateescape")
    else:
        rep.cp1252_count += 1
        rep._add(rep.cp1252, line_no)
        text = line.decode("windows-1252", _UNDEFINED[undefined])
    rep.terminators += _terminators(line)
    return text


def decode_parts(
    buf: bytes, rep: LineReport, undefined: str = "escape", start: int = 0, end: int | None = None
) -> list[str]:
    """Whole lines of a file, `buf[start:end]` (the last may lack its line end), decided line
    by line, as consecutive pieces of text; `rep` collects the decisions, its line numbers
    continuing from the lines it has seen. The bounds spare a streaming caller copying.

    In C-speed pieces: the block is tried as UTF-8. At its first error, the lines before it
    are UTF-8; if from the line holding it on no two bytes over 0x7F even follow each other as
    a UTF-8 lead and continuation byte do (looked for in `_marks`, a few bytes a line), the rest
    is Windows-1252 or ASCII lines (one decode: a whole Windows-1252 file goes so). Else, from
    `pos`: the rest is tried as UTF-8; at its error, the lines before it are UTF-8; from the
    line holding it, the lines up to the next that could hold a UTF-8 sequence (`_LEAD_CONT`)
    are Windows-1252 or ASCII, and a line that could is decided alone (`_odd_line`). Every
    byte is looked at a bounded number of times."""
    n = len(buf) if end is None else end
    pos, parts, roles = start, [], b""
    while pos < n:
        try:
            text = str(memoryview(buf)[pos:n], "utf-8")
        except UnicodeDecodeError as exc:
            err = pos + exc.start
        else:
            parts.append(text)
            rep.terminators += _terminators(buf, pos, n)
            if not rep.utf8_text and not text.isascii():
                rep.utf8_text = True
            break
        first = _line_start(buf, err, pos)
        if first > pos:
            parts.append(_good(buf, pos, first, rep))
        if not roles and not rep.utf8_text:  # no UTF-8 text yet: likely Windows-1252 throughout
            seg = buf[first:n]
            marks = _marks(seg)
            if _LEAD_CONT not in marks.translate(_ROLES):
                parts.append(_cp1252_stretch(seg, rep, undefined, marks))
                break
        roles = roles or buf.translate(_ROLES)
        j = roles.find(_LEAD_CONT, first, n)
        stop = n if j < 0 else _line_start(buf, j, first)
        if stop > first:
            parts.append(_cp1252_stretch(buf[first:stop], rep, undefined))
            pos = stop
        else:
            pos = _line_end(buf, err, n)
            parts.append(_odd_line(buf[first:pos], rep, undefined))
    return parts


def decode_block(
    buf: bytes, rep: LineReport, undefined: str = "escape", start: int = 0, end: int | None = None
) -> str:
    """`decode_parts` as one text."""
    parts = decode_parts(buf, rep, undefined, start, end)
    return parts[0] if len(parts) == 1 else "".join(parts)


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    """(the bytes after a byte-order mark, the encoding it announces), or (data, None)."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            return data[len(bom) :], encoding
    return data, None


@dataclass(frozen=True)
class Decoded:
    """A whole file decoded: its text (stray bytes as surrogates) and the line decisions."""

    text: str
    report: LineReport

    @property
    def encoding(self) -> str:
        return self.report.encoding


def decode_bytes(data: bytes, undefined: str = "escape") -> Decoded:
    """A whole file (an upload, at most the upload limit) by the line rule above."""
    body, _bom = strip_bom(data)
    rep = LineReport()
    text = decode_block(body, rep, undefined)
    rep.tail = bool(body) and not body.endswith((b"\n", b"\r"))
    return Decoded(text, rep)


class LineDecoder:
    """The same rule over a stream of chunks, in bounded memory: `feed` each chunk in order,
    then `finish`; the UTF-8 bytes of each run of completed lines go to `write` as they are
    decided (a run that is valid UTF-8 as a view of the chunk, not copied or re-encoded;
    `write=None` only decides). Mixed lines are written with their stray bytes as they were
    (`report.mixed` lists them; the caller refuses the file)."""

    def __init__(
        self,
        undefined: str = "latin1",
        keep: int | None = 10,
        write: Callable[[bytes | memoryview], object] | None = None,
    ) -> None:
        self.report = LineReport(keep=keep)
        self._undefined = undefined
        self._write = write
        self._carry = b""
        self._started = False
        self._open_line = False

    def _block(self, buf: bytes, start: int, end: int) -> None:
        if end <= start:
            return
        self._open_line = buf[end - 1] not in (10, 13)  # the last byte so far ends no line
        before = self.report.cp1252_count + self.report.mixed_count
        parts = decode_parts(buf, self.report, self._undefined, start, end)
        if self._write is None:
            return
        if self.report.cp1252_count + self.report.mixed_count == before:
            self._write(memoryview(buf)[start:end])  # valid UTF-8 as it is
        else:
            for text in parts:
                self._write(text.encode("utf-8", "surrogateescape"))

    def feed(self, chunk: bytes) -> None:
        if not self._started:
            data = self._carry + chunk
            if len(data) < 4 and chunk:
                self._carry = data  # too short to tell a byte-order mark yet
                return
            chunk, _bom = strip_bom(data)
            self._carry, self._started = b"", True
        last = chunk.rfind(b"\n")
        if last < 0:  # no line ends here: the line goes on (in pieces when very long)
            self._carry += chunk
            if len(self._carry) > MAX_CARRY:
                data, self._carry = self._carry, b""
                cut = data.rfind(b"\r", 0, len(data) - 1) + 1 or len(data)
                self._block(data, 0, cut)
                self._carry = data[cut:]
            return
        begin = 0
        if self._carry:  # the line the last chunk ended inside, completed
            first = chunk.find(b"\n") + 1
            head = self._carry + chunk[:first]
            self._block(head, 0, len(head))
            begin = first
        self._block(chunk, begin, last + 1)
        self._carry = chunk[last + 1 :]

    def finish(self) -> None:
        rest, self._carry = self._carry, b""
        if not self._started:
            rest, _bom = strip_bom(rest)
            self._started = True
        self._block(rest, 0, len(rest))
        self.report.tail = self._open_line
