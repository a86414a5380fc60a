"""What one PDF upload may make the reader do, enforced while pdfminer (under pdfplumber) reads
it (etl/uploads/pdf/pages.py): a PDF is compressed, and ten megabytes of it can inflate to gigabytes
(a "PDF bomb"), claim a page the size of a field, or hold millions of characters on a page.

- Every stream pdfminer decompresses (Flate, LZW, run-length) draws on one budget per read,
  `MAX_PDF_UNPACKED_BYTES`; decompression stops as soon as the budget is spent, so memory
  never holds more than the budget (pdfminer calls `zlib.decompress` on whole streams: its
  module's `zlib`, `lzwdecode` and `rldecode` are replaced by bounded equivalents, which act
  as the originals when no budget is set, i.e. outside `budget()`).
- The characters a page's content would draw are counted from its content streams (the bytes
  of its text strings, form XObjects times the times they are drawn) before the page is laid
  out, against `MAX_PDF_PAGE_CHARS` and `MAX_PDF_CHARS`.
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from etl import defaults

CHUNK = 1 << 20


class Exceeded(Exception):
    """The PDF asked for more than a limit allows; the message says which."""


_local = threading.local()


@contextmanager
def budget(limit: int | None = None) -> Iterator[None]:
    """Decompression inside the block draws on `limit` bytes (default MAX_PDF_UNPACKED_BYTES)."""
    _local.left = defaults.MAX_PDF_UNPACKED_BYTES if limit is None else limit
    try:
        yield
    finally:
        _local.left = None


def _spend(n: int) -> None:
    left = getattr(_local, "left", None)
    if left is None:
        return
    left -= n
    _local.left = left
    if left < 0:
        mb = defaults.MAX_PDF_UNPACKED_BYTES // (1024 * 1024)
        raise Exceeded(
            f"the PDF's contents unpack to more than {mb} MB (a compressed 'PDF bomb', or a "
            "scan at a very high resolution); a salary schedule is far smaller: print it to a "
            "new PDF, or save the table as CSV or XLSX"
        )


def _bounded() -> bool:
    return getattr(_local, "left", None) is not None


class _Inflater:
    """zlib.decompressobj with every byte it returns counted."""

    def __init__(self, *args, **kwargs):
        self._d = zlib.decompressobj(*args, **kwargs)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        if not _bounded():
            return self._d.decompress(data, max_length)
        out = bytearray()
        chunk = self._d.decompress(data, CHUNK)
        while True:
            _spend(len(chunk))
            out += chunk
            if not self._d.unconsumed_tail:
                return bytes(out)
            chunk = self._d.decompress(self._d.unconsumed_tail, CHUNK)

    def flush(self, *args) -> bytes:
        out = self._d.flush(*args)
        _spend(len(out))
        return out

    def __getattr__(self, name: str):
        return getattr(self._d, name)


class _BoundedZlib:
    """Stands in for the `zlib` module inside pdfminer.pdftypes."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        if not _bounded():
            return zlib.decompress(data, *args)
        d = _Inflater(*args[1:2]) if len(args) > 1 else _Inflater()
        out = d.decompress(data)
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args, **kwargs) -> _Inflater:
        return _Inflater(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def _lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    for piece in LZWDecoder(BytesIO(data)).run():
        _spend(len(piece))
        out += piece
    return bytes(out)


def _rldecode(data: bytes) -> bytes:
    """Run-length decoding (PDF 32000-1 7.4.5), counted as it goes."""
    out = bytearray()
    i = 0
    while i < len(data):
        n = data[i]
        if n == 128:
            break
        if n < 128:
            piece = data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            piece = data[i + 1 : i + 2] * (257 - n)
            i += 2
        _spend(len(piece))
        out += piece
    return bytes(out)


def install() -> None:
    """Put the bounded decoders into pdfminer (once; harmless outside `budget()`)."""
    from pdfminer import pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib()
        pdftypes.lzwdecode = _lzwdecode
        pdftypes.rldecode = _rldecode


# Characters a page would draw --------------------------------------------------------------------

_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>(?!>)", re.S)
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")


def _stream_text_bytes(data: bytes) -> int:
    """Bytes of the text strings of a content stream: at least the glyphs it can draw."""
    total = 0
    for m in _STRING.finditer(data):
        s = m.group()
        total += len(s) - 2 if s[:1] == b"(" else len(re.sub(rb"\s", b"", s[1:-1])) // 2
    return total


def page_chars(page_obj, depth: int = 0) -> int:
    """An upper bound on the characters a page (a pdfminer PDFPage, or a form XObject's
    resources and stream) draws: its strings' bytes, plus each form it draws times the number
    of times it draws it (forms inside forms, three deep)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import LIT

    contents = page_obj.contents if hasattr(page_obj, "contents") else [page_obj]
    data = b"".join(resolve1(c).get_data() for c in contents if resolve1(c) is not None)
    total = _stream_text_bytes(data)
    if depth >= 3:
        return total
    resources = resolve1(getattr(page_obj, "resources", None) or {}) or {}
    if not isinstance(resources, dict):
        return total
    forms = resolve1(resources.get("XObject")) or {}
    if not isinstance(forms, dict):
        return total
    for name, times in _counts(_DO.findall(data)).items():
        form = resolve1(forms.get(name.decode("latin-1")))
        if resolve1(getattr(form, "attrs", {}).get("Subtype")) is not LIT("Form"):
            continue
        total += times * _form_chars(form, depth + 1)
        if total > defaults.MAX_PDF_PAGE_CHARS:
            return total
    return total


class _Form:
    def __init__(self, stream):
        self.contents = [stream]
        self.resources = stream.attrs.get("Resources")


def _form_chars(form, depth: int) -> int:
    return page_chars(_Form(form), depth)


def _counts(names: list[bytes]) -> dict[bytes, int]:
    out: dict[bytes, int] = {}
    for n in names:
        out[n] = out.get(n, 0) + 1
    return out
