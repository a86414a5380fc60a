"""Bad salary tables (tests/data/schedules/bad/): each is refused with the problems a person
can act on, each naming its file, sheet, row and column; nothing partial is returned. Every
file in the folder must be listed here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.errors import InputError
from etl.schedule_import import ScheduleImportError, detect, read
from etl.schedule_import.stored import ImportedFile

BAD = Path(__file__).resolve().parent.parent / "data" / "schedules" / "bad"
OPTS = {"agency": "Bad", "effective": "2024-07-01", "period": "hourly"}

# file -> [(sheet, row, column, a fragment of the message)], in the order reported
EXPECTED: dict[str, list[tuple[str | None, int | None, str | None, str]]] = {
    "classes_unknown_grade.csv": [(None, None, None, "a class list but no pay")],
    "csv_named.xlsx": [(None, None, None, "named .xlsx but holds text")],
    "decreasing_step.csv": [
        (
            None,
            3,
            "Step 2",
            "2102 step 2 pays 21.10, less than step 1 22.00 (row 3, column "
            "'Step 1'): steps must not decrease",
        ),
    ],
    "duplicate_step.csv": [
        (None, 5, "Hourly Rate", "1001 step 2 on 2024-07-01 is given twice: row 3"),
    ],
    "formula.xlsx": [("Schedule", 3, "Step 2", "cell D3 holds a formula (=C3*1.05)")],
    "implausible_or_no_period.csv": [
        (None, 2, "Rate", "5,123.00 is outside $1 to $2,000 an hour: is the pay period right?"),
        (None, 3, "Rate", "5,379.15 is outside"),
    ],
    "mixed_in_one_row.csv": [
        (None, 4, "Class Title", "byte 0xE9 is not UTF-8, yet this row also holds UTF-8 text")
    ],
    "no_header.csv": [(None, None, None, "no header row found in the first 30 rows")],
    "pay_not_a_number.csv": [
        (None, 2, "Hourly Rate", "'TBD' is not a number"),
        (None, 3, "Hourly Rate", "'19,43' is not a number (a decimal comma?"),
        (None, 4, "Hourly Rate", "'-20.00' is negative"),
    ],
    "periods_disagree.csv": [(None, 3, "Monthly", "2,800.00 does not match 'Hourly' 16.80")],
    "png_named.csv": [(None, None, None, "this is a PNG image, not a table")],
    "semicolon.csv": [(None, 1, None, "separated by semicolons (;), not commas")],
    "several_pay_columns.csv": [
        (
            None,
            1,
            None,
            "several pay columns ('Current pay', 'Proposed pay') do not say their date: map each",
        ),
    ],
    "stray_cell.csv": [(None, 2, "E", "a value ('extra') in a column with no header")],
    "tab.csv": [(None, 1, None, "separated by tabs, not commas")],
    "utf16.csv": [(None, None, None, "UTF-16")],
    "xlsx_named.csv": [(None, None, None, "an Excel workbook saved with a .csv name")],
}


def test_every_bad_file_is_listed():
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_each_problem_placed(name):
    f = [ImportedFile("schedule", name, (BAD / name).read_bytes())]
    with pytest.raises(ScheduleImportError) as exc:
        read(f, OPTS)
    err = exc.value
    assert isinstance(err, InputError) and err.source == name
    got = [(p.sheet, p.row, p.column, p.message) for p in err.problems]
    want = EXPECTED[name]
    assert len(got) == len(want), got
    for (sheet, row, column, message), (w_sheet, w_row, w_column, fragment) in zip(
        got, want, strict=True
    ):
        assert (sheet, row, column) == (w_sheet, w_row, w_column), (name, message)
        assert fragment in message, (name, message)
    assert "Traceback" not in str(err)
    # detect() reports the same problems without raising
    d = detect(f, OPTS)
    assert not d.ok and [p.message for p in d.problems] == [p.message for p in err.problems]


def test_a_problem_in_the_second_file_names_that_file():
    grades = BAD.parent / "grades.csv"
    f = [
        ImportedFile("schedule", "grades.csv", grades.read_bytes()),
        ImportedFile("schedule", "classes.csv", (BAD / "pay_not_a_number.csv").read_bytes()),
    ]
    with pytest.raises(ScheduleImportError) as exc:
        read(f, OPTS)
    assert "more than one table" not in str(exc.value)
    assert all(p.file in (None, "grades.csv", "classes.csv") for p in exc.value.problems)


def test_problems_are_capped_with_a_count_of_the_rest():
    rows = "\n".join(f"{i},Class {i},1,TBD" for i in range(1, 251))
    f = [ImportedFile("schedule", "many.csv", f"Code,Title,Step,Hourly Rate\n{rows}\n".encode())]
    with pytest.raises(ScheduleImportError) as exc:
        read(f, OPTS)
    assert exc.value.total == 250 and len(exc.value.problems) == 100
    assert "... and 150 more" in str(exc.value)


def test_two_files_with_one_name_and_an_empty_list():
    f = ImportedFile("schedule", "s.csv", (BAD.parent / "long_hourly.csv").read_bytes())
    with pytest.raises(ScheduleImportError, match="two files are named 's.csv'"):
        read([f, f], OPTS)
    with pytest.raises(ScheduleImportError, match="give the salary table"):
        read([], OPTS)


def test_a_missing_effective_date_is_read_from_the_title_row():
    f = [ImportedFile("schedule", "s.csv", (BAD.parent / "long_hourly.csv").read_bytes())]
    got = read(f, {"agency": "A"})
    assert {r.effective_date for r in got.result.salary_rates} == {date(2024, 7, 1)}
    assert any(
        "effective dates from the headings: 2024-07-01 (row 2: 'Salary Schedule - Hourly Rates, "
        "effective July 1, 2024')" in n
        for n in got.detection.notes
    )


def test_a_missing_effective_date_quotes_a_title_row_that_names_none():
    text = b"Salary Schedule - effective upon adoption\nCode,Title,Step,Hourly Rate\n1,A,1,20\n"
    with pytest.raises(ScheduleImportError) as exc:
        read([ImportedFile("schedule", "s.csv", text)], {"agency": "A"})
    (p,) = exc.value.problems
    assert p.message.startswith("no effective date: give the date the schedule took effect")
    assert "row 1 above the header says 'Salary Schedule - effective upon adoption'" in p.message


def test_a_header_period_that_contradicts_the_option():
    f = [ImportedFile("schedule", "s.csv", (BAD.parent / "long_hourly.csv").read_bytes())]
    with pytest.raises(ScheduleImportError) as exc:
        read(f, {**OPTS, "period": "monthly"})
    (p,) = exc.value.problems
    assert (p.row, p.column) == (4, "Hourly Rate*")
    assert "the header says hourly but the pay period given is monthly" in p.message


def test_a_file_given_a_role_it_does_not_have():
    f = [
        ImportedFile("classes", "grades.csv", (BAD.parent / "grades.csv").read_bytes()),
        ImportedFile("grades", "classes.csv", (BAD.parent / "classes.csv").read_bytes()),
    ]
    with pytest.raises(ScheduleImportError) as exc:
        read(f, OPTS)
    messages = [p.message for p in exc.value.problems]
    assert "given as the classes table, but it reads as a grade chart (wide)" in messages
    assert "given as the grades table, but it reads as a class list (class and grade, no pay)" in (
        messages
    )
