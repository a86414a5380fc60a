"""The State Controller flows in the app: importing a GCC export from the server's imports
folder (progress, preview, save, the same-file warning, removal after a confirmation), a bad
file's problems one per table row, the imported agency as a default comparator on every view
with its positions, year and file shown, the benefits market, and the bulk review of its title
matches saved in one transaction."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl.gcc import importer as gcc_import
from tests.live_app import page_file
from userdata import class_matches, gcc, store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
REAL_ZIP = ROOT / "tests" / "data" / "2016_SuperiorCourt.zip"
COURT = "Mendocino County Superior Court"
AS_OF = date(2016, 7, 1)


@pytest.fixture()
def imports(isolated_env, monkeypatch) -> Path:
    folder = isolated_env / "imports"
    folder.mkdir()
    monkeypatch.setenv("BARGAIN_IMPORTS_DIR", str(folder))
    return folder


@pytest.fixture()
def app(imports):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


TAB_KEYS = {"surveys": "surveys_tab", "premiums": "prem_tab", "sources": "src_tab"}


def _open(at: AppTest, page: str, agency: str = "Mendocino", tab: str | None = None) -> AppTest:
    at.session_state["shared_agency"] = agency
    at.session_state[f"shared_as_of::{agency}"] = AS_OF
    if tab:  # tabs run only while open
        at.session_state[TAB_KEYS[page]] = tab
    at.switch_page(page_file(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, *columns: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def _saved_import(subject: str | None = "Mendocino") -> int:
    prepared = gcc_import.prepare(REAL_ZIP, REAL_ZIP.name, agencies=[COURT], subject=subject)
    return gcc.save(prepared, actor="test")


def test_import_from_the_folder_preview_save_warn_and_remove(app, imports):
    shutil.copy(REAL_ZIP, imports / REAL_ZIP.name)
    (imports / "notes.txt").write_text("not listed")
    at = _open(app, "surveys", tab="Upload survey data")
    assert at.radio(key="up_kind").value == "sco_gcc"
    folder = _table(at, "File", "Size (MB)")
    assert folder["File"].tolist() == [REAL_ZIP.name] and folder["Size (MB)"].iloc[0] == 0.4
    at.text_area(key="gcc_agencies_Mendocino").input(f"{COURT}\nNapa County").run()
    at.button(key="gcc_read").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "31 positions of 1 agency" in text and "Nothing is stored until you save" in text
    matches = _table(at, "Asked for as")
    assert matches["Employer (as the file names it)"].tolist() == [COURT]
    assert _table(at, "Agency").shape[0] >= 1
    unmatched = next(d.value for d in at.dataframe if list(d.value.columns) == ["Agency"])
    assert unmatched["Agency"].tolist() == ["Napa County"]
    positions = _table(at, "Position", "Top of range ($ a year)")
    assert len(positions) == 31
    assert gcc.imports().empty  # nothing stored yet

    at.button(key="gcc_save").click().run()
    stored = gcc.imports()
    assert stored["n_positions"].tolist() == [31] and stored["subject_agency"].tolist() == [
        "Mendocino"
    ]
    assert store.changelog().iloc[0][["kind", "action"]].tolist() == ["gcc_import", "saved"]

    # the same file again: a warning, and saving needs a second yes
    at.button(key="gcc_read").click().run()
    assert any("You imported this same file before" in w.value for w in at.warning)
    assert at.button(key="gcc_save").disabled
    at.checkbox(key="gcc_again").check().run()
    assert not at.button(key="gcc_save").disabled

    # removing asks first
    assert at.button(key="gcc_delete").disabled
    at.checkbox(key="gcc_delete_sure_1").check().run()
    at.button(key="gcc_delete").click().run()
    assert gcc.imports().empty and gcc.rows().empty
    assert store.changelog().iloc[0][["kind", "action"]].tolist() == ["gcc_import", "deleted"]


def test_a_bad_file_lists_its_problems_one_per_row(app, imports):
    (imports / "two.zip").write_bytes(
        (ROOT / "tests" / "bad_inputs" / "sco_gcc" / "zip_with_two_csvs.zip").read_bytes()
    )
    (imports / "short.csv").write_bytes(
        b'"Year","EmployerName","Position","MaxPositionSalary"\n'
        b'"2016","Napa","Clerk"\n"2016","Napa","Clerk","abc"\n"2016","Napa"\n'
    )
    at = _open(app, "surveys", tab="Upload survey data")
    at.selectbox(key="gcc_folder_file").set_value("short.csv").run()
    at.text_area(key="gcc_agencies_Mendocino").input("Napa County").run()
    at.button(key="gcc_read").click().run()
    assert any("2 problem(s) in short\\.csv; nothing was imported" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert problems[["row", "column"]].values.tolist() == [[2, None], [4, None]]
    assert problems["problem"].str[:37].tolist() == [
        "has 3 cells; the header has 4 columns",
        "has 2 cells; the header has 4 columns",
    ]
    at.selectbox(key="gcc_folder_file").set_value("two.zip").run()
    assert not any("problem(s)" in e.value for e in at.error)  # another file: the old error goes
    at.button(key="gcc_read").click().run()
    problems = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert len(problems) == 1 and "the ZIP holds 2 CSV files" in problems["problem"].iloc[0]
    assert gcc.imports().empty


def test_the_imported_agency_is_a_comparator_on_every_view(app):
    _saved_import()
    at = _open(app, "market_gap")
    assert at.multiselect(key="gap_comparators_Mendocino").value == ["Sonoma", COURT]
    gap = _table(at, "% below market").set_index("Class code")
    assert {"0124", "0125", "0057", "0063", "0107"} <= set(gap.index)
    notes = " ".join(c.value for c in at.caption).replace("\\", "")  # escaped Markdown
    assert "State Controller GCC 2016, 31 positions in 2016" in notes
    assert "2016_SuperiorCourt.zip (import #1)" in notes
    # the benefits market, labelled as reported
    benefits = _table(at, "Retirement: market median ($ a year)").set_index("Class code")
    assert benefits.loc["0124", "Retirement: market median ($ a year)"] == 2098.0
    assert benefits.loc["0124", "Health: market median ($ a year)"] == 7758.0
    assert "calendar year 2016, not audited" in benefits.loc["0124", "Reported as"]

    at = _open(at, "surveys", tab="Coverage")
    assert COURT in at.multiselect(key="cov_comps_Mendocino").value
    cov = _table(at, "Comparators with pay").set_index("Class code")
    assert cov.loc["0124", COURT]
    at = _open(at, "surveys", tab="Survey network")
    nodes = _table(at, "Agency", "State Controller import").set_index("Agency")
    assert nodes.loc[COURT, "Kind"] == "Imported survey agency"
    assert "31 positions in 2016" in nodes.loc[COURT, "State Controller import"]
    at = _open(at, "surveys", tab="Class across agencies")
    at.multiselect(key="dots_classes_Mendocino").set_value(["0124"]).run()
    across = next(d.value for d in at.dataframe if "Detail" in d.value.columns)
    court = across[across["Agency"] == COURT].iloc[0]
    # one pay column, in the sidebar's basis (hourly): the court's $44,866 a year
    assert court["hourly pay, as of the date"] == round(44866.0 / 2080, 2)
    assert "GCC 2016 top of range" in court["Detail"]


def test_an_import_for_another_subject_is_not_a_default(app):
    _saved_import(subject="Sonoma")
    at = _open(app, "market_gap")
    assert at.multiselect(key="gap_comparators_Mendocino").value == ["Sonoma"]
    at.multiselect(key="gap_comparators_Mendocino").select(COURT).run()
    assert "0124" in set(_table(at, "% below market")["Class code"])


def test_an_import_for_no_subject_adds_to_the_defaults_and_matching_nothing_is_no_error(app):
    """An employer imported for no subject in particular is a default comparator of every
    subject, added to its survey list or same-era agreements; where it matches none of the
    subject's classes (Sonoma against the Mendocino court), the page says so on pay and on
    total compensation, and offers no handout of an empty table."""
    _saved_import(subject=None)
    at = _open(app, "market_gap")
    assert at.multiselect(key="gap_comparators_Mendocino").value == ["Sonoma", COURT]
    assert any(b.proto.label == "Handout (print-ready HTML)" for b in at.get("download_button"))
    at.session_state["shared_agency"] = "Sonoma"
    at.session_state["shared_as_of::Sonoma"] = date(2004, 6, 22)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="gap_comparators_Sonoma").value == [COURT]
    for measure in ("pay", "total compensation"):
        at.radio(key="gap_measure").set_value(measure).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("No benchmark class could be compared" in w.value for w in at.warning)
        assert not [b for b in at.get("download_button") if "Handout" in b.proto.label]


def test_review_table_confirms_and_rejects_in_one_save(app):
    _saved_import()
    at = _open(app, "market_gap")
    at.selectbox(key="gap_match_comp").set_value(COURT).run()
    key = f"rev_editor_Mendocino_{COURT}_False"
    review = next(d.value for d in at.dataframe if d.key == key)
    rows = {code: i for i, code in enumerate(review["subject_class_code"])}
    assert {"0124", "0125", "0057", "0063", "0107"} == set(rows)
    at.session_state[key] = {
        "edited_rows": {
            rows["0124"]: {"action": "confirm"},
            rows["0107"]: {"action": "reject", "note": "a court IT job is not ours"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    before = len(store.changelog())
    at.button(key=f"rev_save_{COURT}").click().run()
    assert not at.exception
    saved = class_matches.listing().set_index("subject_class_code")
    got = saved.loc["0124", ["comparator_agency", "comparator_class_code", "decision"]]
    assert got.tolist() == [COURT, "Account Specialist II", "confirmed"]
    assert saved.loc["0107", "decision"] == "rejected"
    assert saved.loc["0107", "reason"] == "a court IT job is not ours"
    assert len(store.changelog()) == before + 2
    gap = _table(at, "% below market")
    assert "0107" not in set(gap["Class code"]) and "0124" in set(gap["Class code"])
    review = next(d.value for d in at.dataframe if d.key == key)
    assert review.set_index("subject_class_code").loc["0124", "decision"] == "confirmed"


def test_a_class_matched_by_hand_to_a_position(app):
    _saved_import()
    at = _open(app, "market_gap")
    at.selectbox(key="gap_match_comp").set_value(COURT).run()
    at.toggle(key=f"rev_all_{COURT}").set_value(True).run()
    key = f"rev_editor_Mendocino_{COURT}_True"
    review = next(d.value for d in at.dataframe if d.key == key)
    i = review.index[review["subject_class_code"] == "S525"][0]  # LEGAL CLERK II
    at.session_state[key] = {
        "edited_rows": {int(i): {"comparator_title": "Court Clerk II", "action": "confirm"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key=f"rev_save_{COURT}").click().run()
    saved = class_matches.listing().set_index("subject_class_code")
    assert saved.loc["S525", ["comparator_class_code", "decision"]].tolist() == [
        "Court Clerk II",
        "manual",
    ]
    gap = _table(at, "% below market").set_index("Class code")
    assert "S525" in gap.index
