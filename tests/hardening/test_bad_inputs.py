"""The bad-input corpus (tests/bad_inputs/): every file fails with exactly one error of its
importer's type, naming the row and column to fix, and nothing is stored.

Each corpus file is listed below with the problems its error must hold: (row, column, text).
Row is the spreadsheet row (header = 1; None = the whole file), column the column (or, for a
scenario, the field path), text a fragment of the message. The list is exact: an importer that
reports an extra, unrelated problem fails the test, so a message stays about what to fix.
Files named accepted_* are hostile but legitimate (formula or SQL text in titles, SCO duplicate
rows): they are imported, stored verbatim and made safe at export instead.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import pytest

from analysis.roster import reader as roster_module
from analysis.roster.reader import RosterError
from analysis.scenario import ScenarioError, parse_scenario
from etl import defaults
from etl.errors import BargainError, GccImportError, InputError
from etl.gcc import archive as gcc_archive
from etl.gcc.importer import prepare
from etl.uploads.survey_template import SurveyImportError
from exports.tables import to_csv_bytes
from userdata import gcc, scenarios, survey_data

from .conftest import CORPUS, KINDS, import_upload, snapshot

ERRORS = {
    "roster_csv": RosterError,
    "roster_xlsx": RosterError,
    "survey_template": SurveyImportError,
    "sco_gcc": GccImportError,
    "scenario_json": ScenarioError,
}

FILE = None  # a problem with the whole file, not one row

EXPECTED: dict[str, list[tuple[int | None, str | None, str]]] = {
    # roster CSV --------------------------------------------------------------------------------
    "roster_csv/empty.csv": [(FILE, None, "the file is empty")],
    "roster_csv/header_only.csv": [(2, None, "the roster has no rows")],
    "roster_csv/semicolon_delimited.csv": [(1, None, "separated by semicolons (;), not commas")],
    "roster_csv/tab_delimited.csv": [(1, None, "separated by tabs, not commas")],
    "roster_csv/missing_fte_column.csv": [(1, "fte", "missing required column 'fte'")],
    "roster_csv/missing_count_and_id.csv": [(1, "count", "give 'count' (employees on each row)")],
    "roster_csv/repeated_column.csv": [(1, "fte", "column 'fte' appears twice (columns 4 and 6)")],
    "roster_csv/extra_cells_unquoted_comma.csv": [
        (2, "G", "value 'Accounts Payable' is in column G, which has no header")
    ],
    "roster_csv/wrong_type_fte.csv": [(2, "fte", "from 0.01 to 1: 'full' is not a number")],
    "roster_csv/wrong_type_count.csv": [(2, "count", "count must be a whole number")],
    "roster_csv/negative_fte.csv": [(2, "fte", "fte -0.5 is outside 0.01 to 1")],
    "roster_csv/negative_count.csv": [(2, "count", "(1 to 1,000,000), got '-3'")],
    "roster_csv/huge_count.csv": [(2, "count", "(1 to 1,000,000), got '1e300'")],
    "roster_csv/huge_fte.csv": [(2, "fte", "'1e309' is too large to be a number")],
    "roster_csv/unknown_agency.csv": [(2, "agency", "unknown agency 'Marin'")],
    "roster_csv/unknown_class.csv": [(2, "class_code", "unknown class '9999'")],
    "roster_csv/step_out_of_range.csv": [
        (2, "step", "step 'Z' is outside the range of class 0401")
    ],
    "roster_csv/duplicate_ids.csv": [(3, "id", "duplicate id 'E100' (first on row 2)")],
    "roster_csv/bad_date.csv": [(2, "next_step_date", "'next July' is not a date (write YYYY-MM")],
    "roster_csv/bad_flag.csv": [
        (3, "bilingual", "must be yes/no (or true/false, 1/0), got 'maybe'")
    ],
    "roster_csv/blank_required_cell.csv": [(2, "class_code", "class_code is missing")],
    "roster_csv/formula_text_fte.csv": [(2, "fte", "from 0.01 to 1: '=0.5*2' is not a number")],
    "roster_csv/formula_text_class.csv": [(2, "class_code", "unknown class '=HYPERLINK(")],
    "roster_csv/sql_in_class_code.csv": [
        (2, "class_code", 'unknown class "0401\'); DROP TABLE scenarios;--"')
    ],
    "roster_csv/non_utf8_bytes.csv": [
        (2, "class_code", "bytes 0x81, 0x8D are neither UTF-8 nor Windows-1252 text")
    ],
    "roster_csv/png_named_csv.csv": [(FILE, None, "this is a PNG image, not a table")],
    "roster_csv/utf16.csv": [(FILE, None, "UTF-16 ('Unicode Text'); save it as 'CSV UTF-8")],
    "roster_csv/zip_named_csv.csv": [
        (FILE, None, "this is a ZIP archive, not an Excel workbook (it holds readme.txt)")
    ],
    # the one cell parser's rules, column by column (etl/columns.py), and the one agency rule
    "roster_csv/tiny_fte.csv": [(2, "fte", "fte 1e-300 is outside 0.01 to 1")],
    "roster_csv/underscore_count.csv": [(2, "count", "'1_000' is not a number (no underscores")],
    "roster_csv/fullwidth_fte.csv": [(2, "fte", "(use the digits 0-9; this cell has other digit")],
    "roster_csv/arabic_indic_count.csv": [(2, "count", "'٣' is not a number (use the digits 0-9")],
    "roster_csv/decimal_comma_fte.csv": [(2, "fte", "'0,5' is not a number (a decimal comma?")],
    "roster_csv/ambiguous_date.csv": [(2, "next_step_date", "'01/02/03' has a short year")],
    "roster_csv/date_out_of_range.csv": [
        (2, "next_step_date", "2205-01-01 is outside 1900-01-01 to 2100-12-31")
    ],
    "roster_csv/bidi_in_class.csv": [(2, "class_code", "hidden text-direction control (U+202E)")],
    "roster_csv/control_char_in_id.csv": [(4, "id", "a control character (U+0007)")],
    "roster_csv/overlong_note.csv": [(2, "note", "203 characters long, more than 200")],
    "roster_csv/duplicate_ids_after_spaces.csv": [(3, "id", "duplicate id 'E1' (first on row 2)")],
    "roster_csv/agency_not_one.csv": [(3, "agency", "unknown agency 'City of Sonoma'")],
    # roster XLSX -------------------------------------------------------------------------------
    "roster_xlsx/formulas.xlsx": [
        (2, "fte", "cell D2 holds a formula (=0.5*2); the file must hold values"),
        (2, "note", "cell F2 holds a formula (=HYPERLINK("),
        (3, "count", "cell E3 holds a formula (=SUM(1,1))"),
    ],
    "roster_xlsx/missing_fte_column.xlsx": [(1, "fte", "missing required column 'fte'")],
    "roster_xlsx/wrong_type_fte.xlsx": [(2, "fte", "from 0.01 to 1: 'full' is not a number")],
    "roster_xlsx/negative_count.xlsx": [(2, "count", "(1 to 1,000,000), got -3")],
    "roster_xlsx/huge_count.xlsx": [(2, "count", "(1 to 1,000,000), got 1e+300")],
    "roster_xlsx/unknown_class.xlsx": [(2, "class_code", "unknown class '9999'")],
    "roster_xlsx/duplicate_ids.xlsx": [(3, "id", "duplicate id '100' (first on row 2)")],
    "roster_xlsx/sql_in_class_code.xlsx": [(2, "class_code", "DROP TABLE scenarios;--")],
    "roster_xlsx/stray_cell.xlsx": [(2, "G", "value 'see HR' is in column G, which has no header")],
    "roster_xlsx/empty_workbook.xlsx": [(1, None, "the roster has no header row")],
    "roster_xlsx/header_only.xlsx": [(2, None, "the roster has no rows")],
    "roster_xlsx/far_cell.xlsx": [(FILE, None, "the sheet has more than 500,000 rows")],
    "roster_xlsx/wide_row.xlsx": [(2, None, "the row has cells beyond column GR")],
    "roster_xlsx/truncated.xlsx": [(FILE, None, "the workbook is damaged or incomplete")],
    "roster_xlsx/csv_named_xlsx.xlsx": [(FILE, None, "named .xlsx but holds text, not a workbook")],
    "roster_xlsx/png_named_xlsx.xlsx": [(FILE, None, "this is a PNG image, not a table")],
    "roster_xlsx/bool_count.xlsx": [(2, "count", "True is a true/false cell, not a number")],
    "roster_xlsx/tiny_fte.xlsx": [(2, "fte", "fte 1e-300 is outside 0.01 to 1")],
    "roster_xlsx/date_in_fte.xlsx": [(2, "fte", "from 0.01 to 1: datetime.datetime(2005, 1, 1")],
    "roster_xlsx/ambiguous_date.xlsx": [(2, "next_step_date", "'01/02/03' has a short year")],
    "roster_xlsx/bidi_in_note.xlsx": [(2, "note", "hidden text-direction control (U+202E)")],
    "roster_xlsx/roster_sheet_second.xlsx": [(2, "step", "step 'Z' is outside the range")],
    # survey template ---------------------------------------------------------------------------
    "survey_template/empty.csv": [(FILE, None, "the file is empty")],
    "survey_template/header_only.csv": [(FILE, None, "the file has a header but no data rows")],
    "survey_template/semicolon_delimited.csv": [(1, None, "separated by semicolons (;)")],
    "survey_template/tab_delimited.csv": [(1, None, "separated by tabs, not commas")],
    "survey_template/missing_column.csv": [(1, None, "missing column(s): pay_period")],
    "survey_template/extra_column.csv": [(1, None, "unexpected column(s): notes")],
    "survey_template/repeated_column.csv": [(1, None, "column(s) named twice: pay")],
    "survey_template/short_row.csv": [(2, None, "has 5 cells; the header has 6 columns")],
    "survey_template/wrong_type_pay.csv": [(2, "pay", "'twenty-three' is not a number")],
    "survey_template/decimal_comma_pay.csv": [(2, "pay", "'23,45' is not a number")],
    "survey_template/negative_pay.csv": [(2, "pay", "-23.45 is not more than 0")],
    "survey_template/zero_pay.csv": [(2, "pay", "0 is not more than 0")],
    "survey_template/huge_pay.csv": [(2, "pay", "48,000.00 hourly is more than $2,000 an hour")],
    "survey_template/exponent_pay.csv": [(2, "pay", "'1e309' is too large to be a number")],
    "survey_template/unknown_pay_period.csv": [(2, "pay_period", "'weekly' is not one of hourly")],
    "survey_template/us_date.csv": [(2, "effective_date", "'07/01/2016' is not a date written")],
    "survey_template/impossible_date.csv": [
        (2, "effective_date", "'2016-02-30' is not a real date (day is out of range")
    ],
    "survey_template/duplicate_rows.csv": [(3, None, "repeats row 2 (same agency, class_title")],
    "survey_template/blank_title.csv": [(2, "class_title", "empty; a value is required")],
    "survey_template/overlong_title.csv": [
        (2, "class_title", "the text is 279 characters long, more than 200")
    ],
    "survey_template/formula_text_pay.csv": [(2, "pay", "'=1+1' is not a number")],
    "survey_template/png_named_csv.csv": [(FILE, None, "this is a PNG image, not a table")],
    "survey_template/xlsx_named_csv.csv": [
        (FILE, None, "an Excel workbook saved with a .csv name; rename it to .xlsx")
    ],
    "survey_template/utf16.csv": [(FILE, None, "the file is UTF-16")],
    # the shared encoding rule: mostly UTF-8 with stray bytes is refused at the row and column
    "survey_template/not_windows_1252.csv": [(2, "class_title", "neither UTF-8 nor Windows-1252")],
    # SCO Government Compensation in California (etl.gcc.importer.prepare: etl.gcc.reader.read_gcc
    # for every employer, then refused when no position is left) ------------------------------
    # ZIPs made to attack an unpacker: refused before anything is extracted (nothing is ever
    # unpacked by its own name: the CSV goes to a temporary file of the reader's naming)
    "sco_gcc/zip_path_traversal.zip": [
        (FILE, None, "the ZIP holds a file named '../../etc/passwd.csv', a path outside")
    ],
    "sco_gcc/zip_absolute_name.zip": [
        (FILE, None, "a file named '/tmp/2016_County.csv', a path outside the archive")
    ],
    "sco_gcc/zip_backslash_name.zip": [
        (FILE, None, "a file named '..\\\\..\\\\2016_County.csv', a path outside the archive")
    ],
    "sco_gcc/zip_in_zip.zip": [(FILE, None, "holds no CSV file (it holds 2016_County.zip)")],
    "sco_gcc/zip_encrypted_member.zip": [(FILE, None, "2016_County.csv in the ZIP is encrypted")],
    "sco_gcc/zip_bomb_500_mb.zip": [
        (FILE, None, "2016_County.csv compresses 344:1 (CSV text compresses about 13:1); refused")
    ],
    "sco_gcc/zip_bomb_lying_size.zip": [
        (FILE, None, "the ZIP is damaged or truncated (Bad CRC-32 for file '2016_County.csv')")
    ],
    "sco_gcc/empty.csv": [(FILE, None, "the CSV is empty")],
    "sco_gcc/header_only.csv": [(FILE, None, "the file has a header but no data rows")],
    "sco_gcc/template_given_as_sco.csv": [
        (FILE, None, "no header row naming Year, EmployerName, Position, MaxPositionSalary")
    ],
    "sco_gcc/semicolon_delimited.csv": [(1, None, "separated by semicolons (;), not commas")],
    "sco_gcc/missing_employer_column.csv": [(1, None, "missing required column(s): EmployerName")],
    "sco_gcc/bad_year.csv": [(2, "Year", "'20x6' is not a year from 2009 to next year")],
    "sco_gcc/year_out_of_range.csv": [(2, "Year", "'1850' is not a year from 2009")],
    "sco_gcc/wrong_type_salary.csv": [
        (2, "MaxPositionSalary", "'fifty-thousand' is not an amount of dollars")
    ],
    "sco_gcc/negative_salary.csv": [
        (2, "MaxPositionSalary", "1 row(s) skipped, MaxPositionSalary under $1,000 a year")
    ],
    "sco_gcc/huge_salary.csv": [
        (2, "MaxPositionSalary", "1 row(s) skipped, MaxPositionSalary over $4,160,000 a year")
    ],
    "sco_gcc/no_salary_ranges.csv": [
        (2, "MaxPositionSalary", "2 row(s) skipped, blank or zero MaxPositionSalary (rows 2, 3)")
    ],
    "sco_gcc/blank_employer.csv": [(2, "EmployerName", "1 row(s) skipped, blank EmployerName")],
    "sco_gcc/short_row.csv": [(2, None, "has 6 cells; the header has 8 columns")],
    "sco_gcc/formula_text_salary.csv": [
        (2, "MaxPositionSalary", "'=1+1' is not an amount of dollars")
    ],
    "sco_gcc/png_named_csv.csv": [(FILE, None, "not a CSV text file (binary content)")],
    "sco_gcc/zip_with_no_csv.zip": [(FILE, None, "the ZIP holds no CSV file (it holds readme")],
    "sco_gcc/zip_with_two_csvs.zip": [(FILE, None, "the ZIP holds 2 CSV files (2016_a.csv")],
    "sco_gcc/zip_bomb.zip": [(FILE, None, "compresses 294:1 (CSV text compresses about 13:1)")],
    "sco_gcc/truncated.zip": [(FILE, None, "the ZIP is damaged or truncated")],
    # scenario JSON (parsed, then costed over the illustrative roster) --------------------------
    "scenario_json/empty.json": [(FILE, None, "the scenario is empty")],
    "scenario_json/truncated.json": [(FILE, None, "not valid JSON: Expecting property name")],
    "scenario_json/not_an_object.json": [(FILE, None, "must be a JSON object, got list")],
    "scenario_json/missing_fields.json": [
        (FILE, "agency", "is required (text)"),
        (FILE, "start", "is required (a date, YYYY-MM-DD)"),
        (FILE, "years", "is required (a whole number)"),
    ],
    "scenario_json/unknown_field.json": [(FILE, "chnages", "unknown field (expected agency")],
    "scenario_json/bracketed_field_name.json": [(FILE, "changes[x]", "unknown field")],
    "scenario_json/wrong_type_years.json": [(FILE, "years", "must be a whole number, got 'two'")],
    "scenario_json/wrong_date_format.json": [
        (FILE, "start", "must be a date written YYYY-MM-DD, got 'July 1, 2004'")
    ],
    "scenario_json/wrong_type_bool.json": [(FILE, "step_movement", "must be true or false")],
    "scenario_json/negative_pct.json": [(FILE, "changes[0].pct", "must be more than -100")],
    "scenario_json/huge_years.json": [(FILE, "years", "must be 1 to 10, got 1000")],
    "scenario_json/huge_number.json": [(FILE, "rollups.medicare", "must be a number, got inf")],
    "scenario_json/huge_integer_literal.json": [(FILE, None, "a number is too long to read")],
    "scenario_json/integer_too_big_for_float.json": [
        (FILE, "overtime.*", "an integer too large to use")
    ],
    "scenario_json/start_out_of_range.json": [
        (FILE, "start", "must be between 1900-01-01 and 2100-12-31, got 9999-12-01")
    ],
    "scenario_json/unknown_change_type.json": [
        (FILE, "changes[0].type", "must be one of across_the_board")
    ],
    "scenario_json/change_type_not_text.json": [(FILE, "changes[0].type", "got ['premium']")],
    "scenario_json/duplicate_key.json": [(FILE, None, "key 'years' is given twice")],
    "scenario_json/duplicate_top_step.json": [
        (FILE, "changes[1].classes", "changes[0] already adds a top step")
    ],
    "scenario_json/unknown_agency.json": [(FILE, "agency", "no salary schedule for 'Marin'")],
    "scenario_json/premium_flag_not_in_roster.json": [
        (FILE, "changes[0].flag", "the roster has no yes/no column 'hazard'")
    ],
    "scenario_json/formula_text_pct.json": [
        (FILE, "changes[0].pct", "must be a number, got '=1+1'")
    ],
    "scenario_json/non_utf8_bytes.json": [(FILE, None, "the file is not UTF-8 text")],
    "scenario_json/png_named_json.json": [(FILE, None, "the file is not UTF-8 text")],
    "scenario_json/utf16.json": [(FILE, None, "the file is UTF-16")],
    # text by the cell parser's rules, plausible amounts and dates
    "scenario_json/surrogate_in_name.json": [
        (FILE, "name", "the text has an undecodable character (U+D800); retype it")
    ],
    "scenario_json/surrogate_in_label.json": [
        (FILE, "changes[0].label", "undecodable character (U+DCFF)")
    ],
    "scenario_json/surrogate_in_key.json": [(FILE, "'\\ud800'", "unknown field (expected agency")],
    "scenario_json/overlong_name.json": [(FILE, "name", "100,000 characters long, more than 100")],
    "scenario_json/bidi_in_description.json": [
        (FILE, "description", "hidden text-direction control (U+202E)")
    ],
    "scenario_json/control_char_in_flag.json": [
        (FILE, "changes[0].flag", "a control character (NUL)")
    ],
    "scenario_json/huge_one_time.json": [
        (FILE, "changes[0].amount", "must be at most 1,000,000, got 1e+300")
    ],
    "scenario_json/huge_pct.json": [(FILE, "changes[0].pct", "must be at most 100, got 150")],
    "scenario_json/premium_too_high.json": [
        (FILE, "changes[0].value", "must be at most 2,000, got 5,000")
    ],
    "scenario_json/effective_out_of_range.json": [
        (FILE, "changes[0].effective", "must be between 1900-01-01 and 2100-12-31, got 2500")
    ],
    "scenario_json/not_a_real_date.json": [
        (FILE, "changes[0].effective", "got '2005-02-30' (no such day)")
    ],
    "scenario_json/iso_week_date.json": [
        (FILE, "start", "must be a date written YYYY-MM-DD, got '2004-W27-4'")
    ],
}

ACCEPTED = (
    "survey_template/accepted_hostile_text.csv",
    "sco_gcc/accepted_duplicates_and_hostile_text.csv",
    "sco_gcc/accepted_undefined_windows_1252_bytes.csv",
    "sco_gcc/accepted_zip_with_macosx_fork.zip",
    "scenario_json/accepted_hostile_text.json",
)
SQL = "Robert'); DROP TABLE scenarios;--"


def _problems(exc: BargainError) -> list[tuple[int | None, str | None, str]]:
    """(row, column, message) of each problem, whatever the error type."""
    if isinstance(exc, InputError):
        return [(p.row, p.column, p.message) for p in exc.problems]
    raise AssertionError(f"not an importer's error: {exc!r}")


def _shown(exc: BargainError, row: int | None, column: str | None) -> str:
    """How the message introduces a problem: where it is, then a colon (the one format of
    etl.errors.InputError; a scenario names a change by index and type)."""
    if isinstance(exc, ScenarioError):
        if column is None:
            return "scenario: " if exc.total == 1 else "  "
        change = re.match(r"changes\[\d+\]", column)
        if change:
            return change.group(0)
        return f"field {column!r}: "
    where = [f"row {row}"] if row is not None else []
    if column:
        where.append(f"column {column!r}")
    return f"{', '.join(where)}: " if where else f"{exc.file}: "


def _corpus_files() -> set[str]:
    return {f"{kind}/{p.name}" for kind in KINDS for p in (CORPUS / kind).iterdir() if p.is_file()}


def test_every_corpus_file_has_an_expectation():
    files = _corpus_files()
    assert files == set(EXPECTED) | set(ACCEPTED), (
        f"unlisted: {sorted(files - set(EXPECTED) - set(ACCEPTED))}; "
        f"missing: {sorted(set(EXPECTED) | set(ACCEPTED) - files)}"
    )


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_gives_one_clear_error_and_stores_nothing(
    case, con, positions, sample_roster, user_db
):
    kind, name = case.split("/")
    data = (CORPUS / case).read_bytes()
    before = snapshot(user_db)
    with pytest.raises(BargainError) as info:
        import_upload(
            kind, data, name, con=con, positions=positions, roster=sample_roster, user_db=user_db
        )
    exc = info.value
    assert type(exc) is ERRORS[kind]
    got = _problems(exc)
    expected = EXPECTED[case]
    assert len(got) == len(expected), got
    message = str(exc)
    for (row, column, text), (g_row, g_column, g_message) in zip(expected, got, strict=True):
        assert (g_row, g_column) == (row, column), got
        assert text in g_message, got
        assert _shown(exc, row, column) in message
        assert text in message
    if kind not in ("scenario_json",):
        assert name in message  # the file is named
    assert "Traceback" not in message
    assert snapshot(user_db) == before


# Generated inputs: too large to commit, or built to trip a specific limit ----------------------


def _over_limit(kind: str) -> bytes:
    n = defaults.MAX_UPLOAD_BYTES + 1
    if kind == "roster_csv":
        head = b"agency,class_code,step,fte,count\n"
        return head + b"Sonoma,0401,A,1,1\n" * ((n - len(head)) // 18 + 1)
    if kind == "roster_xlsx":
        return b"PK\x03\x04" + bytes(n)
    if kind == "scenario_json":
        return b'{"agency": "Sonoma", "description": "' + b"x" * n + b'"}'
    return b"agency,class_title,pay,pay_period,effective_date,source\n" + b"x," * (n // 2)


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "sco_gcc"])
def test_files_over_the_upload_limit_are_refused_by_the_parser(
    kind, con, positions, sample_roster, user_db
):
    data = _over_limit(kind)
    assert len(data) > defaults.MAX_UPLOAD_BYTES
    name = (
        "big.xlsx"
        if kind == "roster_xlsx"
        else "big.json"
        if kind == "scenario_json"
        else "big.csv"
    )
    before = snapshot(user_db)
    with pytest.raises(ERRORS[kind]) as info:
        import_upload(
            kind, data, name, con=con, positions=positions, roster=sample_roster, user_db=user_db
        )
    # one limit for every upload, the one the upload widgets state
    assert f"over the {defaults.MAX_UPLOAD_MB} MB upload limit" in str(info.value)
    assert snapshot(user_db) == before


def test_a_state_controller_export_over_the_upload_limit_is_read(user_db):
    """The GCC route takes files of any size (up to the reader's cap on the uncompressed CSV):
    a 12 MB export imports; the same file over a (lowered) cap is refused, nothing stored."""
    head = b'"Year","EmployerType","EmployerName","Position","MaxPositionSalary"\r\n'
    rows = [
        f'"2016","County","Napa","Position {i}","{50000 + i}.00"\r\n'.encode()
        for i in range(200_000)
    ]
    data = head + b"".join(rows)
    assert len(data) > defaults.MAX_UPLOAD_BYTES
    prepared = prepare(data, "big.csv", agencies=["Napa County"])
    assert prepared.n_positions == 200_000 and prepared.size == len(data)
    before = snapshot(user_db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gcc_archive, "MAX_CSV_BYTES", defaults.MAX_UPLOAD_BYTES)
        with pytest.raises(GccImportError, match="the CSV is larger than"):
            prepare(data, "big.csv", agencies=["Napa County"])
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("2016_County.csv", data)
        with pytest.raises(GccImportError, match="refused as a possible ZIP bomb"):
            prepare(zipped.getvalue(), "big.zip", agencies=["Napa County"])
    assert snapshot(user_db) == before


def test_scenario_text_over_the_limit_is_refused():
    with pytest.raises(ScenarioError, match="10 MB upload limit"):
        parse_scenario(" " * (defaults.MAX_UPLOAD_BYTES + 1))


def test_the_limit_matches_the_app_config():
    import tomllib

    config = tomllib.loads((CORPUS.parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == defaults.MAX_UPLOAD_MB
    assert defaults.upload_too_large(defaults.MAX_UPLOAD_BYTES) is None
    assert "10 MB upload limit" in defaults.upload_too_large(defaults.MAX_UPLOAD_BYTES + 1)


@pytest.mark.parametrize("kind", ["roster_csv", "survey_template"])
def test_a_cell_longer_than_the_csv_field_limit(kind, con, positions, sample_roster, user_db):
    head = {
        "roster_csv": b"agency,class_code,step,fte,count\n",
        "survey_template": b"agency,class_title,pay,pay_period,effective_date,source\n",
    }[kind]
    data = head + b'"' + b"x" * 200_000 + b'",1,1,1,1\n'
    with pytest.raises(ERRORS[kind], match="field larger than field limit"):
        import_upload(
            kind,
            data,
            "long.csv",
            con=con,
            positions=positions,
            roster=sample_roster,
            user_db=user_db,
        )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (b'"' + b"x" * 200_000 + b'",1,1,1,1', "row 2: has 5 cells; the header has 4 columns"),
        (
            b'"2016","Napa","' + b"x" * 200_000 + b'","50000"',
            "row 2, column 'Position': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' is longer than",
        ),
        (
            b'"2016","Napa","' + b"x" * 5_000_000 + b'","50000"',
            "row 2: Maximum line size of 4000000 bytes exceeded",
        ),
    ],
)
def test_a_long_cell_of_a_state_controller_export(cells, expected, user_db):
    data = b'"Year","EmployerName","Position","MaxPositionSalary"\n' + cells + b"\n"
    before = snapshot(user_db)
    with pytest.raises(GccImportError) as info:
        prepare(data, "long.csv", agencies=None)
    assert expected in str(info.value) and len(str(info.value)) < 1000
    assert snapshot(user_db) == before


def test_deeply_nested_json():
    with pytest.raises(ScenarioError, match="nested too deeply"):
        parse_scenario("[" * 100_000 + "]" * 100_000)


def test_a_workbook_that_unpacks_beyond_the_bound(monkeypatch):
    wb = openpyxl.Workbook()
    wb.active.append(["agency", "class_code", "step", "fte", "count"])
    buf = io.BytesIO()
    wb.save(buf)
    monkeypatch.setattr(defaults, "MAX_XLSX_UNPACKED_BYTES", 1000)  # etl/uploads/reader.py reads it
    with pytest.raises(RosterError, match="the workbook unpacks to .* MB, more than"):
        roster_module.read_roster(buf.getvalue(), None, name="bomb.xlsx")


# Hostile but legitimate text: kept verbatim, stored through parameters, neutralized on export --


@pytest.mark.parametrize("case", ACCEPTED)
def test_formula_and_sql_text_is_kept_as_text_and_stored_safely(
    case, con, positions, sample_roster, user_db
):
    kind, name = case.split("/")
    before = snapshot(user_db)
    import_upload(
        kind,
        (CORPUS / case).read_bytes(),
        name,
        con=con,
        positions=positions,
        roster=sample_roster,
        user_db=user_db,
    )
    after = snapshot(user_db)
    # every table is still there and the earlier rows are untouched
    assert set(after) == set(before)
    for table, rows in before.items():
        if table not in ("sqlite_sequence",):
            assert set(rows) <= set(after[table]), table
    if kind == "scenario_json":
        assert scenarios.listing(user_db)["name"].tolist() == sorted(["Union first offer", SQL])
        saved = scenarios.load(SQL, user_db)
        assert saved["description"].startswith("=HYPERLINK(")
        assert saved["changes"][0]["label"] == "=cmd|' /C calc'!A0"
        return
    if kind == "sco_gcc":
        rows = gcc.rows(user_db)
        mine = rows[rows["file_name"] == name]
        if name.startswith("accepted_zip_with_macosx"):  # the resource fork is not the CSV
            assert mine[["position", "max_salary"]].values.tolist() == [
                ["Office Assistant II", 50000.0]
            ]
            return
        if name.startswith("accepted_undefined"):  # read as Latin-1's control characters
            assert mine["position"].tolist() == ["Office Assistant \x8f\x90"]
            return
        texts = set(mine["position"]) | set(mine["source"]) | set(mine["agency"])
    else:
        rows = survey_data.rows(user_db)
        mine = rows[rows["file_name"] == name]
        texts = set(mine["class_title"]) | set(mine["source"]) | set(mine["agency"])
    assert SQL in texts
    assert any(t.startswith("=HYPERLINK(") for t in texts)
    exported = to_csv_bytes(mine).decode("utf-8-sig")
    assert "'=HYPERLINK(" in exported and ",=HYPERLINK(" not in exported
    if kind == "sco_gcc":  # two incumbents, two ranges: a tie, the higher range is kept
        oa = mine[mine["position"] == "Office Assistant II"]
        assert oa[["incumbents", "max_salary", "ranges"]].values.tolist() == [[2, 51000.0, 2]]


def test_sql_text_in_a_scenario_name_round_trips(user_db):
    body = json.loads((CORPUS / "scenario_json" / "accepted_hostile_text.json").read_text())
    scenarios.save(SQL, body, user_db)
    scenarios.delete("x' OR '1'='1", user_db)  # deletes nothing
    assert set(scenarios.listing(user_db)["name"]) == {"Union first offer", SQL}
    assert scenarios.load(SQL, user_db) == body
