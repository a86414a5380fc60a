"""`bargain import-schedule`, `bargain agreements [remove]`: import into a temporary user-data
file, rebuild a temporary warehouse, and use the imported agreement like a published one."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from bargain_cli import main
from userdata import agreements

DATA = Path(__file__).resolve().parent / "data" / "schedules"
NEIGHBOR = str(DATA / "neighbor_county.csv")


@pytest.fixture()
def env(tmp_path, monkeypatch):
    db, user = tmp_path / "w.duckdb", tmp_path / "user.sqlite"
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(user))
    return db, user


def _rows(db: Path, sql: str) -> list[tuple]:
    """The rows of one query of the warehouse, read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _import_neighbor(capsys, *extra: str) -> str:
    argv = [
        "import-schedule",
        NEIGHBOR,
        "--agency",
        "Neighbor County",
        "--effective",
        "2016-07-01",
        "--period",
        "hourly",
        *extra,
    ]
    assert main(argv) == 0
    return capsys.readouterr().out


def test_import_then_steps_gap_and_sources(env, capsys):
    db, user = env
    out = _import_neighbor(capsys)
    assert "Shape: wide: one row per class, one column per step" in out
    assert "Classes: 7; rates: 35" in out and "Pay: $13.60 to $24.31 an hour" in out
    assert "Stored as imported-neighbor-county-1 (import 1)." in out
    assert "assumed one step a year" in out
    (item,) = agreements.load_all(user)
    assert item.options == {
        "agency": "Neighbor County",
        "effective": "2016-07-01",
        "period": "hourly",
    }
    assert [f.role for f in item.files] == ["schedule"]

    assert main(["steps", "--agency", "Neighbor County", "--class", "N101"]) == 0
    steps_out = capsys.readouterr().out
    for hourly in ("15.40", "16.17", "16.98", "17.83", "18.72"):
        assert hourly in steps_out
    assert "ACCOUNT CLERK II" in steps_out

    args = [
        "gap",
        "--agency",
        "Mendocino",
        "--against",
        "Neighbor County",
        "--as-of",
        "2016-07-01",
        "--format",
        "csv",
    ]
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_title = {r["subject_title"]: r for r in rows}
    assert {"ACCOUNT CLERK I", "ACCOUNT CLERK II", "LEGAL SECRETARY I"} <= set(by_title)
    clerk = by_title["ACCOUNT CLERK II"]
    assert float(clerk["Neighbor County: annual"]) == pytest.approx(18.72 * 2080)
    assert clerk["Neighbor County: source_ref"] == ("upload1-neighbor_county.csv:5 §column Step E")

    con = duckdb.connect(str(db), read_only=True)
    try:
        # every imported value traces to a stored row of the file, and that row is the file's
        orphans = con.execute(
            "SELECT count(*) FROM salary_schedule v LEFT JOIN source_lines s "
            "ON s.doc = v.source_doc AND s.line_no = v.source_line "
            "WHERE v.agency = 'Neighbor County' AND s.text IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        text = con.execute(
            "SELECT text FROM source_lines WHERE doc = 'upload1-neighbor_county.csv' "
            "AND line_no = 5"
        ).fetchone()[0]
        assert text == "N101 | ACCOUNT CLERK II | 15.40 | 16.17 | 16.98 | 17.83 | 18.72"
        kind = con.execute(
            "SELECT kind, has_salary_table, term_start, term_end FROM agreements "
            "WHERE agency = 'Neighbor County'"
        ).fetchone()
        assert kind[:2] == ("imported", True) and str(kind[2]) == str(kind[3]) == "2016-07-01"
        stated = con.execute(
            "SELECT stated, steps FROM step_rules WHERE agency = 'Neighbor County'"
        ).fetchone()
        assert stated == (False, ["A", "B", "C", "D", "E"])
    finally:
        con.close()


def test_agreements_lists_and_removes(env, capsys):
    db, user = env
    _import_neighbor(capsys, "--months-between-steps", "6", "--title", "Neighbor 2016")
    assert main(["agreements", "--format", "csv"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["agreement_id"] == "imported-neighbor-county-1"
    assert row["title"] == "Neighbor 2016" and row["files"] == "neighbor_county.csv"
    con = duckdb.connect(str(db), read_only=True)
    rule = con.execute(
        "SELECT stated, advance_hours FROM step_rules WHERE agency = ?", ["Neighbor County"]
    ).fetchone()
    con.close()
    assert rule == (True, 1040)

    assert main(["agreements", "remove", "imported-neighbor-county-1"]) == 0
    assert "Removed imported-neighbor-county-1 (Neighbor County)." in capsys.readouterr().out
    assert agreements.listing(user).empty
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("SELECT count(*) FROM agreements WHERE agency = 'Neighbor County'").fetchone()
    con.close()
    assert n == (0,)
    assert main(["agreements", "remove", "7"]) == 2
    assert "no imported agreement '7'" in capsys.readouterr().err


def test_dry_run_stores_nothing(env, capsys):
    db, user = env
    out = _import_neighbor(capsys, "--dry-run")
    assert "Dry run: nothing stored." in out and "Classes: 7" in out
    assert agreements.listing(user).empty and not db.exists()


def test_a_bad_file_is_an_error_naming_the_cell_and_nothing_is_stored(env, capsys):
    db, user = env
    bad = str(DATA / "bad" / "decreasing_step.csv")
    code = main(
        [
            "import-schedule",
            bad,
            "--agency",
            "Bad",
            "--effective",
            "2024-07-01",
            "--period",
            "hourly",
        ]
    )
    assert code == 2
    captured = capsys.readouterr()
    assert "decreasing_step.csv: row 3, column 'Step 2': 2102 step 2 pays 21.10" in captured.err
    assert "Traceback" not in captured.err
    assert "Shape: wide" in captured.out  # the detection was shown first
    assert agreements.listing(user).empty and not db.exists()


def test_missing_options_and_files(env, capsys):
    assert main(["import-schedule", NEIGHBOR, "--agency", "N"]) == 2
    err = capsys.readouterr().err
    assert "2 problems; nothing from it was stored" in err
    assert "no effective date" in err and "does not say the pay period" in err
    assert main(["import-schedule", "/no/such/file.csv", "--agency", "N"]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    assert main(["import-schedule", NEIGHBOR, NEIGHBOR, NEIGHBOR, "--agency", "N"]) == 2
    assert "two files" in capsys.readouterr().err


def test_grade_chart_and_class_list_as_two_files(env, capsys):
    db, user = env
    argv = [
        "import-schedule",
        str(DATA / "classes.csv"),
        str(DATA / "grades.csv"),
        "--agency",
        "Gradeville",
        "--effective",
        "2015-07-01",
        "--period",
        "hourly",
        "--steps",
        "1,2,3,4,5",
        "--months-between-steps",
        "12",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "grade chart" in out and "Stored as imported-gradeville-1" in out
    (item,) = agreements.load_all(user)
    assert sorted((f.role, f.file_name) for f in item.files) == [
        ("classes", "classes.csv"),
        ("grades", "grades.csv"),
    ]
    assert main(["steps", "--agency", "Gradeville", "--class", "S503"]) == 0
    out = capsys.readouterr().out
    assert "14.88" in out and "18.08" in out


def test_a_stored_agreement_that_no_longer_reads_is_left_out_with_a_note(tmp_path):
    from etl.schedule_import.stored import ImportedFile
    from userdata.warehouse import build

    user = tmp_path / "u.sqlite"
    agreements.save(
        "Broken",
        "imported-broken-1",
        "Broken",
        {"agency": "Broken"},
        [ImportedFile("schedule", "b.csv", b"not, a, schedule\n")],
        user,
    )
    rep = build(tmp_path / "w.duckdb", user_db=user)
    assert any("Broken (imported-broken-1) was left out" in n for n in rep.notes)
    assert rep.counts["agreements"] >= 4


def test_save_assigns_the_agreement_id_from_the_import_id(tmp_path):
    from etl.schedule_import import agreement_id_for
    from etl.schedule_import.stored import ImportedFile

    user = tmp_path / "u.sqlite"
    f = [ImportedFile("schedule", "a.csv", b"x")]
    ids = [
        agreements.save("Same", lambda i: agreement_id_for("Same", i), "t", {}, f, user)
        for _ in range(2)
    ]
    assert list(agreements.listing(user)["agreement_id"]) == [
        f"imported-same-{ids[0]}",
        f"imported-same-{ids[1]}",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "bad").iterdir()))
def test_every_bad_file_exits_2_and_stores_nothing(env, capsys, name):
    db, user = env
    argv = [
        "import-schedule",
        str(DATA / "bad" / name),
        "--agency",
        "Bad",
        "--effective",
        "2024-07-01",
        "--period",
        "hourly",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {name}: ") and "Traceback" not in err
    assert agreements.listing(user).empty and not db.exists()


def test_a_county_pdf_schedule_imports_with_only_agency_and_period(env, capsys):
    db, _ = env
    pdf = str(DATA / "county_schedule.pdf")
    argv = ["import-schedule", pdf, "--agency", "Example County", "--period", "monthly"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Classes: 636; rates: 6,360" in out and "Dates: 2024-07-01, 2025-07-01" in out
    assert main(["steps", "--agency", "Example County", "--class", "1000", "--format", "csv"]) == 0
    steps = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # the latest schedule (the second section: whole dollars x 1.03, printed with cents)
    assert [r["monthly"] for r in steps][:2] == ["3432.99", "3605.0"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        # every value cites file, page and row; the cited line prints the amount
        row = con.execute(
            "SELECT split_part(v.source_ref, '§', 2), s.text FROM salary_schedule v "
            "JOIN source_lines s ON s.doc = v.source_doc AND s.line_no = v.source_line "
            "WHERE v.agency = 'Example County' AND v.class_code = '1000' AND v.step = 'A' "
            "ORDER BY v.effective_date"
        ).fetchall()
    finally:
        con.close()
    assert [r[0].split(", column")[0] for r in row] == ["p. 1, row 8", "p. 21, row 8"]
    assert row[0][1].startswith("1000 | ACCOUNT CLERK I |") and "$3,333" in row[0][1]
    assert "3,432.99" in row[1][1]


def test_a_union_lookup_imports_its_coalitions_as_units(env, capsys):
    db, _ = env
    argv = [
        "import-schedule",
        str(DATA / "state_lookup.csv"),
        "--agency",
        "State Union",
        "--period",
        "monthly",
        "--map",
        "pay@2023-07-01=Current monthly pay",
        "--map",
        "pay@2024-07-01=2024 monthly pay",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Bargaining units: 3: General Government (60 classes)" in out
    assert "Codes naming two or more titles: 4 (109D, 133B, 175F, 220A)" in out
    con = duckdb.connect(str(db), read_only=True)
    try:
        units = con.execute(
            "SELECT bargaining_unit, count(DISTINCT class_code) FROM salary_schedule "
            "WHERE agency = 'State Union' GROUP BY 1 ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert units == [
        ("General Government", 60),
        ("Higher Education", 60),
        ("Higher Education Hospitals", 30),
    ]


def test_publish_keeps_the_imported_agreements_and_the_warehouse(env, capsys, tmp_path):
    """`bargain publish` checks the warehouse with the user's imports: checked without them it
    rebuilt the warehouse from the published agreements alone (the site and the app lost the
    imported ones until the next rebuild)."""
    import json

    db, _ = env
    _import_neighbor(capsys)
    ino = db.stat().st_ino
    site = tmp_path / "members"
    assert main(["publish", str(site), "--agency", "Neighbor County"]) == 0
    capsys.readouterr()
    assert db.stat().st_ino == ino  # not rebuilt
    pages = json.loads((site / "manifest.json").read_text())["pages"]
    assert {p["agency"] for p in pages} == {"Neighbor County"} and len(pages) == 7


def test_the_same_table_imported_twice_is_kept_twice_with_a_warning(env, capsys):
    argv = ["import-schedule", NEIGHBOR, "--effective", "2016-07-01", "--period", "hourly"]
    assert main([*argv, "--agency", "Neighbor County"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main([*argv, "--agency", "Neighbor County 2"]) == 0  # another name: not a clash
    err = capsys.readouterr().err
    assert (
        "warning: neighbor_county.csv was imported before as imported-neighbor-county-1 "
        "(import 1, Neighbor County)" in err
    )
    assert "bargain agreements remove 1" in err
    assert len(agreements.listing()) == 2


def test_an_import_rating_a_class_its_agency_already_rates_on_that_date_is_refused(
    env, capsys, tmp_path
):
    """Under a published agency's name, a class and date the published agreement rates: two
    rates would give every page two answers (bargain steps listed both, each citing the
    upload), so nothing is stored; the same table at another date joins the agency."""
    db, _ = env
    clash = tmp_path / "sonoma_clash.csv"
    clash.write_text("Class Code,Class Title,Step,Hourly Rate\n0001,CLERK TYPIST I,A,20.00\n")
    argv = ["import-schedule", str(clash), "--agency", "sonoma", "--period", "hourly"]
    assert main([*argv, "--effective", "2007-06-19"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "error: Sonoma already rates 1 class of this table on its date: 0001 on 2007-06-19 "
        "(sonoma-seiu707-2002-2008)."
    )
    assert "'Sonoma (proposal)'" in err and err.count("\n") == 1
    assert agreements.listing().empty
    assert main([*argv, "--effective", "2026-07-01"]) == 0
    capsys.readouterr()
    rows = _rows(
        db,
        "SELECT effective_date, hourly, agreement_id FROM salary_schedule "
        "WHERE agency = 'Sonoma' AND class_code = '0001' AND step = 'A' "
        "AND effective_date IN ('2007-06-19', '2026-07-01') ORDER BY effective_date",
    )
    assert [(str(d), h, a) for d, h, a in rows] == [
        ("2007-06-19", 14.38, "sonoma-seiu707-2002-2008"),
        ("2026-07-01", 20.0, "imported-sonoma-1"),
    ]


def test_a_long_table_with_an_effective_date_column_imports_both_dates(env, capsys):
    db, user = env
    table = str(DATA / "long_row_dates.csv")
    argv = ["import-schedule", table, "--agency", "Row County"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "row_date         <- 'Effective Date' (column E)" in out
    assert "Dates: 2024-07-01 (7 rows), 2025-07-01 (7 rows)" in out
    assert "given twice" not in out
    (item,) = agreements.load_all(user)
    assert item.options == {"agency": "Row County"}  # the dates are the file's
    assert main(["steps", "--agency", "Row County", "--class", "E101", "--format", "csv"]) == 0
    steps = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [float(r["hourly"]) for r in steps] == [22.66, 23.79, 24.99]  # the latest date
    got = _rows(
        db,
        "SELECT effective_date::VARCHAR, step, round(hourly, 2) FROM salary_schedule "
        "WHERE agency = 'Row County' AND class_code = 'E101' ORDER BY 1, 2",
    )
    assert got == [
        ("2024-07-01", "1", 22.0),
        ("2024-07-01", "2", 23.1),
        ("2024-07-01", "3", 24.26),
        ("2025-07-01", "1", 22.66),
        ("2025-07-01", "2", 23.79),
        ("2025-07-01", "3", 24.99),
    ]


def test_rows_of_two_dates_with_effective_given_exit_2(env, capsys):
    db, user = env
    table = str(DATA / "long_row_dates.csv")
    argv = ["import-schedule", table, "--agency", "Row County", "--effective", "2024-07-01"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "the rows state 2 effective dates in the column 'Effective Date'" in err
    assert "leave the effective date out" in err
    assert agreements.listing(user).empty and not db.exists()
