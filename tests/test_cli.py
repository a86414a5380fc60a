"""The command line: thin wrappers over the library, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json

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
