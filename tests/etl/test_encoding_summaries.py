"""Every import summary says how a mixed-encoding file was read: the salary-table import's
detection, the roster's notes (and `bargain cost`), the survey template's preview."""

from __future__ import annotations

from pathlib import Path

from analysis.roster.reader import read_roster
from etl.schedule_import import read
from etl.schedule_import.stored import ImportedFile
from etl.uploads.survey_template import parse_survey_csv

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_salary_table_import_names_the_windows_1252_rows():
    data = (DATA / "schedules" / "mixed_encoding.csv").read_bytes()
    got = read(
        [ImportedFile("schedule", "m.csv", data)], {"agency": "M", "effective": "2024-07-01"}
    )
    assert {c.class_title for c in got.result.classes} == {"Café Attendant", "Café Cook"}
    assert "  encoding: UTF-8, but 1 row(s) read as Windows-1252: row(s) 4" in got.detection.lines()


def test_a_roster_says_it_in_its_notes():
    head = "agency,class_code,step,fte,count,note\n"
    data = (head + "Sonoma,0401,B,1.0,1,Café\n").encode() + b"Sonoma,0401,C,1.0,1,Caf\xe9\n"
    ros = read_roster(data, None, name="r.csv")
    assert ros.rows["note"].tolist() == ["Café", "Café"]
    assert "Encoding: UTF-8, but 1 row(s) read as Windows-1252: row(s) 3." in ros.notes
    plain = read_roster((head + "Sonoma,0401,B,1.0,1,x\n").encode(), None, name="r.csv")
    assert not any(n.startswith("Encoding") for n in plain.notes)


def test_the_survey_template_says_it_in_its_attrs():
    head = "agency,class_title,pay,pay_period,effective_date,source\n"
    data = (head + "Napa County,Café Cook,20,hourly,2016-07-01,José's list\n").encode()
    data += b"City of Ukiah,Se\xf1or Clerk,21,hourly,2016-07-01,list\n"
    df = parse_survey_csv(data, "s.csv")
    assert df["class_title"].tolist() == ["Café Cook", "Señor Clerk"]
    assert df.attrs["encoding_note"] == "UTF-8, but 1 row(s) read as Windows-1252: row(s) 3"
