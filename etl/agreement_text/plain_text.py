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
from etl.defaults import MAX_PROBLEMS
from etl.errors import Problem
from etl.uploads.csv_file import decode, stray_bytes
from etl.uploads.kinds import CONTROL, looks_binary, utf16_encoding
from etl.uploads.table import STRAY, UploadError, refuse

_NEWLINE = re.compile(r"\r\n|\r|\n")
SAVE_TEXT = "save the agreement as PDF, as Word (.docx) or as 'Plain Text' with UTF-8 encoding"


def _decoded(data: bytes, file_name: str) -> tuple[str, str]:
    utf16 = utf16_encoding(data)
    if utf16:
        return data.decode(utf16, errors="replace"), "utf-16"
    text, encoding = decode(data)
    if looks_binary(text, page_breaks=True):
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
        shown = [_line_problem(*p) for p in problems[:MAX_PROBLEMS]]  # the rest only counted
        raise UploadError(file_name, shown, len(problems))
    pages = text.count("\f") + 1 if paged else None
    return AgreementText(file_name, "txt", tuple(lines), pages, encoding)


def _line_problem(line: int, column: str | None, message: str) -> Problem:
    return Problem(None, column, f"line {line}: {message}")
