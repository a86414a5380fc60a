"""Uploaded CSV: decoded line by line (etl/uploads/decoding.py), its delimiter checked, its
records numbered as a spreadsheet shows them (etl/uploads/reader.py)."""

from __future__ import annotations

import bisect
import csv
import io
import re

from etl.errors import Problems
from etl.uploads.decoding import Decoded, decode_bytes
from etl.uploads.kinds import BINARY, looks_binary
from etl.uploads.table import STRAY, Cells, Table, column_letter, make_table, refuse

# CSV ---------------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) by the line rule of etl/uploads/decoding.py. Bytes that do not decode
    are kept as lone surrogates U+DC80..U+DCFF (Python's 'surrogateescape'), for `stray_bytes`
    to report by row and column."""
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


def stray_bytes(text: str) -> list[int]:
    """The undecodable bytes `decode` kept, in order."""
    return [ord(ch) - 0xDC00 for ch in STRAY.findall(text)]


def _stray_message(byte_values: list[int], mixed_row: bool) -> str:
    shown = ", ".join(f"0x{b:02X}" for b in dict.fromkeys(byte_values))
    one = len(set(byte_values)) == 1
    bytes_word, verb = ("byte", "is") if one else ("bytes", "are")
    if mixed_row:
        return (
            f"{bytes_word} {shown} {verb} not UTF-8, yet this row also holds UTF-8 text, so it "
            "is neither UTF-8 nor Windows-1252 as a whole (reading it either way would garble "
            "part of it); retype the cell and save the file as 'CSV UTF-8 (Comma delimited)'"
        )
    return (
        f"{bytes_word} {shown} {verb} neither UTF-8 nor Windows-1252 text; save the file as "
        "'CSV UTF-8 (Comma delimited)'"
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


def decode_csv(data: bytes, file_name: str) -> Decoded:
    """A CSV upload decoded (etl/uploads/decoding.py), after the kind, binary and delimiter
    checks (stray bytes are left in the text as surrogates; `read_csv` reports them by cell)."""
    decoded = decode_bytes(data)
    if looks_binary(decoded.text):
        raise refuse(file_name, BINARY)
    check_delimiter(decoded.text, file_name)
    return decoded


def _csv_records(text: str, file_name: str) -> tuple[list[Cells], list[int]]:
    """The records, and the last line of each (the csv reader's line count after it)."""
    records, last_lines = [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for r in reader:
            records.append(r)
            last_lines.append(reader.line_num)
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise refuse(file_name, f"not readable as CSV: {exc}") from None
    return records, last_lines


def _rows_of(lines: list[int], last_lines: list[int]) -> tuple[int, ...]:
    """Spreadsheet rows (record numbers) holding the given lines of the file."""
    return tuple(sorted({bisect.bisect_left(last_lines, n) + 1 for n in lines}))


def read_csv(data: bytes, file_name: str, header_row: int | None) -> Table:
    decoded = decode_csv(data, file_name)
    records, last_lines = _csv_records(decoded.text, file_name)
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    problems = Problems()
    if STRAY.search(decoded.text):
        mixed = set(_rows_of(decoded.report.mixed, last_lines))
        for n, cells in numbered:
            for j, cell in enumerate(cells):
                found = stray_bytes(cell)
                if found:
                    problems.add(n, column_letter(j), _stray_message(found, n in mixed))
    cp1252 = _rows_of(decoded.report.cp1252, last_lines)
    return make_table(
        file_name, None, numbered, decoded.encoding, header_row, problems.items, cp1252
    )
