"""Rosters: who is employed in which class, at which step and FTE, for costing a proposal.

A roster is a CSV or XLSX file with a header row and at least the columns

    agency, class_code, step, fte, count

(`count` = employees on that row), or one row per employee with `id` instead of `count`.
Optional columns: `next_step_date` (when the employee is next eligible for a merit step),
`bargaining_unit`, `note`, `name`, and premium flags, e.g. `bilingual` or `shift`: yes/no
columns naming the employees a premium change applies to (see analysis/scenario/__init__.py). Other
columns are kept as information and not costed.

The file is read by the one upload reader (etl/uploads/reader.py: size, kind, encoding, delimiter,
XLSX bounds, formulas refused) and checked column by column (analysis/roster/check.py) with
the one cell parser's rules (etl/cells.py, applied to whole columns by etl/columns.py):
unknown agency (matched as analysis.agencies.resolve matches it) or class, step outside the
class's range, FTE outside MIN_FTE..1, a count that is not a whole number from 1 to
MAX_COUNT, a missing column or cell, a wrong type, a duplicate id, an ambiguous date
(01/02/03), a value under no header. Every problem is reported with its row as a spreadsheet
user sees it (header = row 1) and its column, all in one RosterError: nothing is costed from a
roster that failed.

Classes and steps are checked against a table of valid (agency, class_code, step), normally
`valid_positions(con)` from the warehouse's salary_schedule, so the checks are testable
without DuckDB.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analysis.roster.check import validate
from analysis.roster.model import (
    ILLUSTRATIVE_ROSTER,
    INFO_COLUMNS,
    KNOWN_FLAGS,
    REQUIRED_COLUMNS,
    RESERVED_COLUMNS,
    Roster,
    RosterError,
)
from analysis.roster.positions import Positions, valid_positions
from analysis.roster.table import header_name
from etl.defaults import MAX_COUNT, MAX_PROBLEMS
from etl.errors import Problem, Problems
from etl.records import step_order
from etl.uploads import reader as uploads
from etl.uploads.reader import UploadError, column_index

__all__ = [
    "ILLUSTRATIVE_ROSTER",
    "INFO_COLUMNS",
    "KNOWN_FLAGS",
    "MAX_COUNT",
    "MAX_PROBLEMS",
    "REQUIRED_COLUMNS",
    "RESERVED_COLUMNS",
    "Roster",
    "RosterError",
    "check_positions",
    "illustrative_roster",
    "read_roster",
    "step_order",
    "valid_positions",
    "validate_roster",
]

ROSTER_SHEET = "roster"  # a workbook's sheet of this name (any case) is read; else the first


def _as_bytes(data: str | Path | bytes | BinaryIO) -> tuple[bytes, str]:
    if isinstance(data, bytes | bytearray):
        return bytes(data), "roster"
    if isinstance(data, str | Path):
        p = Path(data)
        return p.read_bytes(), p.name
    name = getattr(data, "name", "roster")
    return data.read(), Path(str(name)).name


def _read_table(raw: bytes, source: str) -> uploads.Table:
    sheet = None
    if uploads.file_kind(raw, source) == "xlsx":
        sheet = uploads.pick_sheet(uploads.sheet_names(raw, source), ROSTER_SHEET)
    return uploads.read_table(raw, source, sheet=sheet, strict=False)


def _by_column(table: uploads.Table) -> tuple[list[np.ndarray], np.ndarray]:
    """The table's cells column by column (short rows padded with None), and each row's
    spreadsheet row number."""
    if not table.rows:
        return [np.empty(0, dtype=object) for _ in table.header], np.empty(0, dtype=np.int64)
    numbers, cell_lists = zip(*table.rows, strict=True)
    widths = np.fromiter(map(len, cell_lists), dtype=np.int64, count=len(cell_lists))
    width = max(int(widths.max()), len(table.header), 1)
    if (widths != width).any():  # pad the short rows (blank lines, a ragged CSV)
        cell_lists = [
            cells if len(cells) == width else [*cells, *[None] * (width - len(cells))]
            for cells in cell_lists
        ]
    grid = np.empty((len(cell_lists), width), dtype=object)
    grid[:] = cell_lists
    return [grid[:, j] for j in range(width)], np.array(numbers, dtype=np.int64)


def _reading_problems(table: uploads.Table) -> list[Problem]:
    """The reader's cell problems (formulas, stray bytes), columns named as the roster's."""
    names = [header_name(h) for h in table.header]
    out = []
    for p in table.problems:
        j = column_index(p.column) if p.column else None
        name = names[j] if j is not None and j < len(names) and names[j] else p.column
        out.append(replace(p, column=name, sheet=None))
    return out


def read_roster(
    data: str | Path | bytes | BinaryIO,
    valid: pd.DataFrame | None,
    name: str | None = None,
) -> Roster:
    """Read and validate a CSV or XLSX roster (a path, bytes or an uploaded file object).

    `valid` is the table of valid (agency, class_code, step), e.g. `valid_positions(con)`;
    None checks only the shape and types (classes and steps are then checked when costing).
    Raises RosterError listing every problem with its row and column.
    """
    raw, default_name = _as_bytes(data)
    source = name or default_name
    try:
        table = _read_table(raw, source)
    except UploadError as exc:
        raise RosterError(source, exc.problems, total=exc.total) from None
    cells, rows = _by_column(table)
    ros = validate(table.header, cells, rows, valid, source, _reading_problems(table))
    if table.encoding not in (None, "utf-8"):  # said where the rows were read as Windows-1252
        ros = replace(ros, notes=(*ros.notes, f"Encoding: {table.encoding_note()}."))
    return ros


def validate_roster(
    table: pd.DataFrame, valid: pd.DataFrame | None, source: str = "roster"
) -> Roster:
    """Validate a roster already in a DataFrame (one row per roster line, in file order, so
    DataFrame row i is spreadsheet row i + 2)."""
    columns = [table.iloc[:, j] for j in range(table.shape[1])]
    rows = np.arange(2, len(table) + 2, dtype=np.int64)
    return validate(list(table.columns), columns, rows, valid, source, [])


def illustrative_roster(valid: pd.DataFrame | None = None) -> Roster:
    """The built-in SYNTHETIC roster (data/samples/illustrative_roster.csv): invented
    incumbents in real classes of both agreements, to try the costing without real data."""
    roster = read_roster(ILLUSTRATIVE_ROSTER, valid)
    return replace(
        roster,
        illustrative=True,
        notes=(
            *roster.notes,
            "Illustrative roster: synthetic incumbents, not real employees "
            f"({ILLUSTRATIVE_ROSTER.name}).",
        ),
    )


def check_positions(roster: Roster, valid: pd.DataFrame) -> Roster:
    """Check a roster's classes and steps against valid positions (for a roster read without
    the warehouse); raises RosterError naming each row."""
    checks = Positions.of(valid)
    rows = roster.rows
    agency = rows["agency"].to_numpy(dtype=object)
    code = rows["class_code"].to_numpy(dtype=object)
    step = rows["step"].to_numpy(dtype=object)
    got = checks.check(agency, code, step)
    row = rows["row"].to_numpy()
    problems = Problems()
    bad = got.unknown_agency | got.unknown_class | got.step_outside
    for i in np.flatnonzero(bad):
        if problems.full:
            problems.count_more(int(bad[i:].sum()))
            break
        if got.unknown_agency[i]:
            message = f"unknown agency {agency[i]!r}: the warehouse has salary schedules for "
            problems.add(int(row[i]), "agency", message + checks.known)
        elif got.unknown_class[i]:
            message = f"unknown class {got.class_code[i]!r}: not a {got.agency[i]} class with a "
            problems.add(int(row[i]), "class_code", message + "salary schedule")
        else:
            steps = got.steps[i]
            message = f"step {step[i]!r} is outside the range of class {got.class_code[i]} "
            problems.add(int(row[i]), "step", message + f"({steps[0]} to {steps[-1]})")
    problems.raise_if_any(RosterError, roster.source)
    checked = rows.assign(agency=got.agency, class_code=got.class_code)
    return replace(roster, rows=checked, checked_against_warehouse=True)
