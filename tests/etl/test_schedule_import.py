"""The generic salary-table reader on tables in each published shape (tests/data/schedules/):
values, conversions, citations, step rules, documents and what `detect` reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl import pay
from etl.citations import SourceRef
from etl.schedule_import import (
    ScheduleImportError,
    agreement_id_for,
    detect,
    parse_mapping,
    parse_options,
    read,
    read_imported,
)
from etl.schedule_import.stored import Imported, ImportedFile

DATA = Path(__file__).resolve().parent.parent / "data" / "schedules"


def files(*names: str) -> list[ImportedFile]:
    return [ImportedFile("schedule", Path(n).name, (DATA / n).read_bytes()) for n in names]


def rates(got) -> dict[tuple[str, str, date], float]:
    return {(r.class_code, r.step, r.effective_date): r.hourly for r in got.result.salary_rates}


def rate(got, code: str, step: str, when: date | None = None):
    found = [
        r
        for r in got.result.salary_rates
        if r.class_code == code and r.step == step and (when is None or r.effective_date == when)
    ]
    assert len(found) == 1, found
    return found[0]


def line_of(got, ref: SourceRef) -> str:
    docs = {d[0]: d[4] for d in got.documents}
    return docs[ref.doc][ref.line - 1]


# Long --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_hourly():
    return read(files("long_hourly.csv"), {"agency": "Example", "effective": "2024-07-01"})


def test_long_form_with_titles_merged_cells_na_and_notes(long_hourly):
    got = long_hourly
    assert rates(got) == {
        ("1001", "1", date(2024, 7, 1)): 18.50,
        ("1001", "2", date(2024, 7, 1)): 19.43,
        ("1001", "3", date(2024, 7, 1)): 20.40,
        ("1001", "4", date(2024, 7, 1)): 21.42,
        ("1001", "5", date(2024, 7, 1)): 22.49,
        ("1002", "1", date(2024, 7, 1)): 20.00,
        ("1002", "2", date(2024, 7, 1)): 21.00,
        ("1002", "3", date(2024, 7, 1)): 22.05,  # step 4 is N/A: no such step
        ("1003", "1", date(2024, 7, 1)): 21.10,
        ("1003", "2", date(2024, 7, 1)): 22.16,  # "22.16*": the footnote marker dropped
        ("1003", "3", date(2024, 7, 1)): 23.27,
        ("1003", "4", date(2024, 7, 1)): 24.43,
        ("1003", "5", date(2024, 7, 1)): 25.65,
    }
    titles = {c.class_code: c.class_title for c in got.result.classes}
    assert titles == {
        "1001": "OFFICE ASSISTANT I",
        "1002": "OFFICE ASSISTANT II",  # a quoted title over two lines
        "1003": "ACCOUNT CLERK I",
    }
    assert all(not r.is_derived and r.derivation is None for r in got.result.salary_rates)


def test_every_value_cites_its_file_row_and_column(long_hourly):
    got = long_hourly
    r = rate(got, "1001", "2")
    assert str(r.source) == "upload0-long_hourly.csv:6 §column Hourly Rate*"
    assert line_of(got, r.source) == " |  | 2 | $19.43"  # the merged-looking row itself
    r = rate(got, "1003", "1")
    assert r.source.line == 15  # after the two-line cell (one row) and the repeated header
    assert line_of(got, r.source) == "1003 | ACCOUNT CLERK I | 1 | $21.10"
    cls = next(c for c in got.result.classes if c.class_code == "1002")
    assert cls.source.line == 10 and "OFFICE ASSISTANT II" in line_of(got, cls.source)
    for row in [*got.result.salary_rates, *got.result.classes]:
        assert line_of(got, row.source), row  # every citation lands on a row with text


def test_the_document_is_every_row_of_the_file(long_hourly):
    ((doc, agency, agreement_id, description, lines),) = long_hourly.documents
    assert (doc, agency) == ("upload0-long_hourly.csv", "Example")
    assert agreement_id == "imported-example-0"
    assert lines[0] == "COUNTY OF EXAMPLE" and lines[2] == ""
    assert lines[3] == "Class Code | Class Title | Step | Hourly Rate* | Notes"
    assert lines[-1] == "Source: Human Resources" and len(lines) == 22
    assert "long_hourly.csv" in description


def test_the_agreement_and_the_default_step_rule(long_hourly):
    (a,) = long_hourly.result.agreements
    assert (a.kind, a.has_salary_table, a.agency) == ("imported", True, "Example")
    assert a.term_start == a.term_end == date(2024, 7, 1)
    assert a.doc == "upload0-long_hourly.csv"
    (rule,) = long_hourly.result.step_rules
    assert rule.stated is False
    assert rule.steps == ("1", "2", "3", "4", "5") and rule.hire_step == "1"
    assert rule.first_advance_hours == rule.advance_hours == pay.HOURS_PER_YEAR
    assert rule.steps_per_advance == 1
    assert "assumed one step a year" in rule.notes[0]
    assert rule.citations == (("upload0-long_hourly.csv:4 §column Step", "steps 1, 2, 3, 4, 5"),)


def test_detection_says_what_was_read_and_skipped():
    d = detect(files("long_hourly.csv"), {"agency": "Example", "effective": "2024-07-01"})
    assert d.ok and d.shape == "long" and d.periods == ["hourly"]
    (t,) = d.tables
    assert t.header_row == 4 and t.used
    fields = {c.field: (c.column, c.letter) for c in t.columns}
    assert fields == {
        "class_code": ("Class Code", "A"),
        "class_title": ("Class Title", "B"),
        "step": ("Step", "C"),
        "pay": ("Hourly Rate*", "D"),
        "ignore": ("Notes", "E"),
    }
    assert "reads as pay" in next(c.reason for c in t.columns if c.field == "pay")
    assert t.first_rows[0] == (4, ("Class Code", "Class Title", "Step", "Hourly Rate*", "Notes"))
    assert t.first_rows[2] == (6, ("", "", "2", "$19.43", ""))
    text = "\n".join(d.lines())
    assert "row 14 (the header repeated)" in text
    assert "row 21 (a note or heading" in text and "row 22 (a note or heading" in text
    assert "read as the class above them" in text
    assert "encoding: UTF-8" in text


def test_long_xlsx_with_real_merged_cells_and_annual_pay():
    got = read(files("long_merged.xlsx"), {"agency": "LM", "effective": "2024-07-01"})
    r = rate(got, "5001", "3")
    assert r.hourly == pytest.approx(68796 / 2080)
    assert r.derivation == "annual 68,796.00 ÷ 2,080"
    assert r.is_derived is False
    assert str(r.source) == "upload0-long_merged.xlsx:6 §sheet Schedule, column Annual Salary"
    assert round(r.hourly * pay.HOURS_PER_YEAR, 2) == 68796  # the view gives back the print
    assert {c.class_code for c in got.result.classes} == {"5001", "5002"}


# Wide --------------------------------------------------------------------------------------------


def test_wide_monthly_needs_the_period_and_says_where_it_may_be():
    with pytest.raises(ScheduleImportError) as exc:
        read(files("wide_monthly.csv"), {"agency": "Sampleton", "effective": "2025-01-01"})
    (p,) = exc.value.problems
    assert (p.row, p.column) == (3, "Step 1")
    assert "does not say the pay period" in p.message
    assert "row 1 above the header says 'City of Sampleton - Monthly Salary Schedule'" in p.message


def test_wide_monthly():
    got = read(
        files("wide_monthly.csv"),
        {"agency": "Sampleton", "effective": "2025-01-01", "period": "monthly"},
    )
    r = rate(got, "2101", "1")
    assert r.hourly == pytest.approx(5123 * 12 / 2080)
    assert r.derivation == "monthly 5,123.00 × 12 ÷ 2,080"
    assert round(r.hourly * 2080 / 12, 2) == 5123.00
    assert str(r.source) == "upload0-wide_monthly.csv:4 §column Step 1"
    assert str(rate(got, "2101", "5").source) == "upload0-wide_monthly.csv:4 §column Step 5*"
    steps = {c: sorted(s for k, s, _ in rates(got) if k == c) for c in ("2103", "2104")}
    assert steps == {"2103": ["1", "2"], "2104": ["1", "2", "3", "4"]}  # 0, blank, N/A
    grades = {c.class_code: c.grade for c in got.result.classes}
    assert grades == {"2101": "30", "2102": "32", "2103": "20", "2104": "40"}
    assert got.summary.classes == 4 and got.summary.rates == 16


def test_wide_xlsx_with_letter_steps_and_a_notes_sheet():
    got = read(
        files("wide_letters.xlsx"),
        {"agency": "Water", "effective": "2024-07-01", "period": "biweekly"},
    )
    r = rate(got, "W-10", "E")
    assert r.hourly == pytest.approx(2431.01 / 80)
    assert r.derivation == "biweekly 2,431.01 ÷ 80"
    assert str(r.source) == "upload0-wide_letters.xlsx:4 §sheet Biweekly, column E¹"
    assert {s for k, s, _ in rates(got) if k == "4410"} == {"A", "B"}  # a code stored as 4410
    assert got.result.step_rules[0].steps == ("A", "B", "C", "D", "E")
    d = got.detection
    assert d.sheets == {"wide_letters.xlsx": ["Biweekly", "Notes"]}
    assert [(t.sheet, t.used) for t in d.tables] == [("Biweekly", True), ("Notes", False)]
    assert len(got.documents) == 1  # the Notes sheet is not a source


# Several dates, several periods ------------------------------------------------------------------


def test_dated_pay_columns_without_class_codes():
    opts = {
        "agency": "Dated",
        "mapping": ["pay@2023-07-01=Current monthly pay", "pay@2024-07-01=2024 monthly pay"],
    }
    got = read(files("dated_columns.csv"), opts)
    codes = {c.class_code: c.class_title for c in got.result.classes}
    assert codes == {
        "MAINTENANCE-WORKER-I": "Maintenance Worker I",
        "MAINTENANCE-WORKER-II": "Maintenance Worker II",
    }
    old = rate(got, "MAINTENANCE-WORKER-I", "1", date(2023, 7, 1))
    new = rate(got, "MAINTENANCE-WORKER-I", "1", date(2024, 7, 1))
    assert old.hourly == pytest.approx(3900 * 12 / 2080)
    assert new.hourly == pytest.approx(4017 * 12 / 2080)
    assert old.source.section == "column Current monthly pay"
    assert new.source.section == "column 2024 monthly pay" and new.source.line == 2
    (a,) = got.result.agreements
    assert (a.term_start, a.term_end) == (date(2023, 7, 1), date(2024, 7, 1))
    assert got.summary.derived_codes == 2
    assert any("codes derived from the titles" in n for n in got.detection.notes)
    fields = {c.field for c in got.detection.tables[0].columns}
    assert {"pay@2023-07-01", "pay@2024-07-01", "class_title", "step"} == fields


def test_derived_codes_are_stable_from_build_to_build():
    opts = {"agency": "Dated", "mapping": ["pay@2024-07-01=2024 monthly pay"]}
    first = read(files("dated_columns.csv"), opts)
    again = read(files("dated_columns.csv"), opts)
    assert rates(first) == rates(again)
    assert {r.class_code for r in first.result.salary_rates} == {
        "MAINTENANCE-WORKER-I",
        "MAINTENANCE-WORKER-II",
    }


def test_an_unmapped_pay_column_is_left_out_and_said_so():
    opts = {"agency": "Dated", "effective": "2024-07-01", "mapping": ["pay=2024 monthly pay"]}
    got = read(files("dated_columns.csv"), opts)
    assert {r.effective_date for r in got.result.salary_rates} == {date(2024, 7, 1)}
    assert any("not mapped, not read: 'Current monthly pay'" in n for n in got.detection.notes)


def test_the_same_pay_in_four_periods_is_read_once_and_cross_checked():
    got = read(files("long_periods.csv"), {"agency": "Parks", "effective": "2024-07-01"})
    assert rates(got) == {
        ("3001", "1", date(2024, 7, 1)): 16.00,
        ("3001", "2", date(2024, 7, 1)): 16.80,
        ("3002", "1", date(2024, 7, 1)): 24.00,
        ("3002", "2", date(2024, 7, 1)): 25.20,
    }
    checks = [c.column for c in got.detection.tables[0].columns if c.field == "check"]
    assert checks == ["Biweekly", "Monthly", "Annual"]
    assert {c.class_code for c in got.result.classes} == {"3001", "3002"}  # "Class" = code


def test_columns_that_disagree_are_refused():
    with pytest.raises(ScheduleImportError) as exc:
        read(files("bad/periods_disagree.csv"), {"agency": "P", "effective": "2024-07-01"})
    (p,) = exc.value.problems
    assert (p.row, p.column) == (3, "Monthly")
    assert "2,800.00 does not match 'Hourly' 16.80 (hourly) = 2,912.00 monthly" in p.message


# Grade chart and class list ----------------------------------------------------------------------


def test_grade_chart_and_class_list_as_two_files():
    got = read(
        files("grades.csv", "classes.csv"),
        {"agency": "Gradeville", "effective": "2015-07-01", "period": "hourly"},
    )
    assert got.detection.shape == "grades+classes"
    # Mendocino's printed S26B row, for ACCOUNT CLERK II (S503)
    assert [rates(got)[("S503", s, date(2015, 7, 1))] for s in "12345"] == [
        14.88,
        15.62,
        16.40,
        17.22,
        18.08,
    ]
    r = rate(got, "S503", "3")
    assert str(r.source) == "upload0-grades.csv:5 §column Step 3"
    assert line_of(got, r.source).startswith("S26B | 14.88 | 15.62 | 16.40")
    cls = {c.class_code: c for c in got.result.classes}
    assert cls["S503"].grade == "S26B" and cls["S503"].class_title == "ACCOUNT CLERK II"
    assert str(cls["S503"].source) == "upload0-classes.csv:4 §column Job Class Code"
    assert cls["S585"].class_title is None and cls["S585"].grade is None  # a code-only row
    assert not any(r.class_code == "S585" for r in got.result.salary_rates)
    assert [f.role for f in got.files] == ["grades", "classes"]
    assert sorted(d[0] for d in got.documents) == ["upload0-classes.csv", "upload0-grades.csv"]
    notes = "\n".join(got.detection.notes)
    assert "'Bi-wkly Step 1', 'Bi-wkly Step 5' are a second set of step columns" in notes
    assert "1 class of the class list has no grade (row 9)" in notes


def test_grade_chart_and_class_list_as_two_sheets_behind_a_cover():
    got = read(
        files("grade_chart.xlsx"),
        {"agency": "Gradeville", "effective": "2015-07-01", "period": "hourly"},
    )
    r = rate(got, "S535", "5")  # OFFICE ASSISTANT II, S24A
    assert r.hourly == 16.02
    assert str(r.source) == (
        "upload0-grade_chart-Attachment_B.xlsx:3 §sheet Attachment B, column Step 5"
    )
    docs = {d[0]: d[4] for d in got.documents}
    assert set(docs) == {
        "upload0-grade_chart-Attachment_B.xlsx",
        "upload0-grade_chart-Attachment_C.xlsx",
    }
    assert docs["upload0-grade_chart-Attachment_C.xlsx"][4] == "S535 | OFFICE ASSISTANT II | S24A"
    assert [f.role for f in got.files] == ["schedule"]  # one file, two sheets
    used = {t.sheet: t.used for t in got.detection.tables}
    assert used == {"Cover": False, "Attachment B": True, "Attachment C": True}


def test_sheets_can_be_named_and_a_missing_one_is_an_error():
    opts = {"agency": "G", "effective": "2015-07-01", "period": "hourly"}
    got = read(files("grade_chart.xlsx"), {**opts, "sheets": ["attachment b", "Attachment C"]})
    assert len(got.result.classes) == 4
    with pytest.raises(ScheduleImportError, match="no workbook has a sheet named 'Nope'"):
        read(files("grade_chart.xlsx"), {**opts, "sheets": ["Attachment B", "Nope"]})


def test_a_grade_chart_alone_asks_for_the_class_list():
    with pytest.raises(ScheduleImportError, match="no class list mapping each class"):
        read(files("grades.csv"), {"agency": "G", "effective": "2015-07-01", "period": "hourly"})


def test_a_class_in_a_grade_not_in_the_chart():
    with pytest.raises(ScheduleImportError) as exc:
        read(
            files("grades.csv", "bad/classes_unknown_grade.csv"),
            {"agency": "G", "effective": "2015-07-01", "period": "hourly"},
        )
    (p,) = exc.value.problems
    assert (p.file, p.row) == ("classes_unknown_grade.csv", 3)
    assert "S999 is in grade S99Z, which is not in the grade chart" in p.message
    assert str(exc.value).startswith("grades.csv, classes_unknown_grade.csv: classes_unknown_")


# Step rules and options --------------------------------------------------------------------------


def test_a_stated_step_rule():
    got = read(
        files("neighbor_county.csv"),
        {
            "agency": "Neighbor",
            "effective": "2016-07-01",
            "period": "hourly",
            "steps": "A,B,C,D,E",
            "months_between_steps": 18,
            "first_step_months": 6,
            "steps_per_advance": 2,
        },
    )
    (rule,) = got.result.step_rules
    assert rule.stated is True
    assert rule.first_advance_hours == 1040 and rule.advance_hours == 3120
    assert rule.steps_per_advance == 2 and rule.hire_step == "A"
    assert rule.citations[0][0] == "upload0-neighbor_county.csv:3 §column Step A…Step E"


def test_steps_not_in_the_given_order_are_refused_once_per_column():
    with pytest.raises(ScheduleImportError) as exc:
        read(
            files("neighbor_county.csv"),
            {"agency": "N", "effective": "2016-07-01", "period": "hourly", "steps": "1,2,3"},
        )
    assert exc.value.total == 5
    p = exc.value.problems[0]
    assert p.column == "Step A"
    assert "step 'A' (rows 4-10) is not one of the steps given" in p.message


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({"agency": ""}, "give the agency"),
        ({"agency": "A", "effective": "2024-13-01"}, "not a real date"),
        ({"agency": "A", "effective": "7/1/24"}, "YYYY-MM-DD"),
        ({"agency": "A", "period": "weekly"}, "not one of hourly, biweekly, monthly, annual"),
        ({"agency": "A", "mapping": ["salary=Pay"]}, "'salary' is not a field"),
        ({"agency": "A", "mapping": ["step@2024-01-01=Step"]}, "only pay takes a date"),
        ({"agency": "A", "mapping": ["pay=A", "pay=B"]}, "pay is mapped to more than one"),
        ({"agency": "A", "mapping": ["pay=Rate", "step=rate"]}, "mapped to more than one field"),
        ({"agency": "A", "steps": "1,2,2"}, "a step is listed twice"),
        ({"agency": "A", "months_between_steps": 0}, "not between 0 and 120"),
        ({"agency": "A", "steps_per_advance": "x"}, "not a number"),
        ({"agency": "A", "steps": "A,B", "hire_step": "C"}, "not one of the steps"),
        ({"agency": "A", "colour": "red"}, "unknown option"),
        ({"agency": "A", "term_start": "2025-01-01", "term_end": "2024-01-01"}, "before"),
        ({"agency": "x" * 101}, "characters long"),
    ],
)
def test_bad_options_are_named(raw, says):
    _, problems = parse_options(raw)
    assert any(says in p.message for p in problems), problems


def test_options_round_trip_through_json():
    import json

    opts, problems = parse_options(
        {
            "agency": " Neighbor  County ",
            "effective": "2016-07-01",
            "mapping": ["pay@2024-07-01=2024 monthly pay", "class_title = Job Title"],
            "steps": "A, B, C",
            "months_between_steps": "12",
            "sheets": ["Schedule"],
        }
    )
    assert problems == []
    assert opts.agency == "Neighbor County" and opts.steps == ("A", "B", "C")
    assert opts.mapping[0].date == date(2024, 7, 1) and opts.mapping[1].header == "Job Title"
    again, _ = parse_options(json.loads(json.dumps(opts.to_dict())))
    assert again == opts
    assert str(parse_mapping("pay@2024-07-01= 2024 monthly pay")) == (
        "pay@2024-07-01=2024 monthly pay"
    )


def test_an_explicit_mapping_overrides_the_header_names():
    text = b"Ref,Name,Lvl,Amount per hour\nX1,Clerk,1,20.00\nX1,Clerk,2,21.00\n"
    f = [ImportedFile("schedule", "odd.csv", text)]
    with pytest.raises(ScheduleImportError):
        read(f, {"agency": "Odd", "effective": "2024-07-01"})
    got = read(
        f,
        {
            "agency": "Odd",
            "effective": "2024-07-01",
            "mapping": ["class_code=Ref", "class_title=Name", "step=Lvl"],
        },
    )
    assert rates(got) == {("X1", "1", date(2024, 7, 1)): 20.0, ("X1", "2", date(2024, 7, 1)): 21.0}
    reasons = {c.field: c.reason for c in got.detection.tables[0].columns}
    assert reasons["class_code"] == "mapped with class_code=Ref"
    assert "reads as pay" in reasons["pay"]


# Identity and storage ----------------------------------------------------------------------------


def test_agreement_ids():
    assert agreement_id_for("Neighbor County", 7) == "imported-neighbor-county-7"
    assert agreement_id_for("City of San José", 2) == "imported-city-of-san-jos-2"
    assert agreement_id_for("!!!", 3) == "imported-agency-3"


def test_read_imported_uses_the_stored_ids_and_options():
    item = Imported(
        import_id=12,
        agency="Neighbor County",
        agreement_id="imported-neighbor-county-12",
        title="Neighbor County classified schedule",
        options={"agency": "ignored", "effective": "2016-07-01", "period": "hourly"},
        files=tuple(files("neighbor_county.csv")),
        imported_at="2024-01-01T00:00:00",
        imported_by="local",
    )
    got = read_imported(item)
    (a,) = got.result.agreements
    assert (a.agency, a.agreement_id, a.title) == (
        "Neighbor County",
        "imported-neighbor-county-12",
        "Neighbor County classified schedule",
    )
    assert all(r.source.doc == "upload12-neighbor_county.csv" for r in got.result.salary_rates)
    assert got.documents[0][0] == "upload12-neighbor_county.csv"


def test_windows_1252_file_is_read_and_said_so():
    got = read(files("windows1252.csv"), {"agency": "C", "effective": "2024-07-01"})
    assert {c.class_title for c in got.result.classes} == {
        "Café Attendant",
        "Señor Groundskeeper – Lead",
    }
    assert got.detection.tables[0].encoding == "windows-1252"
    assert any("Windows-1252" in line for line in got.detection.lines())


def test_a_header_over_two_rows():
    got = read(
        files("two_row_header.csv"), {"agency": "T", "effective": "2024-07-01", "period": "hourly"}
    )
    assert rates(got)[("0402", "4", date(2024, 7, 1))] == 25.47
    assert str(rate(got, "0401", "1").source) == "upload0-two_row_header.csv:4 §column 1"
    (t,) = got.detection.tables
    assert t.header_row == 3 and t.first_rows[0] == (
        3,
        ("Class Code", "Class Title", "1", "2", "3", "4"),
    )
    assert got.documents[0][4][1:3] == ["Class Code | Class Title | Steps", " |  | 1 | 2 | 3 | 4"]
    assert any("the header takes two rows (2 and 3)" in n for n in got.detection.notes)


def test_a_data_row_of_small_numbers_and_letters_is_not_the_header():
    text = "Class Code,Class Title,Step,Hourly Raté\n1,A,1,20\n1,A,2,21\n2,B,1,30\n".encode()
    got = read(
        [ImportedFile("schedule", "s.csv", text)], {"agency": "S", "effective": "2024-07-01"}
    )
    (t,) = got.detection.tables
    assert t.header_row == 1
    assert {c.field: c.column for c in t.columns}["pay"] == "Hourly Raté"  # accents folded
    assert rates(got) == {
        ("1", "1", date(2024, 7, 1)): 20.0,
        ("1", "2", date(2024, 7, 1)): 21.0,
        ("2", "1", date(2024, 7, 1)): 30.0,
    }
