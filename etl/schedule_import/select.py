"""Which of the tables found are read: one schedule; a grade chart with its class list; or
several sheets of one workbook that each read as a schedule (one sheet per unit, or one per
date), read together as one agreement.

Several schedule sheets: a sheet whose name states a date ("FY 2024-25", "Effective
7-1-2025", "2025-07-01") gives its pay that date; any other sheet's name is its bargaining
unit, unless the sheet has a unit column of its own. Sheets named for a pay period ("Hourly",
"Monthly") are the same pay shown twice, not units: the user chooses the sheet to read.
"""

from __future__ import annotations

from etl import stated_dates
from etl.errors import Problems
from etl.schedule_import import headers
from etl.schedule_import.layout import Layout, describe
from etl.schedule_import.options import Options

ROLES = ("schedule", "grades", "classes")
Read = tuple[Layout, Layout | None]  # a schedule or grade chart, and its class list


def select(layouts: list, options: Options, problems: Problems, notes: list[str]) -> list[Read]:
    """The tables to read (an empty list when none can be: `problems` say why)."""
    lays = [lay for _, lay in layouts]
    by_role = {r: [lay for lay in lays if lay.role == r] for r in (*ROLES, "unknown")}
    chosen: list[Read] = []
    if len(by_role["schedule"]) == 1:
        chosen = [(by_role["schedule"][0], None)]
    elif len(by_role["schedule"]) > 1 and _sheets_together(by_role, options, notes):
        chosen = [(lay, None) for lay in by_role["schedule"]]
    elif not by_role["schedule"] and len(by_role["grades"]) == 1 and len(by_role["classes"]) == 1:
        chosen = [(by_role["grades"][0], by_role["classes"][0])]
    used = {id(c) for pair in chosen for c in pair if c is not None}
    named = bool(options.sheets)
    for f, lay in layouts:
        if id(lay) in used:
            continue
        must = named or lay.table.sheet is None or not chosen
        if must and chosen:
            problems.add(
                None,
                None,
                f"{lay.name} reads as {describe(lay)} and is not needed here; leave it out",
                file=f.file_name,
            )
    if not chosen:
        _nothing_to_read(layouts, by_role, problems)
    return chosen


def _sheets_together(by_role: dict, options: Options, notes: list[str]) -> bool:
    """Several schedule sheets of one workbook: each given its date or unit (False when they
    cannot be read together)."""
    sheets = by_role["schedule"]
    if by_role["grades"] or by_role["classes"]:
        return False
    if len({lay.table.file for lay in sheets}) > 1 or any(s.table.sheet is None for s in sheets):
        return False
    if any(headers.period_of(s.table.sheet) and not _dated(s, options) for s in sheets):
        return False  # "Hourly" and "Monthly": the same pay twice
    dated, units = [], []
    for lay in sheets:
        when = _dated(lay, options)
        if when is not None:
            lay.context_date = (when, lay.table.sheet)
            dated.append(f"{lay.table.sheet!r} ({when.isoformat()})")
        elif "unit" not in lay.fields:
            lay.context_unit = " ".join(lay.table.sheet.split())
            units.append(repr(lay.table.sheet))
    file = sheets[0].table.file
    if dated:
        notes.append(f"{file}: each sheet dated by its name: {', '.join(dated)}")
    if units:
        notes.append(
            f"{file}: each sheet is a bargaining unit named by the sheet: {', '.join(units)}"
        )
    return True


def _dated(lay: Layout, options: Options):
    got = stated_dates.stated_date(lay.table.sheet or "", options.fiscal_start, bare=True)
    return got[0] if got else None


def _nothing_to_read(layouts: list, by_role: dict[str, list[Layout]], problems: Problems) -> None:
    if not layouts:
        return  # the files could not be read at all: their problems say why
    explained = [lay for _, lay in layouts if lay.problems]
    if len(explained) == len(layouts):
        for lay in explained:  # each table's own problems say why it cannot be read
            problems.extend(lay.problems)
        return
    seen = "; ".join(f"{lay.name}: {describe(lay)}" for _, lay in layouts)
    if len(by_role["schedule"]) > 1 or len(by_role["grades"]) > 1:
        msg = "more than one table reads as a salary table; choose the sheets to read"
    elif by_role["grades"] and not by_role["classes"]:
        msg = (
            "there is a grade chart but no class list mapping each class to its grade; "
            "give the class list too (a second file or sheet)"
        )
    elif by_role["classes"] and not by_role["grades"]:
        msg = "there is a class list but no pay: give the grade chart too"
    else:
        msg = "no table has classes (or grades) with pay by step"
    problems.add(None, None, f"{msg} ({seen})")
    for _, lay in layouts:
        problems.extend(lay.problems)
