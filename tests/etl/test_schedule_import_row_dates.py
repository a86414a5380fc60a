"""Salary tables with a column of dates, one per row ("Effective Date"): each row's pay takes
its row's date (etl/schedule_import/row_dates.py), in long and wide tables, CSV and XLSX."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app_pages.add_agreement.choices import USE_LABELS
from etl import cells
from etl.schedule_import import (
    USES,
    ScheduleImportError,
    column_uses,
    detect,
    headers,
    mapping_for,
    read,
    read_imported,
)
from etl.schedule_import.stored import Imported, ImportedFile

DATA = Path(__file__).resolve().parent.parent / "data" / "schedules"
BAD = DATA.parent.parent / "bad_inputs" / "salary_table"
JULY_24, JULY_25 = date(2024, 7, 1), date(2025, 7, 1)


def files(name: str, folder: Path = DATA) -> list[ImportedFile]:
    return [ImportedFile("schedule", name, (folder / name).read_bytes())]


def inline(text: str) -> list[ImportedFile]:
    return [ImportedFile("schedule", "t.csv", text.encode())]


def rates(got) -> dict[tuple[str, str, date], float]:
    return {(r.class_code, r.step, r.effective_date): r.hourly for r in got.result.salary_rates}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Effective Date", "row_date"),
        ("Effective", "row_date"),
        ("Date Effective", "row_date"),
        ("Eff. Date", "row_date"),
        ("Start Date", "row_date"),
        ("Pay Effective Date*", "row_date"),
        ("Pay Period", None),
        ("End Date", None),
        ("Effective 7/1/2025", None),  # a dated pay column, not a column of dates
    ],
)
def test_a_header_naming_a_date_is_a_column_of_row_dates(header, field):
    got = headers.field_of(header)
    assert (got[0] if got else None) == field
    if header == "Effective 7/1/2025":
        assert headers.label_date(header, (7, 1)) == (JULY_25, "date")


def test_table_date_reads_text_date_cells_and_serials_and_refuses_the_rest():
    for value in ("07/01/2024", "2024-07-01", "July 1, 2024", datetime(2024, 7, 1), 45474):
        assert cells.table_date(value)[0] == JULY_24, value
    assert cells.table_date(45474)[1] == "serial"
    assert cells.table_date("FY 2024-25") == (JULY_24, "fiscal year")
    for value, why in [
        ("July-ish", "is not a date"),
        ("02/30/2025", "is not a real date (no such day)"),
        ("7/1/1899", "outside 1900-01-01 to 2100-12-31"),
        ("7/1/2200", "outside 1900-01-01 to 2100-12-31"),
        (2024, "is a number, not a date"),  # a year, not a serial
        (datetime(1899, 7, 1), "outside 1900-01-01"),
    ]:
        with pytest.raises(cells.CellError, match=why.replace("(", r"\(").replace(")", r"\)")):
            cells.table_date(value)


def test_a_long_csv_of_two_dates_gives_each_row_its_date():
    got = read(files("long_row_dates.csv"), {"agency": "Row County"})
    r = rates(got)
    assert len(r) == 14
    assert r[("E101", "1", JULY_24)] == pytest.approx(22.00)
    assert r[("E101", "1", JULY_25)] == pytest.approx(22.66)
    assert r[("E205", "2", JULY_25)] == pytest.approx(28.66)
    assert sorted({c.class_code for c in got.result.classes}) == ["E101", "E102", "E205"]
    assert len(got.result.classes) == 3  # a class listed at two dates is one class
    (agreement,) = got.result.agreements
    assert (agreement.term_start, agreement.term_end) == (JULY_24, JULY_25)
    assert "Dates: 2024-07-01 (7 rows), 2025-07-01 (7 rows)" in got.summary.lines()
    lines = got.detection.lines()
    assert "Effective: 2024-07-01 (7 rows), 2025-07-01 (7 rows)" in lines
    assert any(
        "row_date" in x and "'Effective Date' (column E)" in x and "took effect" in x for x in lines
    )
    cite = next(s for s in got.result.salary_rates if s.effective_date == JULY_25).source
    assert cite.line == 9 and "column Hourly Rate" in str(cite)


def test_the_effective_date_given_equal_to_every_row_is_accepted():
    text = (
        "Class Code,Class Title,Step,Hourly Rate,Effective Date\n"
        "E101,A,1,22.00,07/01/2024\nE101,A,2,23.10,2024-07-01\n"
    )
    got = read(inline(text), {"agency": "X", "effective": "2024-07-01"})
    assert set(rates(got)) == {("E101", "1", JULY_24), ("E101", "2", JULY_24)}


def test_a_date_column_blank_in_every_row_is_not_read_and_effective_dates_the_rows():
    text = "Class Code,Class Title,Step,Hourly Rate,Effective Date\nE101,A,1,22.00,\n"
    got = read(inline(text), {"agency": "X", "effective": "2024-07-01"})
    assert set(rates(got)) == {("E101", "1", JULY_24)}
    assert any("'Effective Date' is blank in every row: not read" in n for n in got.notes)
    with pytest.raises(ScheduleImportError, match="no effective date"):
        read(inline(text), {"agency": "X"})


def test_a_dated_pay_header_outranks_the_row_date():
    text = (
        "Class Code,Class Title,Step,Effective 7/1/2025,Effective Date\nE101,A,1,22.66,07/01/2024\n"
    )
    got = read(inline(text), {"agency": "X", "period": "hourly"})
    assert set(rates(got)) == {("E101", "1", JULY_25)}
    assert any("'Effective Date' is not read: every pay column" in n for n in got.notes)


def test_an_xlsx_with_date_cells_a_merged_date_and_a_serial():
    got = read(files("long_row_dates.xlsx"), {"agency": "Harbor Transit"})
    r = rates(got)
    assert len(r) == 8
    # rows 6-7: the date merged down from row 5
    assert r[("T20", "1", JULY_24)] == pytest.approx(6100 * 12 / 2080)
    assert r[("T20", "2", JULY_24)] == pytest.approx(6405 * 12 / 2080)
    # row 11: 45839 stored as a number
    assert r[("T20", "1", JULY_25)] == pytest.approx(6283 * 12 / 2080)
    notes = got.notes
    assert any(
        "'Effective Date' cell is blank in rows 6-7; each takes the date" in n for n in notes
    )
    assert any("row 11: 45839 is 2025-07-01" in n for n in notes)
    assert "Dates: 2024-07-01 (4 rows), 2025-07-01 (4 rows)" in got.summary.lines()


def test_a_wide_csv_with_a_date_column_lists_each_class_at_two_dates():
    got = read(files("wide_row_dates.csv"), {"agency": "Lakeside", "period": "hourly"})
    r = rates(got)
    assert len(r) == 22  # 3 classes x 2 dates, the Library Assistant without step 4
    assert r[("3101", "4", JULY_24)] == pytest.approx(21.30)
    assert r[("3101", "4", JULY_25)] == pytest.approx(21.94)  # "July 1, 2025"
    assert ("3210", "4", JULY_25) not in r
    assert len(got.result.classes) == 3
    assert "Dates: 2024-07-01 (3 rows), 2025-07-01 (3 rows)" in got.summary.lines()


def test_the_use_is_offered_mapped_and_kept_with_a_stored_import():
    assert "row_date" in USES and USE_LABELS["row_date"]
    text = (
        "Class Code,Class Title,Step,Hourly Rate,Rate Change On\n"
        "E101,A,1,22.00,07/01/2024\nE101,A,1,22.66,07/01/2025\n"
    )
    plain = detect(inline(text), {"agency": "X"})
    assert not plain.ok  # 'Rate Change On' names no field: the rows have no date
    uses = column_uses(plain)
    uses.loc[uses["column"] == "Rate Change On", "use"] = "row_date"
    mapping = mapping_for(plain, uses)
    assert mapping == ["row_date=Rate Change On"]
    options = {"agency": "X", "mapping": mapping}
    got = read(inline(text), options)
    assert set(rates(got)) == {("E101", "1", JULY_24), ("E101", "1", JULY_25)}
    assert got.options.to_dict()["mapping"] == ["row_date=Rate Change On"]
    item = Imported(
        import_id=3,
        agency="X",
        agreement_id="imported-x-3",
        title="X",
        options=got.options.to_dict(),
        files=tuple(inline(text)),
        imported_at="2025-01-01T00:00:00",
        imported_by="test",
    )
    again = read_imported(item)
    assert rates(again) == rates(got)


def test_ignore_of_the_date_column_dates_every_row_by_the_effective_date_given():
    options = {
        "agency": "X",
        "effective": "2024-07-01",
        "period": "hourly",
        "mapping": ["ignore=Effective Date"],
    }
    got = read(files("row_date_other_than_effective_given.csv", BAD), options)
    assert {d for _, _, d in rates(got)} == {JULY_24}


def test_rows_below_a_blank_row_do_not_take_the_date_above_it():
    text = (
        "Class Code,Class Title,Step,Hourly Rate,Effective Date\n"
        "E101,A,1,22.00,07/01/2024\n,,,,\nE102,B,1,23.00,\n"
    )
    with pytest.raises(ScheduleImportError) as info:
        read(inline(text), {"agency": "X"})
    ((row, column, message),) = [(p.row, p.column, p.message) for p in info.value.problems]
    assert (row, column) == (4, "Effective Date")
    assert "the date is blank and no row above gives one" in message
