"""An agreement saved as plain text: its encoding decided for the whole file, its lines.

UTF-16 (Windows' "Unicode Text"), with its byte-order mark or without (ASCII text with a NUL
beside every character), is read as UTF-16; otherwise the upload decoder decides
(etl/uploads/csv_file.py `decode`: UTF-8, with or without BOM, or Windows-1252 when the file
holds no UTF-8 sequence at all). A file that is UTF-8 but for a few bytes is refused naming
each line and byte, and so is binary content. A form feed starts a new page, as printers
and `pdftotext` write it."""

from __future__ import annotations

import re

from etl.agreement_text.document import AgreementText, TextLine
from etl.errors import Problem
from etl.uploads.csv_file import decode, stray_bytes
from etl.uploads.kinds import CONTROL
from etl.uploads.table import STRAY, UploadError, refuse

_NEWLINE = re.compile(r"\r\n|\r|\n")
SAVE_TEXT = "save the agreement as PDF, as Word (.docx) or as 'Plain Text' with UTF-8 encoding"


def _utf16(data: bytes) -> str | None:
    """The text of a UTF-16 file (None when it is not one)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4000]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.4 * len(sample) / 2:
            return data.decode("utf-16-le", errors="replace")
        if even > 0.4 * len(sample) / 2:
            return data.decode("utf-16-be", errors="replace")
    return None


def _decoded(data: bytes, file_name: str) -> tuple[str, str]:
    text = _utf16(data)
    if text is not None:
        return text, "utf-16"
    text, encoding = decode(data)
    sample = text[:20000]
    if "\x00" in sample or len(CONTROL.findall(sample.replace("\f", ""))) > len(sample) / 100:
        raise refuse(file_name, f"this is not a text file (binary content); {SAVE_TEXT}")
    return text, encoding


def read_text(data: bytes, file_name: str) -> AgreementText:
    """The lines of a text file (UploadError naming each line with undecodable bytes)."""
    text, encoding = _decoded(data, file_name)
    lines: list[TextLine] = []
    problems = []
    paged = "\f" in text
    for page_no, page in enumerate(text.split("\f"), 1):
        for k, raw in enumerate(_NEWLINE.split(page), 1):
            n = len(lines) + 1
            if STRAY.search(raw):
                shown = ", ".join(f"0x{b:02X}" for b in dict.fromkeys(stray_bytes(raw)))
                problems.append((n, None, f"bytes {shown} are not UTF-8 text; {SAVE_TEXT}"))
            clean = CONTROL.sub(" ", raw).rstrip()
            lines.append(TextLine(n, clean, page_no if paged else None, k if paged else None))
    if problems:
        raise UploadError(file_name, [_line_problem(*p) for p in problems[:100]], len(problems))
    pages = text.count("\f") + 1 if paged else None
    return AgreementText(file_name, "txt", tuple(lines), pages, encoding)


def _line_problem(line: int, column: str | None, message: str) -> Problem:
    return Problem(None, column, f"line {line}: {message}")
