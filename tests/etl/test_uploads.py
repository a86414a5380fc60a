"""The one upload reader: kinds of file, encodings, delimiters, row numbers, XLSX bounds."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import defaults
from etl.agreement_text.reader import read_agreement
from etl.errors import GccImportError
from etl.gcc.reader import read_gcc
from etl.uploads import kinds
from etl.uploads import reader as uploads
from etl.uploads.reader import UploadError, read_table

DATA = Path(__file__).resolve().parent.parent / "data" / "schedules"


def workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def only_problem(exc: pytest.ExceptionInfo) -> tuple[int | None, str | None, str]:
    assert len(exc.value.problems) == 1, exc.value.problems
    p = exc.value.problems[0]
    return p.row, p.column, p.message


# Kinds of file ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("a.csv", b"", "empty"),
        ("a.csv", b"  \n\n", "empty"),
        ("a.csv", (DATA / "bad" / "png_named.csv").read_bytes(), "PNG image"),
        ("a.csv", b"%PDF-1.7\n...", "PDF document"),
        ("a.csv", b"\xff\xd8\xff\xe0JFIF", "JPEG image"),
        ("a.csv", (DATA / "bad" / "utf16.csv").read_bytes(), "UTF-16"),
        ("a.csv", "Class,Title\r\n1,A\r\n".encode("utf-16-le"), "UTF-16"),  # no BOM
        ("a.csv", (DATA / "bad" / "xlsx_named.csv").read_bytes(), "workbook saved with a .csv"),
        ("a.xlsx", (DATA / "bad" / "csv_named.xlsx").read_bytes(), "named .xlsx but holds text"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "97-2003"),
        ("a.csv", b"a,b\n\x00\x01\x02\x03,b\n", "binary"),
        ("a.csv", b"<!DOCTYPE html><html><table>", "web page"),
    ],
)
def test_each_kind_of_wrong_file_gets_one_clear_message(name, data, says):
    with pytest.raises(UploadError) as exc:
        read_table(data, name)
    row, column, message = only_problem(exc)
    assert says in message and column is None
    assert str(exc.value).startswith(f"{name}: ")


def test_a_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(UploadError, match="ZIP archive, not an Excel workbook"):
        read_table(buf.getvalue(), "a.xlsx")


def test_a_truncated_workbook_is_damaged():
    data = (DATA / "wide_letters.xlsx").read_bytes()
    with pytest.raises(UploadError, match="damaged|cannot read"):
        read_table(data[: len(data) // 2], "a.xlsx")


def test_the_size_limit_comes_from_the_settings(monkeypatch):
    monkeypatch.setattr(defaults, "MAX_UPLOAD_BYTES", 100)
    data = b"Class,Title\n" + b"1,A\n" * 30
    with pytest.raises(UploadError, match="upload limit"):
        uploads.file_kind(data, "a.csv")
    assert uploads.file_kind(data[:90], "a.csv") == "csv"


def test_files_over_the_real_limit_are_refused():
    big = b"a,b\n" + b"1,2\n" * (defaults.MAX_UPLOAD_BYTES // 4 + 1)
    with pytest.raises(UploadError, match="10 MB upload limit"):
        read_table(big, "big.csv")


# One set of signatures for every reader of a user's file (etl/uploads/kinds.py) ------------------


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff\xe0JFIF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"II*\x00", "a TIFF image"),  # the table reader did not know TIFF (it said 'binary')
        (b"MM\x00*", "a TIFF image"),
    ],
)
def test_a_picture_is_refused_as_the_same_picture_by_the_table_and_the_agreement_readers(
    head, what
):
    data = head + b"\x00\x01\x02" * 40
    assert kinds.image_kind(data) == what
    with pytest.raises(UploadError, match=f"this is {what}, not a table"):
        read_table(data, "scan.csv")
    with pytest.raises(UploadError, match=rf"this is {what} \(a scan or a photo\)"):
        read_agreement(data, "scan.pdf")


def test_a_pdf_is_one_whose_header_is_in_its_first_kilobyte_for_both_readers():
    late = b"\r\n" * 100 + b"%PDF-1.7\n" + b"\x00broken" * 20  # after a mail gateway's junk
    assert kinds.is_pdf(late) and not kinds.is_pdf(b"x" * 1024 + b"%PDF-1.7")
    assert uploads.file_kind(late, "t.pdf", pdf=True) == "pdf"
    with pytest.raises(UploadError, match="a PDF document, not a table"):
        read_table(late, "t.csv")
    with pytest.raises(UploadError, match="damaged"):  # read as a PDF, not as text
        read_agreement(late, "mou.pdf")


def test_utf16_is_known_with_or_without_its_mark_by_every_reader():
    text = "Class,Title\r\n1,A\r\n" * 20
    for enc in ("utf-16", "utf-16-le", "utf-16-be"):
        assert kinds.utf16_encoding(text.encode(enc)) == enc
    assert not kinds.looks_utf16(text.encode()) and not kinds.looks_utf16(b"ab")
    bare = text.encode("utf-16-le")
    with pytest.raises(UploadError, match="UTF-16"):
        read_table(bare, "a.csv")
    assert "Class,Title" in read_agreement(bare, "mou.txt").lines[0].text
    with pytest.raises(GccImportError, match="UTF-16"):  # was 'binary content' without a BOM
        read_gcc(bare, "u16.csv")


def test_binary_content_is_one_rule_and_only_page_breaks_pass_in_an_agreement():
    assert kinds.looks_binary("a\x00b") and not kinds.looks_binary("a,b\n1,2\n")
    paged = "ARTICLE 1 Pay\n\f" * 50
    assert kinds.looks_binary(paged) and not kinds.looks_binary(paged, page_breaks=True)
    with pytest.raises(UploadError, match="binary content"):
        read_table(b"a,b\n\x01\x02\x03\x04,b\n", "a.csv")
    with pytest.raises(UploadError, match="binary content"):
        read_agreement(b"ARTICLE 1\n\x01\x02\x03\x04 words\n", "mou.txt")
    assert read_agreement(paged.encode(), "mou.txt").pages == 51


# Encoding ---------------------------------------------------------------------------------------


def test_utf8_with_and_without_bom():
    for data in ("a,b\nCafé,1\n".encode(), "a,b\nCafé,1\n".encode("utf-8-sig")):
        t = read_table(data, "x.csv")
        assert t.encoding == "utf-8" and t.header == ["a", "b"] and t.rows == [(2, ["Café", "1"])]


def test_windows_1252_when_no_utf8_sequence_at_all():
    t = read_table((DATA / "windows1252.csv").read_bytes(), "windows1252.csv")
    assert t.encoding == "windows-1252"
    assert t.rows[0][1][1] == "Café Attendant"
    assert t.rows[2][1][1] == "Señor Groundskeeper – Lead"  # 0x96 en dash


def test_a_windows_1252_row_in_a_utf8_file_is_read_as_windows_1252_and_said():
    t = read_table((DATA / "mixed_encoding.csv").read_bytes(), "mixed_encoding.csv")
    assert t.encoding == "utf-8 + windows-1252" and t.cp1252_rows == (4,)
    assert [r[1][1] for r in t.rows] == ["Café Attendant", "Café Attendant", "Café Cook"]
    assert t.encoding_note() == "UTF-8, but 1 row(s) read as Windows-1252: row(s) 4"


def test_a_row_mixing_utf8_and_stray_bytes_names_row_column_and_byte():
    with pytest.raises(UploadError) as exc:
        read_table((DATA / "bad" / "mixed_in_one_row.csv").read_bytes(), "mixed_in_one_row.csv")
    row, column, message = only_problem(exc)
    assert (row, column) == (4, "Class Title")
    assert "byte 0xE9 is not UTF-8, yet this row also holds UTF-8 text" in message
    assert "CSV UTF-8" in message


def test_each_line_is_decided_on_its_own():
    data = "a,b\nCafé,1\n".encode() + b"x\xe9,2\ny,\xff\xfe\n" + "Ñ,".encode() + b"\xf1\n"
    with pytest.raises(UploadError) as exc:
        read_table(data, "x.csv")
    # rows 3 and 4 are Windows-1252 (no UTF-8 sequence in them); row 5 mixes both
    assert [(p.row, p.column) for p in exc.value.problems] == [(5, "b")]
    assert "0xF1 is not UTF-8, yet this row also holds UTF-8 text" in exc.value.problems[0].message
    t = read_table(data[: data.index("Ñ".encode())], "x.csv")
    assert t.rows == [(2, ["Café", "1"]), (3, ["xé", "2"]), (4, ["y", "ÿþ"])]
    assert t.cp1252_rows == (3, 4) and t.encoding == "utf-8 + windows-1252"


def test_windows_1252_rows_are_counted_by_spreadsheet_row_not_by_line():
    # a quoted cell over two lines is one row; the Windows-1252 line after it is row 3
    data = 'a,b\n"two\nlines é",1\n'.encode() + b"Ca\xf1ada,2\r\nlast,3\r"
    t = read_table(data, "x.csv")
    assert t.rows == [(2, ["two\nlines é", "1"]), (3, ["Cañada", "2"]), (4, ["last", "3"])]
    assert t.cp1252_rows == (3,)


def test_bytes_neither_utf8_nor_windows_1252():
    # 0x81 is undefined in Windows-1252, and the file has no UTF-8 sequence
    with pytest.raises(UploadError) as exc:
        read_table(b"a,b\nx\x81,1\n", "x.csv")
    assert only_problem(exc)[:2] == (2, "a")
    assert "neither UTF-8 nor Windows-1252" in exc.value.problems[0].message


# Delimiters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "what"), [("semicolon.csv", "semicolons"), ("tab.csv", "tabs")])
def test_semicolon_and_tab_files_are_refused_saying_how_to_save(name, what):
    with pytest.raises(UploadError) as exc:
        read_table((DATA / "bad" / name).read_bytes(), name)
    row, _, message = only_problem(exc)
    assert row == 1 and what in message and "CSV UTF-8 (Comma delimited)" in message


def test_a_title_row_or_quoted_commas_do_not_decide_the_delimiter():
    text = 'Salary schedule; effective 7/1/2024\nCode,Title,Pay\n1,"A; B","$1,000.00"\n2,C,5\n'
    t = read_table(text.encode(), "x.csv")
    assert t.rows[1] == (3, ["1", "A; B", "$1,000.00"])
    quoted = 'a;b\n"1,5";"2,5"\n"3,5";"4,5"\n'  # European CSV: commas only inside quotes
    with pytest.raises(UploadError, match="semicolons"):
        read_table(quoted.encode(), "x.csv")


# Rows -------------------------------------------------------------------------------------------


def test_quoted_cells_spanning_lines_are_one_spreadsheet_row():
    data = (DATA / "long_hourly.csv").read_bytes()
    t = read_table(data, "long_hourly.csv", header_row=4)
    rows = dict(t.rows)
    assert rows[10][:3] == ["1002", "OFFICE ASSISTANT\nII", "1"]
    assert rows[11][:3] == ["1002", "OFFICE ASSISTANT II", "2"]  # not 12: one record, one row
    assert t.header[:2] == ["Class Code", "Class Title"] and t.header_row == 4
    assert [n for n, _ in t.above] == [1, 2, 3]
    lines = t.lines()
    assert lines[9] == "1002 | OFFICE ASSISTANT II | 1 | $20.00"  # row 10, line break as space
    assert lines[3].startswith("Class Code | Class Title")
    assert len(lines) == 22  # 23 lines of text, 22 rows


def test_blank_rows_keep_their_numbers():
    t = read_table(b"a,b\n\n1,2\n,\n3,4\n", "x.csv")
    assert [n for n, _ in t.rows] == [2, 3, 4, 5]
    assert t.rows[0] == (2, []) and t.rows[2] == (4, ["", ""])


def test_with_header_at_moves_the_header_down():
    t = read_table(b"Title\n\nCode,Pay\n1,2\n", "x.csv", header_row=None)
    assert t.header == [] and [n for n, _ in t.rows] == [1, 2, 3, 4]
    h = t.with_header_at(3)
    assert h.header == ["Code", "Pay"] and h.rows == [(4, ["1", "2"])]
    assert h.records() == t.rows and h.lines() == ["Title", "", "Code | Pay", "1 | 2"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(
    st.lists(
        st.lists(st.text(alphabet='ab ,"\n\r', max_size=6), min_size=1, max_size=4),
        min_size=1,
        max_size=8,
    )
)
def test_csv_rows_are_numbered_as_records(records):
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows([["h1", "h2"], *records])
    try:
        t = read_table(buf.getvalue().encode(), "x.csv")
    except UploadError:
        return  # e.g. all records blank
    assert [n for n, _ in t.rows] == list(range(2, len(t.rows) + 2))
    assert len(t.lines()) == len(t.rows) + 1


# XLSX ---------------------------------------------------------------------------------------------


def test_sheet_listing_and_selection_by_name():
    data = workbook({"Cover": [["x"]], "Pay Table": [["Code", "Pay"], ["1", 2.5]]})
    assert uploads.sheet_names(data, "w.xlsx") == ["Cover", "Pay Table"]
    t = read_table(data, "w.xlsx", sheet=" pay table ")
    assert t.sheet == "Pay Table" and t.rows == [(2, ["1", 2.5])] and t.encoding is None
    assert read_table(data, "w.xlsx").sheet == "Cover"  # the first by default
    with pytest.raises(UploadError, match="no sheet named 'Pay'; the workbook has 'Cover'"):
        read_table(data, "w.xlsx", sheet="Pay")
    assert uploads.sheet_names(b"a,b\n", "a.csv") == []


def test_formulas_are_refused_with_their_cell():
    with pytest.raises(UploadError) as exc:
        read_table((DATA / "bad" / "formula.xlsx").read_bytes(), "formula.xlsx")
    row, column, message = only_problem(exc)
    assert (row, column, exc.value.problems[0].sheet) == (3, "Step 2", "Schedule")
    assert "cell D3 holds a formula (=C3*1.05)" in message and "paste them as values" in message


def test_xlsx_row_and_column_bounds(monkeypatch):
    monkeypatch.setattr(defaults, "MAX_XLSX_ROWS", 5)
    data = workbook({"S": [[i] for i in range(10)]})
    with pytest.raises(UploadError, match="more than 5 rows"):
        read_table(data, "w.xlsx")
    monkeypatch.setattr(defaults, "MAX_XLSX_ROWS", 500)
    monkeypatch.setattr(defaults, "MAX_XLSX_COLUMNS", 3)
    with pytest.raises(UploadError) as exc:
        read_table(workbook({"S": [["a"], [1, 2, 3, 4]]}), "w.xlsx")
    assert only_problem(exc)[0] == 2 and "beyond column C" in exc.value.problems[0].message


def test_xlsx_unpacked_size_bound(monkeypatch):
    monkeypatch.setattr(defaults, "MAX_XLSX_UNPACKED_BYTES", 1000)
    with pytest.raises(UploadError, match="unpacks to"):
        read_table((DATA / "wide_letters.xlsx").read_bytes(), "w.xlsx")


def test_xlsx_cells_keep_their_types_and_render_as_shown():
    from datetime import datetime

    data = workbook({"S": [["Code", "Pay", "When", "Ok"], [401, 12.5, datetime(2024, 7, 1), True]]})
    t = read_table(data, "w.xlsx")
    assert t.rows == [(2, [401, 12.5, datetime(2024, 7, 1), True])]
    assert t.lines() == ["Code | Pay | When | Ok", "401 | 12.5 | 2024-07-01 | TRUE"]


def test_errors_are_input_errors_with_the_file_named():
    from etl.errors import InputError

    with pytest.raises(InputError) as exc:
        read_table(b"", "empty.csv")
    assert exc.value.source == "empty.csv" and "nothing from it was read" in str(
        UploadError("f", [exc.value.problems[0], exc.value.problems[0]])
    )


def test_lenient_reading_hands_cell_problems_to_the_caller():
    data = (DATA / "bad" / "formula.xlsx").read_bytes()
    (t,) = uploads.read_sheets(data, "formula.xlsx", ["Schedule"], header_row=None, strict=False)
    assert [(p.row, p.column) for p in t.problems] == [(3, "D")]  # a letter: no header yet
    assert [(p.row, p.column) for p in t.with_header_at(1).cell_problems()] == [(3, "Step 2")]
    assert dict(t.rows)[3] == ["1002", "OFFICE ASSISTANT II", 20.0]  # the formula read as None


def test_undecoded_bytes_render_as_escapes_that_can_be_printed():
    (t,) = uploads.read_sheets(
        (DATA / "bad" / "mixed_in_one_row.csv").read_bytes(), "m.csv", strict=False
    )
    assert t.lines()[3] == "7002 | Café Caf\\xE9 Cook | 1 | 19.00"
    "\n".join(t.lines()).encode("utf-8")  # no lone surrogate left to fail on
