"""Rosters: every kind of problem is reported with its spreadsheet row and column, all at
once, and nothing is costed from a roster that failed."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis.costing.engine import cost_with_rates
from analysis.roster.reader import (
    ILLUSTRATIVE_ROSTER,
    MAX_PROBLEMS,
    Roster,
    RosterError,
    check_positions,
    illustrative_roster,
    read_roster,
    valid_positions,
    validate_roster,
)
from etl.errors import BargainError

HEADER = "agency,class_code,step,fte,count"

# A small table of valid positions: the checks never need DuckDB.
VALID = pd.DataFrame(
    [("Sonoma", "0401", s) for s in "ABCDEFGHI"]
    + [("Sonoma", "0402", s) for s in "ABCDEFGHI"]
    + [("Mendocino", "S502", s) for s in "12345"]
    + [("Mendocino", "0019", s) for s in "12345"],
    columns=["agency", "class_code", "step"],
)


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _fail(data: bytes, name: str = "roster.csv") -> RosterError:
    with pytest.raises(RosterError) as info:
        read_roster(data, VALID, name=name)
    return info.value


def _found(err: RosterError) -> list[tuple[int | None, str, str]]:
    """(row, column, message) of each problem ('' for no column)."""
    return [(p.row, p.column or "", p.message) for p in err.problems]


def test_a_valid_csv_roster():
    r = read_roster(
        _csv(
            HEADER + ",next_step_date,bilingual,department",
            "Sonoma,0401,A,1,3,2005-01-15,yes,Treasury",
            "sonoma,0402,c,0.5,1,,no,Assessor",
            "Mendocino,S502,Step 3,1.0,2,1/15/2016,,Library",
        ),
        VALID,
        name="r.csv",
    )
    assert isinstance(r, Roster) and r.source == "r.csv" and not r.illustrative
    assert r.rows["agency"].tolist() == ["Sonoma", "Sonoma", "Mendocino"]
    assert r.rows["step"].tolist() == ["A", "C", "3"]
    assert r.rows["row"].tolist() == [2, 3, 4]
    assert r.heads == 3 + 1 + 2
    assert r.fte == pytest.approx(3 * 1 + 0.5 + 2 * 1.0)
    assert r.flags == ("bilingual",)
    assert r.rows["bilingual"].tolist() == [True, False, False]
    assert str(r.rows["next_step_date"].iloc[2].date()) == "2016-01-15"
    assert any("department" in n for n in r.notes)  # kept as information, not costed
    assert r.for_agency("Mendocino").heads == 2


def test_one_row_per_employee_with_id_instead_of_count():
    r = read_roster(
        _csv("id,agency,class_code,step,fte", "E1,Sonoma,0401,A,1", "E2,Sonoma,0401,B,0.8"), VALID
    )
    assert r.rows["count"].tolist() == [1, 1]
    assert r.rows["id"].tolist() == ["E1", "E2"]


@pytest.mark.parametrize(
    ("lines", "row", "column", "text"),
    [
        ([HEADER, "Sonoma,9999,A,1,1"], 2, "class_code", "unknown class '9999'"),
        (
            [HEADER, "Sonoma,0401,J,1,1"],
            2,
            "step",
            "step 'J' is outside the range of class 0401 (A to I)",
        ),
        ([HEADER, "Mendocino,S502,6,1,1"], 2, "step", "(1 to 5)"),
        ([HEADER, "Sonoma,0401,A,0,1"], 2, "fte", "fte 0 is outside 0.01 to 1"),
        ([HEADER, "Sonoma,0401,A,1.5,1"], 2, "fte", "fte 1.5 is outside 0.01 to 1"),
        ([HEADER, "Sonoma,0401,A,1e-300,1"], 2, "fte", "fte 1e-300 is outside 0.01 to 1"),
        ([HEADER, "Sonoma,0401,A,1_0,1"], 2, "fte", "'1_0' is not a number (no underscores"),
        ([HEADER, "Sonoma,0401,A,０.５,1"], 2, "fte", "(use the digits 0-9"),
        ([HEADER, "Sonoma,0401,A,1,٣"], 2, "count", "(use the digits 0-9"),
        ([HEADER, "Sonoma,0401,A,1,1e300"], 2, "count", "(1 to 1,000,000), got '1e300'"),
        ([HEADER, "Sonoma,0401,A,full,1"], 2, "fte", "must be a number"),
        ([HEADER, "Sonoma,0401,A,,1"], 2, "fte", "fte is missing"),
        ([HEADER, "Sonoma,0401,A,1,2.5"], 2, "count", "whole number"),
        ([HEADER, "Sonoma,0401,A,1,0"], 2, "count", "whole number"),
        ([HEADER, "Sonoma,0401,A,1,many"], 2, "count", "whole number"),
        ([HEADER, "Napa,0401,A,1,1"], 2, "agency", "unknown agency 'Napa'"),
        ([HEADER, ",0401,A,1,1"], 2, "agency", "agency is missing"),
        ([HEADER, "Sonoma,,A,1,1"], 2, "class_code", "class_code is missing"),
        ([HEADER, "Sonoma,0401,,1,1"], 2, "step", "step is missing"),
        (
            ["agency,class_code,step,count", "Sonoma,0401,A,1"],
            1,
            "fte",
            "missing required column 'fte'",
        ),
        (["agency,class_code,step,fte", "Sonoma,0401,A,1"], 1, "count", "'count'"),
        (
            ["id,agency,class_code,step,fte", "E1,Sonoma,0401,A,1", "E1,Sonoma,0401,B,1"],
            3,
            "id",
            "duplicate id 'E1' (first on row 2)",
        ),
        (["id,agency,class_code,step,fte", ",Sonoma,0401,A,1"], 2, "id", "id is missing"),
        (
            [HEADER + ",next_step_date", "Sonoma,0401,A,1,1,soon"],
            2,
            "next_step_date",
            "must be a date",
        ),
        (
            [HEADER + ",next_step_date", "Sonoma,0401,A,1,1,01/02/03"],
            2,
            "next_step_date",
            "'01/02/03' has a short year",
        ),
        ([HEADER + ",bilingual", "Sonoma,0401,A,1,1,sometimes"], 2, "bilingual", "must be yes/no"),
        ([HEADER + ",fte", "Sonoma,0401,A,1,1,1"], 1, "fte", "appears twice"),
        ([HEADER], 2, "", "no rows"),
    ],
)
def test_each_roster_error_names_row_and_column(lines, row, column, text):
    err = _fail(_csv(*lines))
    assert any(r == row and c == column and text in m for r, c, m in _found(err)), err.problems
    where = f"row {row}" + (f", column {column!r}" if column else "")
    assert where in str(err)
    assert str(err).startswith("roster.csv: ")  # the one message format (etl/errors.py)
    assert isinstance(err, BargainError)


def test_every_problem_is_collected_with_spreadsheet_rows():
    err = _fail(
        _csv(
            HEADER,
            "Sonoma,0401,A,1,1",
            "",  # a blank line is still a spreadsheet row
            "Sonoma,0401,Z,1,1",
            '"Sonoma","0402","B","2","1"',
            "Sonoma,7777,A,1,x",
        )
    )
    assert [(r, c) for r, c, _ in _found(err)] == [
        (4, "step"),
        (5, "fte"),
        (6, "class_code"),
        (6, "count"),
    ]


def test_a_quoted_newline_stays_in_its_row():
    err = _fail(_csv(HEADER + ",note", 'Sonoma,0401,A,1,1,"two\nlines"', "Sonoma,0401,Q,1,1,"))
    assert [(r, c) for r, c, _ in _found(err)] == [(3, "step")]


def test_problems_are_capped():
    lines = [HEADER] + ["Sonoma,0401,Z,1,1"] * (MAX_PROBLEMS + 50)
    err = _fail(_csv(*lines))
    assert len(err.problems) == MAX_PROBLEMS and err.truncated and err.total == MAX_PROBLEMS + 50
    assert "... and 50 more" in str(err)
    assert "nothing was costed" in str(err)


def test_problems_are_capped_in_row_order_across_columns():
    """Column by column, but reported as a spreadsheet reads: row by row, left to right."""
    lines = [HEADER] + ["Sonoma,9999,A,2,x"] * 60
    err = _fail(_csv(*lines))
    assert err.total == 180 and len(err.problems) == MAX_PROBLEMS
    assert [(p.row, p.column) for p in err.problems[:4]] == [
        (2, "class_code"),
        (2, "fte"),
        (2, "count"),
        (3, "class_code"),
    ]


def test_a_failed_roster_is_never_costed():
    bad = pd.DataFrame(
        {"agency": ["Sonoma"], "class_code": ["0401"], "step": ["Z"], "fte": [1.0], "count": [1]}
    )
    rates = pd.DataFrame(
        {
            "class_code": "0401",
            "step": list("ABCDEFGHI"),
            "effective_date": "2004-06-22",
            "hourly": 20.0,
        }
    )
    with pytest.raises(RosterError) as info:
        cost_with_rates(bad, {"agency": "Sonoma", "start": "2004-07-01", "years": 1}, rates)
    assert _found(info.value) == [
        (2, "step", "step 'Z' is outside the range of class 0401 (A to I)")
    ]


def test_validate_a_dataframe_and_check_positions_later():
    df = pd.DataFrame(
        {
            "agency": ["sonoma", "Sonoma"],
            "class_code": [401, "0402"],
            "step": ["a", "B"],
            "fte": [1, 0.5],
            "count": [2, 1],
        }
    )
    unchecked = validate_roster(df, None)
    assert not unchecked.checked_against_warehouse
    checked = check_positions(unchecked, VALID)
    assert checked.checked_against_warehouse
    assert checked.rows["agency"].tolist() == ["Sonoma", "Sonoma"]
    assert checked.rows["class_code"].tolist() == ["0401", "0402"]  # zero-padded
    bad = validate_roster(df.assign(step=["a", "X"]), None)
    with pytest.raises(RosterError) as info:
        check_positions(bad, VALID)
    assert [(r, c) for r, c, _ in _found(info.value)] == [(3, "step")]


# XLSX ----------------------------------------------------------------------------------------


def _xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_roster_reads_typed_cells():
    from datetime import datetime

    data = _xlsx(
        [
            ["Agency", "Class Code", "Step", "FTE", "Count", "Next Step Date", "Shift"],
            ["Sonoma", 401, "B", 1, 2, datetime(2005, 1, 1), True],  # 0401 typed as a number
            ["Mendocino", "S502", 3, 0.75, 1, None, False],
        ]
    )
    r = read_roster(data, VALID, name="roster.xlsx")
    assert r.rows["class_code"].tolist() == ["0401", "S502"]
    assert r.rows["step"].tolist() == ["B", "3"]
    assert r.rows["shift"].tolist() == [True, False]
    assert r.flags == ("shift",)


def test_xlsx_formula_cells_are_rejected_with_row_and_column():
    data = _xlsx(
        [
            ["agency", "class_code", "step", "fte", "count"],
            ["Sonoma", "0401", "A", 1, "=1+1"],
            ["Sonoma", "0401", "A", "=0.5*2", 1],
        ]
    )
    err = _fail(data, name="roster.xlsx")
    assert [(r, c) for r, c, _ in _found(err)] == [(2, "count"), (3, "fte")]
    assert all("formula" in m and "paste them as values" in m for _, _, m in _found(err))
    assert "=1+1" in err.problems[0].message


def test_xlsx_prefers_a_sheet_named_roster():
    wb = openpyxl.Workbook()
    wb.active.append(["notes"])
    ws = wb.create_sheet("Roster")
    ws.append(["agency", "class_code", "step", "fte", "count"])
    ws.append(["Sonoma", "0401", "A", 1, 1])
    buf = io.BytesIO()
    wb.save(buf)
    assert read_roster(buf.getvalue(), VALID, name="x.xlsx").heads == 1


def test_damaged_xlsx_is_a_roster_error():
    err = _fail(b"PK\x03\x04 not really a zip", name="roster.xlsx")
    (p,) = err.problems
    assert p.row is None and "the workbook is damaged or incomplete" in p.message


# The built-in illustrative roster ------------------------------------------------------------


def test_illustrative_roster_is_labelled_synthetic_and_valid(con):
    r = illustrative_roster(valid_positions(con))
    assert r.illustrative and r.checked_against_warehouse
    assert any("synthetic" in n.lower() for n in r.notes)
    assert r.rows["note"].str.contains("SYNTHETIC").all()
    assert "illustrative" in ILLUSTRATIVE_ROSTER.name
    per_agency = r.rows.groupby("agency")["class_code"].nunique()
    assert per_agency["Sonoma"] >= 12 and per_agency["Mendocino"] >= 12
    # a few incumbents per class, at varied steps
    assert (r.rows.groupby(["agency", "class_code"])["step"].nunique() >= 2).all()
    assert set(r.flags) >= {"bilingual", "shift"}


def test_illustrative_roster_classes_are_real_agreement_classes(con):
    r = illustrative_roster(valid_positions(con))
    titles = con.execute("SELECT DISTINCT agency, class_code FROM job_classes").fetchall()
    assert set(map(tuple, r.rows[["agency", "class_code"]].to_numpy())) <= set(titles)


# Agencies as the CLI and the app match them ---------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [" sonoma ", "SONOMA", "Sonoma", "sonoma", "  SoNoMa", "Sonoma County", "County of Sonoma"],
)
def test_agency_is_matched_as_agencies_resolve_matches_it(typed):
    from etl.agency_names import resolve_typed

    r = read_roster(_csv(HEADER, f"{typed},0401,A,1,1"), VALID)
    assert r.rows["agency"].tolist() == ["Sonoma"]
    assert resolve_typed(typed, ["Sonoma", "Mendocino"]) == "Sonoma"


def test_an_agency_that_is_not_one_is_refused():
    err = _fail(_csv(HEADER, "So noma,0401,A,1,1", "City of Sonoma,0401,A,1,1"))
    assert [(p.row, p.column) for p in err.problems] == [(2, "agency"), (3, "agency")]
    assert "unknown agency 'So noma'" in err.problems[0].message


# Hostile cells: refused with their row and column, never crashing the page -------------------


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("0401\u202e", "hidden text-direction control (U+202E)"),
        ("x" * 201, "more than 200"),
    ],
)
def test_hostile_text_in_a_class_code(cell, text):
    err = _fail(_csv(HEADER, f"Sonoma,{cell},A,1,1"))
    (p,) = err.problems
    assert (p.row, p.column) == (2, "class_code") and text in p.message


@pytest.mark.parametrize(
    ("column", "cell", "text"),
    [
        ("note", "bad \ud800 note", "undecodable character (U+D800)"),
        ("class_code", "04\x0001", "control character (NUL)"),
        ("id", "E\x07", "control character (U+0007)"),
    ],
)
def test_hostile_text_in_a_dataframe_roster_is_refused(column, cell, text):
    """A DataFrame handed over by a caller holds what no file reader would let through."""
    data = {"id": ["E1"], "agency": ["Sonoma"], "class_code": ["0401"], "step": ["A"]}
    data |= {"fte": [1.0], "note": ["fine"]}
    data[column] = [cell]
    df = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})
    with pytest.raises(RosterError) as info:
        validate_roster(df, VALID)
    (p,) = info.value.problems
    assert (p.row, p.column) == (2, column) and text in p.message


def test_a_large_roster_reports_the_first_problems_and_counts_the_rest():
    n = 50_000
    df = pd.DataFrame(
        {
            "id": [f"E{i}" for i in range(n)],
            "agency": "Sonoma",
            "class_code": "0401",
            "step": ["Z" if i % 2 else "A" for i in range(n)],
            "fte": 1.0,
        }
    )
    with pytest.raises(RosterError) as info:
        validate_roster(df, VALID)
    err = info.value
    assert err.total == n // 2 and len(err.problems) == MAX_PROBLEMS
    assert [p.row for p in err.problems[:3]] == [3, 5, 7]
    assert f"... and {n // 2 - MAX_PROBLEMS} more" in str(err)
