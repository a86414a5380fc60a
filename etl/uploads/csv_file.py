"""Uploaded CSV: its encoding decided per file, its delimiter checked, its records numbered
as a spreadsheet shows them (etl/uploads/reader.py)."""

from __future__ import annotations

import csv
import io
import re

from etl.errors import Problems
from etl.uploads.kinds import BINARY, CONTROL
from etl.uploads.table import STRAY, Cells, Table, column_letter, make_table, refuse

# CSV ---------------------------------------------------------------------------------------------

# A valid multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, up to U+10FFFF).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) by the policy in the module docstring. Bytes that do not decode are
    kept as lone surrogates U+DC80..U+DCFF (Python's 'surrogateescape'), for `stray_bytes`
    to report by row and column; the text is otherwise the file's."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTI.search(body):
        return body.decode("utf-8", errors="surrogateescape"), "utf-8"
    return body.decode("windows-1252", errors="surrogateescape"), "windows-1252"


def stray_bytes(text: str) -> list[int]:
    """The undecodable bytes `decode` kept, in order."""
    return [ord(ch) - 0xDC00 for ch in STRAY.findall(text)]


def _stray_message(byte_values: list[int], encoding: str) -> str:
    shown = ", ".join(f"0x{b:02X}" for b in dict.fromkeys(byte_values))
    bytes_word = "byte" if len(set(byte_values)) == 1 else "bytes"
    if encoding == "utf-8":
        return (
            f"{bytes_word} {shown} {'is' if bytes_word == 'byte' else 'are'} not UTF-8; the rest "
            "of the file is UTF-8 — save it as 'CSV UTF-8 (Comma delimited)' and upload it again"
        )
    return (
        f"{bytes_word} {shown} {'is' if bytes_word == 'byte' else 'are'} neither UTF-8 nor "
        "Windows-1252 text; save the file as 'CSV UTF-8 (Comma delimited)'"
    )


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def check_delimiter(text: str, file_name: str) -> None:
    """Refuse a file whose columns are separated by semicolons or tabs (a European-locale
    Excel's "CSV", or "Text (Tab delimited)"): judged on its first 20 non-blank lines, outside
    quotes, so a title row or a quoted "$1,234" does not decide it."""
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()][:20]
    counts = {sep: 0 for sep in (",", ";", "\t")}
    for ln in lines:
        bare = _outside_quotes(ln)
        for sep in counts:
            counts[sep] += bare.count(sep)
    other = max((";", "\t"), key=lambda s: counts[s])
    if counts[other] > counts[","]:
        what = "semicolons (;)" if other == ";" else "tabs"
        raise refuse(
            file_name,
            f"the columns are separated by {what}, not commas; in Excel use File > Save As > "
            "'CSV UTF-8 (Comma delimited)' (or change the list separator to a comma)",
            row=1,
        )


def decode_csv(data: bytes, file_name: str) -> tuple[str, str]:
    """A CSV upload's text and encoding, after the kind, binary and delimiter checks (stray
    bytes are left in the text as surrogates; `read_table` reports them by cell)."""
    text, encoding = decode(data)
    sample = text[:20000]
    if "\x00" in sample or len(CONTROL.findall(sample)) > len(sample) / 100:
        raise refuse(file_name, BINARY)
    check_delimiter(text, file_name)
    return text, encoding


def _csv_records(text: str, file_name: str) -> list[Cells]:
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise refuse(file_name, f"not readable as CSV: {exc}") from None


def read_csv(data: bytes, file_name: str, header_row: int | None) -> Table:
    text, encoding = decode_csv(data, file_name)
    records = _csv_records(text, file_name)
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    problems = Problems()
    if STRAY.search(text):
        for n, cells in numbered:
            for j, cell in enumerate(cells):
                found = stray_bytes(cell)
                if found:
                    problems.add(n, column_letter(j), _stray_message(found, encoding))
    return make_table(file_name, None, numbered, encoding, header_row, problems.items)
