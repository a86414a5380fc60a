"""Checking a roster column by column: the header (required columns, a column named twice),
then every cell of a column at once with etl/columns.py (etl/cells.py's rules, each distinct
value checked once) and numpy masks, then the classes and steps against the warehouse
(analysis/roster/positions.py). Every problem keeps its spreadsheet row (header = row 1) and
column; they are reported in row order, left to right, capped by the one collector
(etl.errors.Problems), with a count of the rest.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from analysis.roster.model import (
    KNOWN_FLAGS,
    REQUIRED_COLUMNS,
    RESERVED_COLUMNS,
    ROW_COLUMNS,
    Roster,
    RosterError,
)
from analysis.roster.positions import Positions
from analysis.roster.table import Found, Table, header_name
from etl import cells, columns
from etl.cells import shown
from etl.defaults import MAX_COUNT, MIN_FTE
from etl.errors import Problem
from etl.uploads.reader import column_letter, render_cell

# The checks --------------------------------------------------------------------------------------


def _header(table: Table, found: Found) -> None:
    first: dict[str, int] = {}
    for j, n in enumerate(table.names):
        if n in first:
            found.add(1, n, f"column {n!r} appears twice (columns {first[n] + 1} and {j + 1})", j)
        elif n:
            first[n] = j
    for c in REQUIRED_COLUMNS:
        if not table.has(c):
            found.add(1, c, f"missing required column {c!r}")
    if not table.has("id") and not table.has("count"):
        found.add(
            1,
            "count",
            "missing column: give 'count' (employees on each row) or 'id' (one row per employee)",
        )


def _drop_blank_rows(table: Table) -> Table:
    if not table.cells:
        return table
    # Column by column, and only while some row is still blank in every column read so far
    # (a roster's first column is seldom blank, so one column usually settles it).
    blank = columns.blank(table.cells[0])
    for c in table.cells[1:]:
        if not blank.any():
            break
        blank = blank & columns.blank(c)
    return table if not blank.any() else table.take(~blank)


def _stray(table: Table, found: Found) -> None:
    """A value under no header would be dropped silently: usually an unquoted comma."""
    reported = np.zeros(len(table.rows), dtype=bool)
    for j, name in enumerate(table.names):
        if name:
            continue
        here = ~columns.blank(table.cells[j]) & ~reported
        col, letter = table.cells[j], column_letter(j)

        def message(i: int, col=col, letter=letter) -> str:
            v = col.series.iloc[i]
            return (
                f"value {shown(render_cell(v))} is in column {letter}, which has no header: "
                "name the column, or quote a value that contains a comma"
            )

        found.cells(here, letter, message, j)
        reported |= here


def _text(table: Table, found: Found, name: str, required: bool) -> columns.Column:
    """A text column read (every row blank when the column is absent)."""
    col = columns.texts(table.column(name) if table.has(name) else [None] * len(table.rows))
    if required and table.has(name):
        found.cells(col.blank, name, lambda i: f"{name} is missing")
    found.cells(col.refused, name, col.message)
    return col


def _steps(table: Table, found: Found) -> columns.Column:
    """Steps as text, upper case, without a leading "Step" ("step 3" is 3)."""

    def step_text(v: Any) -> str:
        return re.sub(r"^step\s*", "", cells.text(v), flags=re.I).upper()

    if not table.has("step"):
        return columns.texts([None] * len(table.rows))
    col = columns.parsed(table.column("step"), step_text)
    found.cells(col.blank, "step", lambda i: "step is missing")
    found.cells(col.refused, "step", col.message)
    return col


def _positions(
    found: Found,
    checks: Positions,
    agency: columns.Column,
    code: columns.Column,
    step: columns.Column,
) -> tuple[np.ndarray, np.ndarray]:
    """Agencies, classes and steps against the warehouse; (agency, class_code) as spelled
    there."""
    got = checks.check(agency, code, step)
    typed, steps = agency.values, step.values
    found.cells(
        got.unknown_agency,
        "agency",
        lambda i: (
            f"unknown agency {typed[i]!r}: the warehouse has salary schedules for {checks.known}"
        ),
    )
    found.cells(
        got.unknown_class,
        "class_code",
        lambda i: (
            f"unknown class {got.class_code[i]!r}: not a {got.agency[i]} class with a "
            "salary schedule"
        ),
    )
    found.cells(
        got.step_outside,
        "step",
        lambda i: (
            f"step {steps[i]!r} is outside the range of class {got.class_code[i]} "
            f"({got.steps[i][0]} to {got.steps[i][-1]})"
        ),
    )
    return got.agency, got.class_code


def _fte(table: Table, found: Found) -> np.ndarray:
    if not table.has("fte"):
        return np.full(len(table.rows), np.nan)
    col = columns.numbers(table.column("fte"))
    found.cells(col.blank, "fte", lambda i: "fte is missing")
    found.cells(
        col.refused,
        "fte",
        lambda i: f"fte must be a number from {MIN_FTE:g} to 1: {col.message(i)}",
    )
    x = col.values
    with np.errstate(invalid="ignore"):
        outside = col.ok & ~((x >= MIN_FTE) & (x <= 1))
    found.cells(
        outside,
        "fte",
        lambda i: (
            f"fte {x[i]:g} is outside {MIN_FTE:g} to 1 (the share of full time; less "
            f"than {MIN_FTE:g} is a typo)"
        ),
    )
    return x


def _count(table: Table, found: Found) -> np.ndarray:
    n = len(table.rows)
    has_id = table.has("id")
    if not table.has("count"):
        return np.ones(n, dtype=np.int64)
    col = columns.numbers(table.column("count"))
    if not has_id:
        found.cells(col.blank, "count", lambda i: "count is missing")
    need = f"count must be a whole number of employees (1 to {MAX_COUNT:,})"
    found.cells(col.refused, "count", lambda i: f"{need}: {col.message(i)}")
    x = col.values
    with np.errstate(invalid="ignore"):
        bad = col.ok & ~((x >= 1) & (x <= MAX_COUNT) & (np.mod(x, 1) == 0))
    found.cells(bad, "count", lambda i: f"{need}, got {shown(table.cell('count', i))}")
    return np.where(col.ok & ~bad, x, 1).astype(np.int64)


def _ids(table: Table, found: Found) -> np.ndarray:
    if not table.has("id"):
        return np.full(len(table.rows), None, dtype=object)
    col = columns.texts(table.column("id"))
    found.cells(col.blank, "id", lambda i: "id is missing")
    found.cells(col.refused, "id", col.message)
    repeated, first = col.repeats()
    ids, rows = col.values, table.rows
    found.cells(
        repeated, "id", lambda i: f"duplicate id {ids[i]!r} (first on row {rows[first[i]]})"
    )
    return ids


def _next_step_dates(table: Table, found: Found) -> np.ndarray:
    if not table.has("next_step_date"):
        return np.full(len(table.rows), np.datetime64("NaT"), dtype="datetime64[s]")
    col = columns.parsed(table.column("next_step_date"), cells.date_value, "datetime64[s]")
    found.cells(
        col.refused, "next_step_date", lambda i: f"next_step_date must be a date: {col.message(i)}"
    )
    return col.values


def _flags(table: Table, found: Found) -> tuple[dict[str, np.ndarray], list[str]]:
    """The premium flag columns (named as one, or every cell yes/no), and the columns kept
    as information only."""
    flags: dict[str, np.ndarray] = {}
    info: list[str] = []
    for name in table.index:
        if name in RESERVED_COLUMNS:
            continue
        col = columns.parsed(table.column(name), cells.flag)
        if name not in KNOWN_FLAGS and col.refused.any():
            info.append(name)
            continue
        found.cells(
            col.refused,
            name,
            lambda i, name=name: (
                f"premium flag {name!r} must be yes/no (or true/false, 1/0), "
                f"got {shown(table.cell(name, i))}"
            ),
        )
        flags[name] = np.where(col.ok, col.values, False).astype(bool)
    return flags, info


# The roster --------------------------------------------------------------------------------------


def validate(
    header: list[Any],
    cells_by_column: list[columns.Values],
    rows: np.ndarray,
    valid: pd.DataFrame | None,
    source: str,
    initial: list[Problem],
) -> Roster:
    """Check a table (header cells, the cells of each column, the spreadsheet row of each
    row) and build the Roster; RosterError with every problem otherwise. `initial` holds the
    problems the reader found (formulas, stray bytes), columns named as here."""
    names = [header_name(h) for h in header]
    names += [""] * (len(cells_by_column) - len(names))
    if not any(names):
        raise RosterError(source, [Problem(1, None, "the roster has no header row")])
    table = Table(names, cells_by_column, np.asarray(rows, dtype=np.int64))
    found = Found(table, initial)
    _header(table, found)
    table = _drop_blank_rows(table)
    found.table = table
    if not len(table.rows):
        found.add(2, None, "the roster has no rows")
    _stray(table, found)
    out: dict[str, np.ndarray] = {"row": table.rows}
    agency = _text(table, found, "agency", required=True)
    code = _text(table, found, "class_code", required=True)
    step = _steps(table, found)
    out["agency"], out["class_code"], out["step"] = agency.values, code.values, step.values
    checks = Positions.of(valid) if valid is not None else None
    if checks is not None:
        out["agency"], out["class_code"] = _positions(found, checks, agency, code, step)
    out["fte"] = _fte(table, found)
    out["count"] = _count(table, found)
    out["id"] = _ids(table, found)
    out["next_step_date"] = _next_step_dates(table, found)
    out["bargaining_unit"] = _text(table, found, "bargaining_unit", required=False).values
    out["note"] = _text(table, found, "note", required=False).values
    flags, info = _flags(table, found)
    found.raise_if_any(source)
    return _roster(out, flags, info, source, checked=checks is not None)


def _roster(
    out: dict[str, np.ndarray],
    flags: dict[str, np.ndarray],
    info: list[str],
    source: str,
    checked: bool,
) -> Roster:
    # text as objects (str, None for a blank): no conversion of a million cells to Arrow
    text = ("agency", "bargaining_unit", "class_code", "step", "id", "note")
    data: dict[str, Any] = {c: pd.Series(out[c], dtype=object) for c in text}
    data["row"] = out["row"].astype(np.int64)
    data["fte"] = out["fte"].astype(np.float64)
    data["count"] = out["count"].astype(np.int64)
    data["next_step_date"] = out["next_step_date"].astype("datetime64[s]")
    data.update(flags)
    notes = []
    if info:
        notes.append(f"Columns kept as information, not costed: {', '.join(info)}.")
    if not checked:
        notes.append("Classes and steps not yet checked against the salary schedule.")
    return Roster(
        rows=pd.DataFrame(data)[[*ROW_COLUMNS, *flags]],
        flags=tuple(flags),
        source=source,
        checked_against_warehouse=checked,
        notes=tuple(notes),
    )
