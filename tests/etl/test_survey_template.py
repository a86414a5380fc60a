"""The survey template (etl.uploads.survey_template): every bad cell named by row and column, the
one problem toolkit's messages, and any bytes give rows or a SurveyImportError."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import defaults
from etl.errors import BargainError, InputError
from etl.uploads import survey_template as sv
from etl.uploads.survey_template import SurveyImportError, parse_survey_csv
from userdata import survey_data

HEADER = "agency,class_title,pay,pay_period,effective_date,source"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _error(data: bytes, name: str = "napa.csv") -> SurveyImportError:
    with pytest.raises(SurveyImportError) as info:
        parse_survey_csv(data, name)
    assert str(info.value).startswith(f"{name}: ")
    assert isinstance(info.value, BargainError) and isinstance(info.value, InputError)
    return info.value


# The template --------------------------------------------------------------------------------


def test_template_file_parses_and_annualizes():
    df = parse_survey_csv(sv.SURVEY_TEMPLATE.read_bytes(), "survey_template.csv")
    assert list(df.columns) == survey_data.COLUMNS
    assert df["agency"].tolist() == ["Example County", "City of Example"]
    assert df["annual"].tolist() == [round(23.45 * 2080, 2), 4100.00 * 12]
    assert df["pay_period"].tolist() == ["hourly", "monthly"]
    assert df["effective_date"].tolist() == [date(2016, 7, 1), date(2016, 7, 1)]
    assert df["row_no"].tolist() == [2, 3]  # the header is row 1
    assert df["source"].str.contains("ILLUSTRATIVE").all()


def test_every_pay_period(tmp_path):
    df = parse_survey_csv(
        _csv(
            "Napa County,Account Clerk II,25.00,hourly,2016-07-01,napa schedule p. 2",
            'Napa County,Account Clerk I,"$1,900.50",biweekly,2016-07-01,napa schedule p. 2',
            "Napa County,Account Clerk III,4500,monthly,2016-07-01,napa schedule p. 2",
            'Napa County,Accountant,"61,000",annual,2016-07-01,napa schedule p. 3',
            " Napa County , Planner  II ,30,HOURLY,2016-07-01,napa schedule p. 4",
        ),
        "napa.csv",
    )
    assert df["annual"].tolist() == [25.00 * 2080, 1900.50 * 26, 4500 * 12, 61000.0, 30 * 2080]
    assert df["class_title"].iloc[-1] == "Planner II"  # spaces tidied
    assert df["pay_period"].iloc[-1] == "hourly"
    upload_id = survey_data.save("napa.csv", "template", df, tmp_path / "u.sqlite")
    stored = survey_data.rows(tmp_path / "u.sqlite")
    assert (stored["upload_id"] == upload_id).all() and len(stored) == 5


def test_windows_1252_and_bom_are_read():
    row = "Condado de Peñasco,Técnico II,20,hourly,2016-07-01,schedule"
    cp1252 = parse_survey_csv(_csv(row).decode().encode("windows-1252"), "x.csv")
    assert cp1252["agency"].iloc[0] == "Condado de Peñasco"
    bom = parse_survey_csv(b"\xef\xbb\xbf" + _csv(row), "x.csv")
    assert bom["class_title"].iloc[0] == "Técnico II"


def test_formula_looking_text_is_kept_as_text():
    df = parse_survey_csv(
        _csv("Napa County,\"=cmd|' /C calc'!A0\",20,hourly,2016-07-01,@SUM(A1)"), "x.csv"
    )
    assert df["class_title"].iloc[0] == "=cmd|' /C calc'!A0"
    assert df["source"].iloc[0] == "@SUM(A1)"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"  \r\n \n", "the file is empty"),
        (HEADER.encode() + b"\n", "header but no data rows"),
        (HEADER.encode() + b"\n,,,,,\n", "header but no data rows"),
        ("agency,x".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00\x00binary", "a .csv name"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (HEADER.encode() + b"\nNapa \x81\xe9,Clerk,20,hourly,2016-07-01,s\n", "neither UTF-8 nor"),
    ],
)
def test_unreadable_files(data, expected):
    assert expected in str(_error(data))


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_wrong_delimiter_is_named(sep, name):
    data = _csv(
        sep.join(["Napa County", "Clerk", "20", "hourly", "2016-07-01", "s"]),
        header=HEADER.replace(",", sep),
    )
    err = _error(data)
    assert name in str(err) and "row 1" in str(err)


def test_missing_extra_and_repeated_columns():
    err = _error(_csv("Napa,Clerk,20,hourly,2016-07-01", header=HEADER.rsplit(",", 1)[0]))
    assert "row 1: missing column(s): source" in str(err)
    err = _error(_csv("Napa,Clerk,20,hourly,2016-07-01,s,x", header=HEADER + ",notes"))
    assert "row 1: unexpected column(s): notes" in str(err)
    err = _error(_csv("Napa,Clerk,20,hourly,2016-07-01,s,s", header=HEADER + ",source"))
    assert "named twice: source" in str(err)


@pytest.mark.parametrize(
    ("row", "where", "what"),
    [
        (
            "Napa County,Clerk,abc,hourly,2016-07-01,s",
            "row 2, column 'pay'",
            "'abc' is not a number",
        ),
        ('Napa County,Clerk,"23,45",hourly,2016-07-01,s', "row 2, column 'pay'", "not a number"),
        ("Napa County,Clerk,,hourly,2016-07-01,s", "row 2, column 'pay'", "empty"),
        (
            "Napa County,Clerk,-5,hourly,2016-07-01,s",
            "row 2, column 'pay'",
            "-5 is not more than 0",
        ),
        ("Napa County,Clerk,0,hourly,2016-07-01,s", "row 2, column 'pay'", "not more than 0"),
        ("Napa County,Clerk,2500,hourly,2016-07-01,s", "row 2, column 'pay'", "$2,000 an hour"),
        ("Napa County,Clerk,9000000,annual,2016-07-01,s", "row 2, column 'pay'", "$2,000 an hour"),
        ("Napa County,Clerk,20,weekly,2016-07-01,s", "row 2, column 'pay_period'", "'weekly'"),
        ("Napa County,Clerk,20,hourly,7/1/2016,s", "row 2, column 'effective_date'", "YYYY-MM-DD"),
        ("Napa County,Clerk,20,hourly,2016-02-30,s", "row 2, column 'effective_date'", "real date"),
        ("Napa County,Clerk,20,hourly,,s", "row 2, column 'effective_date'", "empty"),
        (",Clerk,20,hourly,2016-07-01,s", "row 2, column 'agency'", "empty"),
        ("Napa County,,20,hourly,2016-07-01,s", "row 2, column 'class_title'", "empty"),
        ("Napa County,Clerk,20,hourly,2016-07-01,", "row 2, column 'source'", "empty"),
        ("Napa County,Clerk,20,hourly,2016-07-01", "row 2", "has 5 cells"),
    ],
)
def test_each_bad_cell_names_row_and_column(row, where, what):
    message = str(_error(_csv(row)))
    assert where in message and what in message


def test_duplicates_and_multiline_cells_count_spreadsheet_rows():
    data = _csv(
        'Napa County,Clerk,20,hourly,2016-07-01,"schedule,\npage 2"',  # one row, two lines
        "napa county,CLERK,21,hourly,2016-07-01,another source",
        "Napa County,Clerk,abc,hourly,2016-07-02,s",
    )
    message = str(_error(data))
    assert "row 3: repeats row 2" in message
    assert "row 4, column 'pay'" in message


def test_problems_are_collected_up_to_the_limit_and_nothing_is_returned():
    n = defaults.MAX_PROBLEMS + 5
    rows = [f"Napa County,Clerk {i},x{i},hourly,2016-07-01,s" for i in range(n)]
    err = _error(_csv("Napa County,Good,20,hourly,2016-07-01,s", *rows))
    assert len(err.problems) == defaults.MAX_PROBLEMS and err.total == n
    assert f"{n} problems" in str(err) and "and 5 more" in str(err)
    assert "row 3, column 'pay'" in str(err)


# Any bytes: a DataFrame or a SurveyImportError, never another exception -------------------


def _csv_text(header: str, rows: list[tuple[str, ...]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header.split(","))
    w.writerows(rows)
    return buf.getvalue()


# Rows that are sometimes valid and often wrong in one cell, in both formats and encodings.
_template_rows = st.tuples(
    st.sampled_from(["Napa County", "", "=cmd", "Condado de Peñasco"]),
    st.text(max_size=10),
    st.sampled_from(["20", "$1,000.00", "-1", "0", "abc", "2500", "1e3", "23,45", "nan"]),
    st.sampled_from(["hourly", "annual", "Weekly", ""]),
    st.sampled_from(["2016-07-01", "2016-02-30", "7/1/2016", ""]),
    st.text(max_size=5),
)
_uploads = st.one_of(
    st.binary(max_size=400),
    st.lists(_template_rows, max_size=5).map(lambda rows: _csv_text(HEADER, rows).encode("utf-8")),
    st.text(max_size=200).map(lambda t: (HEADER + "\n" + t).encode("utf-16")),
)


@settings(max_examples=300, deadline=None)
@given(_uploads)
def test_any_bytes_give_rows_or_a_survey_import_error(data):
    try:
        df = parse_survey_csv(data, "fuzz.csv")
    except SurveyImportError as exc:
        assert str(exc).startswith("fuzz.csv: ")
    else:
        assert isinstance(df, pd.DataFrame) and len(df) > 0
        assert set(survey_data.COLUMNS) <= set(df.columns)
        assert (df["annual"] > 0).all()


def test_a_workbook_reads_like_the_csv():
    """The template goes through the one upload reader: an XLSX with typed cells (a number,
    a date cell) gives the same rows as the CSV; a formula is refused at its cell."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(sv.TEMPLATE_COLUMNS)
    ws.append(["Napa County", "ACCOUNT CLERK II", 23.45, "hourly", date(2016, 7, 1), "p. 4"])
    buf = io.BytesIO()
    wb.save(buf)
    df = parse_survey_csv(buf.getvalue(), "napa.xlsx")
    assert df[["agency", "pay", "annual", "effective_date", "row_no"]].values.tolist() == [
        ["Napa County", 23.45, round(23.45 * 2080, 2), date(2016, 7, 1), 2]
    ]
    ws["C2"] = "=20+3.45"
    buf = io.BytesIO()
    wb.save(buf)
    err = _error(buf.getvalue(), "napa.xlsx")
    assert "cell C2 holds a formula" in str(err)
