"""Add an agreement, clicked through as a bargaining team would (AppTest): a union's lookup
uploaded, the reader's proposal pre-filled per column, the import blocked until each pay
column is dated, the preview (classes, units, dates, a sample class cited to its row), the
import kept and listed; a county PDF with no options but its period; a refused file's
problems as a table with file, row and column."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.add_agreement import choices as ch
from tests.live_app import page_file

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = ROOT / "tests" / "data" / "schedules"


@pytest.fixture()
def page(tmp_path, monkeypatch, warehouse):
    # an import rebuilds the warehouse: a copy of the session's, so other tests keep theirs
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(tmp_path / "user.sqlite"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(page_file("agreements")).run()
    assert not at.exception
    return at, db


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _upload(at: AppTest, name: str, agency: str, period: str, key: str = "agr_files") -> AppTest:
    data = (DATA / name).read_bytes()
    at.file_uploader(key=key).set_value([(name, data, "application/octet-stream")])
    at.text_input(key="agr_agency").set_value(agency)
    at.selectbox(key="agr_period").set_value(period)
    at.run()
    _ok(at)
    return at


def _frame(at: AppTest, *columns: str):
    return next(d.value for d in at.dataframe if list(d.value.columns) == list(columns))


def _key(kind: str, name: str, column: str) -> str:
    digest = ch.files_digest([(DATA / name).read_bytes()])
    return ch.widget_key(kind, digest, name, "", column)


def test_a_union_lookup_is_mapped_dated_previewed_and_imported(page):
    at, db = page
    name = "state_lookup.csv"
    _upload(at, name, "State Union", "monthly")
    # the reader's proposal, pre-filled: the coalition as the unit, derived columns ignored
    assert at.selectbox(key=_key("use", name, "Coalition")).value == "unit"
    assert at.selectbox(key=_key("use", name, "% change")).value == "ignore"
    assert at.date_input(key=_key("date", name, "Effective 7/1/2025")).value == date(2025, 7, 1)
    # two pay columns have no date: the import waits for them, saying which
    assert any("Current monthly pay" in w.value and "no date yet" in w.value for w in at.warning)
    assert at.button(key="agr_add_blocked").disabled
    at.date_input(key=_key("date", name, "Current monthly pay")).set_value(date(2023, 7, 1))
    at.date_input(key=_key("date", name, "2024 monthly pay")).set_value(date(2024, 7, 1))
    at.run()
    _ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Classes": "150",
        "Bargaining units": "3",
        "Effective dates": "3",
        "Steps": "8",
    }
    summary = "\n".join(t.value for t in at.text)
    assert "Codes naming two or more titles: 4 (109D, 133B, 175F, 220A)" in summary
    places = _frame(at, "Step", "Effective", "As printed", "Where it is printed")
    assert set(places["Where it is printed"].str.extract(r"(row \d+)")[0]) == {
        f"row {n}" for n in range(5, 13)
    }  # Account Clerk 1's eight steps, rows 5 to 12 of the file
    sample = _frame(at, "Step", "2023-07-01", "2024-07-01", "2025-07-01")
    assert sample.iloc[0].to_dict() == {  # as the file prints row 5
        "Step": "A",
        "2023-07-01": 5034.0,
        "2024-07-01": 5185.0,
        "2025-07-01": 5341.0,
    }
    # the rates and the classes to download, each as CSV and XLSX
    assert [b.label for b in at.get("download_button")] == ["CSV", "XLSX", "CSV", "XLSX"]
    at.button(key="agr_add").click().run()
    _ok(at)
    # (the page escapes Markdown in every name it shows)
    assert any(
        "Imported as imported-state-union-1" in s.value.replace("\\", "") for s in at.success
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        units = con.execute(
            "SELECT count(DISTINCT bargaining_unit), count(*) FROM salary_schedule "
            "WHERE agency = 'State Union'"
        ).fetchone()
    finally:
        con.close()
    assert units == (3, 3600)
    # the import done, the form starts over: the kept file is not read again (it would clash
    # with itself under the success message)
    assert not at.error and not [u for u in at.file_uploader if u.value]
    # the same file again under the same name rates the same classes on the same dates:
    # refused, saying why (two rates for one class and date)
    _upload(at, name, "State Union", "monthly", key="agr_files_1")
    at.date_input(key=_key("date", name, "Current monthly pay")).set_value(date(2023, 7, 1))
    at.date_input(key=_key("date", name, "2024 monthly pay")).set_value(date(2024, 7, 1))
    at.run()
    assert any("State Union already rates" in e.value.replace("\\", "") for e in at.error)
    assert at.button(key="agr_add").disabled
    # under another name it may join, once asked: the same file was imported before
    at.text_input(key="agr_agency").set_value("State Union 2").run()
    warned = [w.value.replace("\\", "") for w in at.warning if "this same file before" in w.value]
    assert warned and "as imported-state-union-1 (import #1)" in warned[0]
    assert at.button(key="agr_add").disabled
    at.checkbox(key="agr_again").check().run()
    assert not at.button(key="agr_add").disabled


def test_changing_a_dropdown_changes_what_is_read(page):
    at, _ = page
    name = "state_lookup.csv"
    _upload(at, name, "State Union", "monthly")
    at.date_input(key=_key("date", name, "Current monthly pay")).set_value(date(2023, 7, 1))
    at.selectbox(key=_key("use", name, "2024 monthly pay")).set_value("ignore")
    at.run()
    _ok(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Effective dates"] == "2"
    # and with the unit column ignored, the same titles in three coalitions are refused,
    # with the problems listed by row and column (nothing stored)
    at.selectbox(key=_key("use", name, "Coalition")).set_value("ignore").run()
    _ok(at)
    assert any("problem(s) in the file" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "row" in map(str.lower, d.value.columns))
    assert len(problems) > 0


def test_a_county_pdf_needs_only_its_period(page):
    at, _ = page
    _upload(at, "county_schedule.pdf", "Example County", "monthly")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Classes"] == "636" and metrics["Effective dates"] == "2"
    places = _frame(at, "Step", "Effective", "As printed", "Where it is printed")
    assert places["Where it is printed"].str.contains("p. 1, row 8").any()
    assert places["Where it is printed"].str.contains("p. 21, row 8").any()
    assert not at.button(key="agr_add").disabled


def test_a_scanned_pdf_says_it_has_no_text(page):
    at, _ = page
    _upload(at, "scanned.pdf", "Example County", "monthly")
    said = " ".join(e.value for e in at.error) + " ".join(
        str(d.value.to_dict()) for d in at.dataframe
    )
    assert "no text, only pictures of pages" in said
    assert not [b for b in at.button if b.key == "agr_add"]


def test_a_table_without_titles_is_said_so_and_shows_no_none(page):
    at, _ = page
    rows = ["Class Code,Step 1,Step 2,Step 3", "1001,18.50,19.43,20.40", "1002,21.00,22.05,23.15"]
    data = ("\n".join(rows) + "\n").encode()
    at.file_uploader(key="agr_files").set_value([("codes_only.csv", data, "text/csv")])
    at.text_input(key="agr_agency").set_value("Code County")
    at.selectbox(key="agr_period").set_value("hourly")
    at.date_input(key="agr_effective").set_value(date(2024, 7, 1))
    at.run()
    _ok(at)
    assert any("No class has a title" in w.value for w in at.warning)
    classes = at.dataframe[-1].value  # "Every class", the page's last table
    assert list(classes["Class code"]) == ["1001", "1002"]
    assert "Class title" in classes.columns and not classes["Class title"].isna().any()
