"""Survey network, benchmark coverage and the two survey upload formats."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import surveys as sv
from analysis.surveys import SurveyImportError, parse_sco_gcc, parse_survey_csv
from etl import agency_names
from etl.errors import BargainError
from userdata import survey_data

SCO_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sco_gcc_sample.csv"
HEADER = "agency,class_title,pay,pay_period,effective_date,source"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _error(data: bytes, name: str = "napa.csv") -> SurveyImportError:
    with pytest.raises(SurveyImportError) as info:
        parse_survey_csv(data, name)
    assert str(info.value).startswith(f"{name}: ")
    assert isinstance(info.value, BargainError)
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
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00\x00binary", "not a text CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text CSV"),
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
        ("Napa County,Clerk,20,hourly,2016-02-30,s", "row 2, column 'effective_date'", "calendar"),
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


def test_problems_are_collected_up_to_ten_and_nothing_is_returned():
    rows = [f"Napa County,Clerk {i},x{i},hourly,2016-07-01,s" for i in range(15)]
    err = _error(_csv("Napa County,Good,20,hourly,2016-07-01,s", *rows))
    assert len(err.problems) == sv.MAX_PROBLEMS and err.total == 15
    assert "15 problems" in str(err) and "and 5 more" in str(err)
    assert "row 3, column 'pay'" in str(err)


# The State Controller's export ---------------------------------------------------------------


def test_sco_sample_parses():
    data = SCO_SAMPLE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the sample is really Windows-1252, as SCO publishes
    df = parse_sco_gcc(data, "sco_gcc_sample.csv")
    assert list(df.columns) == [*survey_data.COLUMNS, "records"]
    by = {(r.agency, r.class_title, r.effective_date.year): r for r in df.itertuples()}
    oa = by[("Napa County", "Office Assistant II", 2016)]
    # two incumbents (Health & Human Services 50,000; Public Works 51,000): the max, and a count
    assert (oa.pay, oa.annual, oa.records, oa.pay_period) == (51000.0, 51000.0, 2, "annual")
    assert oa.effective_date == date(2016, 7, 1)
    assert "2016" in oa.source and "sco_gcc_sample.csv" in oa.source
    assert ("City of Ukiah", "Account Clerk II", 2016) in by
    assert ("Napa County", "Protégé Program Coordinator", 2016) in by  # é from Windows-1252
    # the 2009 section has its own, shorter header (no EmployerCounty, IncludesUnfunded...)
    assert by[("Napa County", "Office Assistant II", 2009)].pay == 44000.0
    assert by[("Napa County", "Accountant I", 2009)].row_no == 10
    # the elected Supervisor has no salary range: left out and counted
    assert df.attrs["skipped"] == 1
    assert len(df) == 6
    # stored like any other upload
    assert set(survey_data.COLUMNS) <= set(df.columns)


def test_sco_sample_reads_the_same_in_utf8():
    text = SCO_SAMPLE.read_bytes().decode("windows-1252")
    a = parse_sco_gcc(SCO_SAMPLE.read_bytes(), "s.csv")
    b = parse_sco_gcc(text.encode("utf-8"), "s.csv")
    pd.testing.assert_frame_equal(a, b)


def test_sco_older_year_alone_and_column_order():
    data = (
        '"Position","MaxPositionSalary","EmployerName","Year"\r\n'
        '"Planner I","60000","Lake","2010"\r\n'
    ).encode("windows-1252")
    df = parse_sco_gcc(data, "old.csv")
    # without EmployerType the name is kept as printed
    assert df[["agency", "class_title", "annual"]].values.tolist() == [
        ["Lake", "Planner I", 60000.0]
    ]


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Napa", "County", "Napa County"),
        ("Napa County", "County", "Napa County"),
        ("Ukiah", "City", "City of Ukiah"),
        ("City of Ukiah", "City", "City of Ukiah"),
        ("Mendocino County Russian River Flood Control", "Special District", None),
    ],
)
def test_sco_agency_name(name, kind, expected):
    assert agency_names.sco_agency_name(name, kind) == (expected or name)


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ('"2016","County","Napa","PW","Clerk","abc"', "row 2, column 'MaxPositionSalary'"),
        ('"20x6","County","Napa","PW","Clerk","50000"', "row 2, column 'Year'"),
        ('"2016","County","","PW","Clerk","50000"', "row 2, column 'EmployerName'"),
        ('"2016","County","Napa","PW","Clerk"', "row 2: has 5 cells"),
    ],
)
def test_sco_bad_rows(line, where):
    header = '"Year","EmployerType","EmployerName","DepartmentOrSubdivision","Position",'
    header += '"MaxPositionSalary"'
    with pytest.raises(SurveyImportError) as info:
        parse_sco_gcc(f"{header}\r\n{line}\r\n".encode(), "gcc.csv")
    assert where in str(info.value)


def test_sco_wrong_file():
    with pytest.raises(SurveyImportError, match="row 1: missing column.*MaxPositionSalary"):
        parse_sco_gcc(sv.SURVEY_TEMPLATE.read_bytes(), "survey_template.csv")
    with pytest.raises(SurveyImportError, match="no row has a salary range"):
        parse_sco_gcc(b"Year,EmployerName,Position,MaxPositionSalary\n2016,Napa,Clerk,0\n", "z")


# Any bytes: a DataFrame or a SurveyImportError, never another exception ----------------------


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
_sco_rows = st.tuples(
    st.sampled_from(["2016", "2009", "20x6", ""]),
    st.sampled_from(["County", "City", ""]),
    st.sampled_from(["Napa", "Ukiah", ""]),
    st.text(max_size=8),
    st.sampled_from(["50000", "0", "", "abc", "$51,000.00", "99999999"]),
)
_SCO_HEADER = "Year,EmployerType,EmployerName,Position,MaxPositionSalary"
_uploads = st.one_of(
    st.binary(max_size=400),
    st.lists(_template_rows, max_size=5).map(lambda rows: _csv_text(HEADER, rows).encode("utf-8")),
    st.lists(_sco_rows, max_size=5).map(
        lambda rows: _csv_text(_SCO_HEADER, rows).encode("windows-1252", "replace")
    ),
    st.text(max_size=200).map(lambda t: (HEADER + "\n" + t).encode("utf-16")),
)


@settings(max_examples=300, deadline=None)
@given(_uploads)
def test_any_bytes_give_rows_or_a_survey_import_error(data):
    for parse in (parse_survey_csv, parse_sco_gcc):
        try:
            df = parse(data, "fuzz.csv")
        except SurveyImportError as exc:
            assert str(exc).startswith("fuzz.csv: ")
        else:
            assert isinstance(df, pd.DataFrame) and len(df) > 0
            assert set(survey_data.COLUMNS) <= set(df.columns)
            assert (df["annual"] > 0).all()


# Survey network and coverage -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sonoma County", "Sonoma"),
        ("County of Sonoma", "Sonoma"),
        ("sonoma", "Sonoma"),
        ("Contra Costa County", "Contra Costa"),
        ("Mendocino County", "Mendocino"),
        ("City of Santa Rosa", None),  # a city in Sonoma County is not the county
        ("Napa County", None),
        ("Sonoma County Water Agency", None),
    ],
)
def test_loaded_agency_for(name, expected):
    assert agency_names.county_agency_for(name, ["Sonoma", "Mendocino", "Contra Costa"]) == expected


def test_same_agency():
    assert agency_names.same_agency("Napa County", "County of Napa")
    assert agency_names.same_agency("Napa", "napa county")
    assert not agency_names.same_agency("City of Napa", "Napa County")


def test_survey_network(con):
    edges = sv.survey_network(con)
    assert {"agency", "survey_agency", "purpose", "source_ref"} <= set(edges.columns)
    mendo = edges[edges["agency"] == "Mendocino"]
    # 7.2: ten agencies, Sonoma County among them and loaded with its salary table
    assert mendo["survey_agency"].nunique() == 10
    sonoma = mendo[mendo["survey_agency"] == "Sonoma County"].iloc[0]
    assert sonoma["loaded_agency"] == "Sonoma" and sonoma["has_salary_data"]
    assert sonoma["source_ref"].startswith("mendocino_seiu1021_mou_2015_2017.txt:")
    cc = edges[edges["survey_agency"] == "Contra Costa County"]
    assert set(cc["agency"]) == {"Sonoma"} and not cc["has_salary_data"].any()
    assert edges.loc[edges["survey_agency"] == "City of Ukiah", "loaded_agency"].iloc[0] is None

    nodes = sv.network_nodes(con).set_index("node")
    assert nodes.loc["Sonoma", "surveyed_by"] == "Mendocino"
    assert nodes.loc["Mendocino", "surveys"] == 10
    assert nodes.loc["Contra Costa", "kind"] == "loaded agreement"
    assert not nodes.loc["Contra Costa", "has_salary_data"]
    assert nodes.loc["Contra Costa", "has_wage_increases"]
    assert nodes.loc["Napa County", "surveyed_by"] == "Mendocino, Sonoma"
    assert nodes.loc["Napa County", "kind"] == "survey agency"


def test_match_uploaded(con):
    up = parse_sco_gcc(SCO_SAMPLE.read_bytes(), "sco.csv")
    m = sv.match_uploaded(con, "Mendocino", up)
    assert len(m) == len(up)
    got = {r.class_title: (r.subject_class_code, r.method) for r in m.itertuples()}
    assert got["Account Clerk II"] == ("S503", "exact")
    assert got["Office Assistant II"] == ("S535", "exact")
    assert got["Planner II"] == ("2032", "exact")
    # Accountant I: Mendocino has ACCOUNTANT without a level; the level guard says no
    assert got["Accountant I"] == (None, "none")
    assert got["Protégé Program Coordinator"][1] == "none"
    empty = sv.match_uploaded(con, "Mendocino", up.iloc[0:0])
    assert empty.empty and "subject_class_code" in empty.columns


def test_coverage(con):
    up = parse_sco_gcc(SCO_SAMPLE.read_bytes(), "sco.csv")
    comps = ["Sonoma County", "Napa County", "City of Ukiah", "Lake County"]
    cov = sv.coverage(con, "Mendocino", comps, up).set_index("subject_class_code")
    assert list(cov.columns) == ["subject_title", *comps, "comparators_with_pay"]
    # S502 ACCOUNT CLERK I: Sonoma's 0401 has a salary table; nobody uploaded it
    assert cov.loc["S502", "Sonoma County"] and not cov.loc["S502", "Napa County"]
    # S503 ACCOUNT CLERK II: Sonoma (warehouse) and Ukiah (upload)
    assert cov.loc["S503", ["Sonoma County", "City of Ukiah"]].all()
    assert cov.loc["S503", "comparators_with_pay"] == 2
    assert cov.loc["2032", "Napa County"]  # PLANNER II, uploaded
    assert not cov["Lake County"].any()
    # SR ENVIRONMENTAL HEALTH SPECIALIST: the override says Sonoma has no comparable class
    assert not cov.loc["4041", "Sonoma County"]
    detail = sv.coverage_detail(con, "Mendocino", ["Sonoma County", "City of Ukiah"], up)
    ukiah = detail[(detail["comparator"] == "City of Ukiah") & detail["has_pay"]]
    assert ukiah[["subject_class_code", "where", "comparator_title"]].values.tolist() == [
        ["S503", "upload", "Account Clerk II"]
    ]
    assert sv.coverage(con, "Contra Costa", ["Sonoma County"]).empty
