"""A State Controller export that mixes encodings (a UTF-8 file with a row pasted from a
Windows-1252 one): every route into the GCC reader (ZIP, bytes, a CSV on disk, any chunk size)
decodes it line by line with the one decoder, says which rows were read as Windows-1252, and
stores both names right; a line that is neither is refused with its line, nothing stored."""

from __future__ import annotations

import pytest

from etl.errors import GccImportError
from etl.gcc import archive as gcc_archive
from etl.gcc import importer as gcc_import
from etl.gcc.reader import read_gcc
from tests.etl.test_sco_gcc import gcc_csv, gcc_row, zipped
from userdata import gcc

UTF8_NAME = "San José"  # a UTF-8 row
CP1252_NAME = "La Cañada Flintridge"  # the row pasted from a Windows-1252 file


def mixed_file(cp1252_at: int = 4, rows: int = 6) -> bytes:
    """A UTF-8 export whose row `cp1252_at` (header = 1) is Windows-1252."""
    out = []
    for i in range(2, rows + 2):
        name = CP1252_NAME if i == cp1252_at else UTF8_NAME if i % 2 else "Ukiah"
        text = gcc_csv([gcc_row(name, f"Planner {i}", kind="City")]).split("\r\n", 1)
        if i == 2:
            out.append(text[0].encode() + b"\r\n")
        out.append(text[1].encode("windows-1252" if i == cp1252_at else "utf-8"))
    return b"".join(out)


def _routes(data: bytes, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    yield "bytes", data
    yield "zip", zipped({"mixed.csv": data})
    yield "path", path


@pytest.mark.parametrize("chunk", [None, 7])
def test_both_names_come_out_right_by_every_route(chunk, tmp_path, monkeypatch):
    if chunk:  # lines cut across chunks, a cut inside a multi-byte character
        monkeypatch.setattr(gcc_archive, "CHUNK", chunk)
    data = mixed_file()
    assert "Cañada".encode() not in data and b"Ca\xf1ada" in data and "José".encode() in data
    for route, source in _routes(data, tmp_path):
        got = read_gcc(source, "mixed.csv")
        names = set(got.rows["employer_name"])
        assert names == {UTF8_NAME, CP1252_NAME, "Ukiah"}, route
        assert "City of La Cañada Flintridge" in set(got.rows["agency"]), route
        assert got.encoding == "utf-8 + windows-1252", route
        assert (got.cp1252_rows, got.cp1252_count, got.cp1252_unit) == ([4], 1, "row"), route
        (row,) = got.rows.loc[got.rows["employer_name"] == CP1252_NAME, "first_row"]
        assert row == 4  # the row the summary names is the row the position cites


def test_the_summary_says_which_rows_and_the_store_keeps_both(tmp_path):
    prepared = gcc_import.prepare(mixed_file(), "mixed.csv", agencies=None)
    assert "Encoding: UTF-8, but 1 row(s) read as Windows-1252: row(s) 4" in prepared.report()
    db = tmp_path / "user.sqlite"
    gcc.save(prepared, db)
    stored = gcc.rows(db)
    assert {UTF8_NAME, CP1252_NAME} <= set(stored["employer_name"])
    (enc,) = gcc.read("SELECT encoding FROM gcc_imports", path=db)["encoding"]
    assert enc == "utf-8 + windows-1252"


def test_many_windows_1252_rows_are_counted_and_the_first_listed():
    rows = [gcc_row(CP1252_NAME if i % 3 == 0 else UTF8_NAME, f"P{i}") for i in range(40)]
    text = gcc_csv(rows)
    lines = text.split("\r\n")
    data = b"\r\n".join(ln.encode("windows-1252" if CP1252_NAME in ln else "utf-8") for ln in lines)
    got = read_gcc(data, "many.csv")
    assert got.cp1252_count == 14 and got.cp1252_rows == [2 + 3 * k for k in range(10)]
    assert got.encoding_note().endswith("row(s) 2, 5, 8, 11, 14, 17, 20, 23, 26, 29 …")


def test_a_quoted_cell_over_two_lines_makes_the_numbers_lines():
    rows = [gcc_row(UTF8_NAME, "Planner\nSenior"), gcc_row(CP1252_NAME, "Clerk")]
    text = gcc_csv(rows)
    head, rest = text.rsplit('"2016"', 1)
    data = head.encode() + ('"2016"' + rest).encode("windows-1252")
    got = read_gcc(data, "multi.csv")
    assert (got.cp1252_rows, got.cp1252_unit) == ([4], "line")  # row 3, line 4 of the file
    assert "1 line(s) read as Windows-1252: line(s) 4" in got.encoding_note()


@pytest.mark.parametrize("route", ["bytes", "zip", "path"])
def test_a_line_that_is_neither_is_refused_with_its_line(route, tmp_path):
    bad = gcc_csv([gcc_row("Ukiah", "Clerk")]).split("\r\n")[1]
    data = mixed_file() + ("José ".encode() + b"Ca\xf1ada," + bad.encode() + b"\r\n")
    source = dict(_routes(data, tmp_path))[route]
    with pytest.raises(GccImportError) as info:
        gcc_import.prepare(source, "neither.csv", agencies=None)
    (p,) = info.value.problems
    assert p.row == 8 and "neither UTF-8 nor Windows-1252" in p.message


def test_a_utf8_file_on_disk_is_read_where_it_is(tmp_path):
    path = tmp_path / "utf8.csv"
    path.write_bytes(gcc_csv([gcc_row(UTF8_NAME)]).encode())
    with gcc_archive.gcc_csv(path, path.name) as csv:
        assert csv.path == path and csv.encoding == "utf-8"
    path.write_bytes(mixed_file())
    with gcc_archive.gcc_csv(path, path.name) as csv:
        assert csv.path != path and CP1252_NAME in csv.path.read_text(encoding="utf-8")
