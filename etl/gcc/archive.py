"""Getting the CSV out of a GCC download safely: a ZIP as the State Controller publishes it
(exactly one CSV inside) or a bare CSV, as a path or as bytes.

The CSV is streamed to a temporary file in 1 MB chunks with a byte cap, never held in memory
(bytes handed in are read through a view, not copied), through the one decoder of uploads
(etl/uploads/decoding.py `LineDecoder`): each line that is valid UTF-8 is UTF-8, each line that
is not and holds no UTF-8 sequence is Windows-1252 (the State Controller's own encoding, or a
row pasted from its file into a UTF-8 one) and is written as UTF-8; a line holding both is
refused with its line number. So the file DuckDB reads is always UTF-8, decided by the same
rule as every other upload. (DuckDB's own Latin-1 reader is no help: it refuses the bytes
0x80-0x9F outright, "File is not latin-1 encoded" in DuckDB 2.0 - exactly where Windows-1252
puts "–" and "’".) The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90,
0x9D) become the control characters Latin-1 gives them. A bare CSV on disk that is UTF-8
throughout is read where it is (one checking pass, no copy).

Refused, each with one message: not a ZIP or CSV (binary, UTF-16), a ZIP with no CSV or with
several, a damaged or truncated ZIP, an encrypted member, and a ZIP bomb: a declared or actual
uncompressed size over MAX_CSV_BYTES, or a compression ratio over MAX_RATIO for a member larger
than RATIO_FLOOR_BYTES (CSV text compresses about 13:1; the real 2016 Superior Court file is
5.6 MB in 430 KB).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from etl.defaults import MAX_GCC_CSV_BYTES
from etl.errors import GccImportError
from etl.uploads.decoding import LineDecoder, LineReport
from etl.uploads.kinds import is_zip, looks_utf16

MAX_CSV_BYTES = MAX_GCC_CSV_BYTES  # 2 GiB uncompressed
MAX_RATIO = 200.0
RATIO_FLOOR_BYTES = 10 * 1024**2  # small members may compress as well as they like
CHUNK = 1024**2
SNIFF_BYTES = 64 * 1024
MAX_LISTED = 10  # lines read as Windows-1252 (or refused) listed by number

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class CsvFile:
    """The CSV to read: where it is on disk (always UTF-8), its name inside the ZIP (None for a
    bare CSV), its size as uploaded and the decoder's line decisions (`decoding.encoding`:
    'utf-8', 'windows-1252' or 'utf-8 + windows-1252'; `decoding.cp1252` the first lines
    read as Windows-1252, `decoding.lines` the file's lines)."""

    path: Path
    member: str | None
    size: int
    decoding: LineReport

    @property
    def encoding(self) -> str:
        return self.decoding.encoding


def _size(n: int) -> str:
    return f"{n / 1024**3:.0f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"


def _fail(file_name: str, message: str) -> GccImportError:
    return GccImportError(file_name, [(None, None, message)])


def _check_text_start(head: bytes, file_name: str) -> None:
    if not head.strip():
        raise _fail(file_name, "the file is empty")
    if looks_utf16(head):  # with its byte-order mark or without
        raise _fail(file_name, "the file is UTF-16 text; save it as CSV (UTF-8 or Windows-1252)")
    if b"\x00" in head:
        raise _fail(
            file_name,
            "this is not a CSV text file (binary content); upload the ZIP or the CSV from the "
            "State Controller's download",
        )


def _mixed_lines(rep: LineReport, file_name: str) -> GccImportError:
    return GccImportError(
        file_name,
        [
            (
                n,
                None,
                "bytes that are not UTF-8 beside UTF-8 characters in one line: neither UTF-8 nor "
                "Windows-1252 as a whole (reading it either way would garble part of it; line "
                "of the file)",
            )
            for n in rep.mixed
        ],
        total=rep.mixed_count,
    )


def _copy_capped(
    src: io.BufferedIOBase,
    dst_path: Path,
    file_name: str,
    expected: int,
    progress: Progress | None,
    zipped: bool = True,
) -> tuple[int, LineReport]:
    """Stream src to dst_path as UTF-8 (the line rule); (bytes read, the line decisions).
    Over MAX_CSV_BYTES is an error, as is a line neither UTF-8 nor Windows-1252."""
    read = 0
    with open(dst_path, "wb") as out:
        decoder = LineDecoder(undefined="latin1", keep=MAX_LISTED, write=out.write)
        while True:
            chunk = src.read(CHUNK)
            if not chunk:
                break
            if read == 0:
                _check_text_start(chunk[:SNIFF_BYTES], file_name)
            read += len(chunk)
            if read > MAX_CSV_BYTES:
                raise _fail(
                    file_name,
                    f"the CSV inside is larger than {_size(MAX_CSV_BYTES)} uncompressed; "
                    "refused as a possible ZIP bomb"
                    if zipped
                    else f"the CSV is larger than {_size(MAX_CSV_BYTES)}",
                )
            decoder.feed(chunk)
            if progress and expected:
                progress(0.3 * min(read / expected, 1.0), "extracting the CSV")
        decoder.finish()
    if read == 0:
        raise _fail(file_name, "the CSV is empty")
    if decoder.report.mixed_count:
        raise _mixed_lines(decoder.report, file_name)
    return read, decoder.report


def _outside(name: str) -> bool:
    """A member name that points outside the archive ('../x.csv', '/tmp/x.csv', 'C:x.csv',
    a backslash path): no export carries one, so the ZIP was made to attack an unpacker."""
    return (
        name.startswith("/")
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in PurePosixPath(name).parts
    )


def _csv_member(zf: zipfile.ZipFile, file_name: str) -> zipfile.ZipInfo:
    # the CSV is only ever written to a temporary file of our naming; a hostile name is
    # refused all the same, so no later change can unpack it where it points
    for i in zf.infolist():
        if _outside(i.filename):
            raise _fail(
                file_name,
                f"the ZIP holds a file named {i.filename[:80]!r}, a path outside the archive; "
                "refused (the State Controller's download holds one CSV at its top)",
            )
    members = [
        i
        for i in zf.infolist()
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and i.filename.lower().endswith(".csv")
    ]
    if not members:
        names = ", ".join(i.filename for i in zf.infolist()[:5]) or "nothing"
        raise _fail(file_name, f"the ZIP holds no CSV file (it holds {names})")
    if len(members) > 1:
        names = ", ".join(i.filename for i in members[:5])
        raise _fail(
            file_name,
            f"the ZIP holds {len(members)} CSV files ({names}); upload one year and employer "
            "type at a time, as the State Controller publishes them",
        )
    info = members[0]
    if info.flag_bits & 0x1:
        raise _fail(file_name, f"{info.filename} in the ZIP is encrypted")
    if info.file_size > MAX_CSV_BYTES:
        raise _fail(
            file_name,
            f"{info.filename} declares {info.file_size:,} bytes uncompressed, over the "
            f"{_size(MAX_CSV_BYTES)} limit; refused as a possible ZIP bomb",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
        raise _fail(
            file_name,
            f"{info.filename} compresses {ratio:,.0f}:1 (CSV text compresses about 13:1); "
            "refused as a possible ZIP bomb",
        )
    return info


def _extract_zip(
    source: io.BufferedIOBase, tmp: Path, file_name: str, progress: Progress | None
) -> CsvFile:
    try:
        with zipfile.ZipFile(source) as zf:
            info = _csv_member(zf, file_name)
            dst = tmp / "extracted.csv"
            with zf.open(info) as member:
                size, report = _copy_capped(member, dst, file_name, info.file_size, progress)
    except zipfile.BadZipFile as exc:
        raise _fail(file_name, f"the ZIP is damaged or truncated ({exc})") from None
    except (zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise _fail(file_name, f"the ZIP cannot be read ({exc})") from None
    return CsvFile(dst, info.filename, size, report)


def _is_zip(head: bytes, file_name: str) -> bool:
    return is_zip(head) or (file_name.lower().endswith(".zip") and head.startswith(b"PK"))


def _csv_on_disk(path: Path, tmp: Path, file_name: str, progress: Progress | None) -> CsvFile:
    """A bare CSV: read where it is when every line is UTF-8 (checked in one pass that stops
    at the first line that is not), else streamed to a UTF-8 copy in `tmp`."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise _fail(file_name, f"the CSV is larger than {_size(MAX_CSV_BYTES)}")
    decoder = LineDecoder(undefined="latin1", keep=MAX_LISTED)
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK * 8):
            if done == 0:
                _check_text_start(chunk[:SNIFF_BYTES], file_name)
            done += len(chunk)
            decoder.feed(chunk)
            if decoder.report.cp1252_count or decoder.report.mixed_count:
                break  # not UTF-8 throughout: the copy below decides every line
            if progress and size:
                progress(0.3 * done / size, "checking the CSV's encoding")
    if done == 0:
        raise _fail(file_name, "the file is empty")
    decoder.finish()
    rep = decoder.report
    if not rep.cp1252_count and not rep.mixed_count:
        return CsvFile(path, None, size, rep)
    with open(path, "rb") as fh:
        _, rep = _copy_capped(fh, tmp / "utf8.csv", file_name, size, progress, zipped=False)
    return CsvFile(tmp / "utf8.csv", None, size, rep)


@contextmanager
def gcc_csv(
    source: str | os.PathLike | bytes | bytearray | memoryview,
    file_name: str,
    progress: Progress | None = None,
) -> Iterator[CsvFile]:
    """The CSV of a GCC download on disk for as long as the `with` block runs (a temporary
    copy, removed afterwards, unless `source` is the path of a bare CSV)."""
    tmp = Path(tempfile.mkdtemp(prefix="gcc_"))
    try:
        if isinstance(source, bytes | bytearray | memoryview):
            view = memoryview(source)
            head = bytes(view[:8])
            if _is_zip(head, file_name):
                yield _extract_zip(_ViewReader(view), tmp, file_name, progress)
            else:
                dst = tmp / "copied.csv"
                size, report = _copy_capped(
                    _ViewReader(view), dst, file_name, len(view), None, zipped=False
                )
                yield CsvFile(dst, None, size, report)
        else:
            path = Path(source)
            if not path.is_file():
                raise _fail(file_name, f"no such file: {path}")
            with open(path, "rb") as fh:
                head = fh.read(8)
            if _is_zip(head, file_name):
                with open(path, "rb") as fh:
                    yield _extract_zip(fh, tmp, file_name, progress)
            else:
                yield _csv_on_disk(path, tmp, file_name, progress)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _ViewReader(io.RawIOBase):
    """A seekable read-only file over a memoryview (no copy of the bytes)."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, b) -> int:
        chunk = self._view[self._pos : self._pos + len(b)]
        n = len(chunk)
        b[:n] = chunk
        self._pos += n
        return n

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        chunk = bytes(self._view[self._pos : end])
        self._pos += len(chunk)
        return chunk
