"""The command line: thin wrappers over the library, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bargain_cli import main


def test_gap_csv_one_row_per_matched_benchmark(isolated_env, capsys):
    assert (
        main(
            [
                "gap",
                "--agency",
                "Mendocino",
                "--against",
                "Sonoma",
                "--as-of",
                "2016-07-01",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert rows, "no rows"
    assert len({r["subject_class_code"] for r in rows}) == len(rows)
    for col in (
        "own_top_annual",
        "market_mean",
        "market_median",
        "market_n",
        "pct_below_market",
        "pct_increase_to_market",
        "flag",
        "Sonoma: annual",
        "Sonoma: factor",
        "Sonoma: source_ref",
    ):
        assert col in rows[0]
    assert "CPI" in out.err


def test_gap_against_contra_costa_explains(isolated_env, capsys):
    assert (
        main(
            [
                "gap",
                "--agency",
                "Sonoma",
                "--against",
                "Contra Costa",
                "--as-of",
                "2004-07-01",
                "--format",
                "json",
            ]
        )
        == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert body["rows"] == []
    assert any("no salary table" in n for n in body["notes"])


def test_steps_by_title(isolated_env, capsys):
    assert main(["steps", "--agency", "Sonoma", "--class", "ACCOUNT CLERK II"]) == 0
    out = capsys.readouterr().out
    assert "0402" in out and "42" in out


def test_bad_inputs_give_messages_not_tracebacks(isolated_env, capsys):
    assert (
        main(["gap", "--agency", "Mendocino", "--against", "Sonoma", "--as-of", "July 2016"]) == 2
    )
    assert "YYYY-MM-DD" in capsys.readouterr().err
    # --as-of is read as every typed date is (etl/cells.iso_date): ISO only, within the range
    for typed, said in (("20160701", "not a date written YYYY-MM-DD"), ("2216-07-01", "outside")):
        assert main(["gap", "--agency", "Mendocino", "--against", "Sonoma", "--as-of", typed]) == 2
        assert said in capsys.readouterr().err
        assert main(["publish", "unused", "--as-of", typed]) == 2
        assert said in capsys.readouterr().err
    assert main(["steps", "--agency", "Sonoma", "--class", "NO SUCH CLASS"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_cost_csv_has_the_required_columns(isolated_env, tmp_path, capsys):
    scen = tmp_path / "s.json"
    scen.write_text(
        json.dumps(
            {
                "agency": "Sonoma",
                "start": "2004-07-01",
                "years": 2,
                "step_movement": False,
                "rollups": {"medicare": 1.45},
                "changes": [{"type": "across_the_board", "effective": "2004-07-01", "pct": 1.0}],
            }
        )
    )
    from etl.defaults import DATA_DIR

    roster = DATA_DIR / "samples" / "illustrative_roster.csv"
    assert main(["cost", "--roster", str(roster), "--scenario", str(scen), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2
    for col in ("fiscal_year", "baseline_cost", "proposal_cost", "incremental_cost"):
        assert col in rows[0]
    assert float(rows[0]["incremental_cost"]) > 0


def test_cost_with_a_non_utf8_scenario_names_the_problem(isolated_env, tmp_path, capsys):
    scen = tmp_path / "s.json"
    scen.write_bytes(b'{"agency": "Sonoma\xff"}')
    from etl.defaults import DATA_DIR

    roster = DATA_DIR / "samples" / "illustrative_roster.csv"
    assert main(["cost", "--roster", str(roster), "--scenario", str(scen)]) == 2
    err = capsys.readouterr().err
    assert "UTF-8" in err and "Traceback" not in err


# State Controller imports ----------------------------------------------------------------------

REAL_ZIP = Path(__file__).resolve().parent / "data" / "2016_SuperiorCourt.zip"
BAD = Path(__file__).resolve().parent / "bad_inputs" / "sco_gcc"
COURT = "Mendocino County Superior Court"


def test_survey_import_then_gap_on_the_real_export(isolated_env, capsys):
    args = ["survey", "import", str(REAL_ZIP), "--agencies", f"{COURT}, Napa County"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"  {COURT} -> {COURT} (Superior Court, 75 rows)" in out
    assert "Matched no employer (1): Napa County" in out
    assert "Rows skipped: none" in out
    assert "Saved as State Controller import #1: 31 positions of 1 agency" in out
    gap = ["gap", "--agency", "Mendocino", "--against", COURT, "--as-of", "2016-07-01"]
    assert main([*gap, "--format", "csv"]) == 0
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    # one row per matched class: the five exact or similar titles of the court
    assert sorted(r["subject_class_code"] for r in rows) == ["0057", "0063", "0107", "0124", "0125"]
    row = next(r for r in rows if r["subject_class_code"] == "0124")
    assert float(row["market_mean"]) == 44866.0 and row["market_n"] == "1"
    assert row[f"{COURT}: comparator_title"] == "Account Specialist II"
    assert row[f"{COURT}: factor"] == "1.0" and row[f"{COURT}: schedule_date"] == "2016-07-01"
    assert "first at row 8518" in row[f"{COURT}: source_ref"]
    assert "31 positions in 2016" in out.err
    # ... and in the table format, by a name typed in another case
    assert (
        main(["gap", "--agency", "Mendocino", "--against", COURT.lower(), "--as-of", "2016-07-01"])
        == 0
    )
    assert "ACCOUNT SPECIALIST II" in capsys.readouterr().out
    # Total compensation: the court reports retirement and health, Mendocino's agreement
    # prices deferred compensation and time off: nothing in common, so the totals are pay...
    assert main([*gap, "--total", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    row = next(r for r in body["rows"] if r["subject_class_code"] == "0124")
    assert row["market_mean"] == 44866.0 and row["own_top_annual"] == row["own_pay_annual"]
    assert any("Retirement left out of both sides" in n for n in body["notes"])
    # ... and each side its own: the court's DefinedBenefit 2,098 + HealthDentalVision 7,758
    assert main([*gap, "--total", "--each-side", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    row = next(r for r in body["rows"] if r["subject_class_code"] == "0124")
    assert row["market_mean"] == 44866.0 + 2098 + 7758
    assert row["own_top_annual"] == round(row["own_pay_annual"] + row["own_time_off"], 2)


def test_survey_import_with_a_subject_imports_every_employer(isolated_env, capsys):
    # Mendocino's list names counties and cities: none is a Superior Court employer, so the
    # list preselects none, and every court of the file is still imported (issue 22.2)
    assert main(["survey", "import", str(REAL_ZIP), "--subject", "Mendocino"]) == 0
    captured = capsys.readouterr()
    assert "Every employer of the file: 55 with positions to import." in captured.out
    assert "0 of them on Mendocino's survey list, preselected as comparators: none" in captured.out
    assert "Traceback" not in captured.err
    assert main(["survey", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["rows"]
    assert len(listed) == 1 and listed[0]["n_positions"] == 2284


def test_survey_list_and_remove(isolated_env, capsys):
    assert main(["survey", "import", str(REAL_ZIP), "--agencies", COURT]) == 0
    assert main(["survey", "import", str(REAL_ZIP), "--agencies", COURT, "--year", "2016"]) == 0
    err = capsys.readouterr().err
    assert "warning: this same file was imported before as #1" in err
    assert main(["survey", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["rows"]
    assert [r["import_id"] for r in listed] == [1, 2]
    assert listed[0]["agencies"] == COURT and listed[0]["n_positions"] == 31
    assert main(["survey", "remove", "1"]) == 0
    assert "Removed State Controller import #1 (2016_SuperiorCourt.zip)" in capsys.readouterr().out
    assert main(["survey", "remove", "1"]) == 2
    assert "error: no State Controller import #1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zip_with_no_csv.zip", "the ZIP holds no CSV file"),
        ("zip_with_two_csvs.zip", "the ZIP holds 2 CSV files"),
        ("zip_bomb.zip", "refused as a possible ZIP bomb"),
        ("truncated.zip", "the ZIP is damaged or truncated"),
        ("short_row.csv", "row 2: has 6 cells; the header has 8 columns"),
    ],
)
def test_survey_import_of_a_bad_file(isolated_env, capsys, name, message):
    assert main(["survey", "import", str(BAD / name), "--agencies", "Napa County"]) == 2
    err = capsys.readouterr().err
    assert f"error: {name}: " in err and message in err and "Traceback" not in err
    from userdata import gcc

    assert gcc.imports().empty


def test_survey_import_of_a_missing_file(isolated_env, capsys):
    assert main(["survey", "import", "nowhere.zip", "--agencies", "Napa County"]) == 2
    assert "nowhere.zip: no such file" in capsys.readouterr().err


def test_cost_with_an_unreadable_roster_or_scenario_path(isolated_env, tmp_path, capsys):
    """A directory or a broken symbolic link where a file is expected: one line, exit code 2."""
    from etl.defaults import DATA_DIR

    roster = DATA_DIR / "samples" / "illustrative_roster.csv"
    scen = tmp_path / "s.json"
    scen.write_text(json.dumps({"agency": "Sonoma", "start": "2004-07-01", "years": 1}))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    broken = tmp_path / "broken.json"
    broken.symlink_to(tmp_path / "nowhere.json")
    cases = [
        (["--roster", str(folder), "--scenario", str(scen)], "is a directory; give the roster"),
        (["--roster", str(roster), "--scenario", str(folder)], "is a directory; give the scen"),
        (["--roster", str(roster), "--scenario", str(broken)], "file (a broken symbolic link)"),
    ]
    for argv, message in cases:
        assert main(["cost", *argv]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and message in err, err
        assert "Traceback" not in err


def test_agreement_text_agency_is_read_by_the_one_rule():
    from bargain_cli.texts import agency_for_text
    from etl.errors import BargainError

    known = ["Sonoma", "Mendocino"]
    assert agency_for_text(known, " County of Sonoma ") == "Sonoma"
    assert agency_for_text(known, "City of Ukiah") == "City of Ukiah"  # a new agency
    with pytest.raises(BargainError, match="could be any of Sonoma, SONOMA"):
        agency_for_text([*known, "SONOMA"], "sonoma")
