"""The validated roster (`Roster`), its error (`RosterError`) and the columns a roster file
has; reading and checking a file is analysis/roster/reader.py."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from etl.defaults import DATA_DIR
from etl.errors import InputError

ILLUSTRATIVE_ROSTER = DATA_DIR / "samples" / "illustrative_roster.csv"

REQUIRED_COLUMNS = ("agency", "class_code", "step", "fte")
INFO_COLUMNS = ("bargaining_unit", "note", "name")
RESERVED_COLUMNS = (*REQUIRED_COLUMNS, "count", "id", "next_step_date", *INFO_COLUMNS)
# Columns with these names must be yes/no premium flags; other yes/no columns are flags too.
KNOWN_FLAGS = (
    "bilingual",
    "shift",
    "evening_shift",
    "night_shift",
    "swing_shift",
    "graveyard_shift",
    "on_call",
    "standby",
)
# The columns of `Roster.rows`, in order (the premium flags follow).
ROW_COLUMNS = (
    "row",
    "agency",
    "bargaining_unit",
    "class_code",
    "step",
    "fte",
    "count",
    "id",
    "next_step_date",
    "note",
)


class RosterError(InputError):
    """A roster that cannot be costed, with every problem found (etl.errors.Problem: the
    spreadsheet row, header = row 1, and the column)."""

    consequence = "nothing was costed; rows are numbered as in a spreadsheet (header = row 1)"


@dataclass(frozen=True, eq=False)
class Roster:
    """A validated roster. `rows` has one row per roster line: row (spreadsheet row number),
    agency, bargaining_unit, class_code, step, fte, count, id, next_step_date, note, and one
    boolean column per premium flag (named in `flags`)."""

    rows: pd.DataFrame
    flags: tuple[str, ...] = ()
    source: str = "roster"
    illustrative: bool = False  # True for the built-in synthetic roster
    checked_against_warehouse: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def heads(self) -> int:
        return int(self.rows["count"].sum())

    @property
    def fte(self) -> float:
        return float((self.rows["fte"] * self.rows["count"]).sum())

    @property
    def agencies(self) -> list[str]:
        return sorted(self.rows["agency"].unique().tolist())

    def copy(self) -> Roster:
        """The same roster with rows of its own (changing them changes nothing kept)."""
        return replace(self, rows=self.rows.copy())

    def for_agency(self, agency: str) -> Roster:
        """Only the rows of one agency (a roster may mix agencies; a scenario costs one)."""
        rows = self.rows[self.rows["agency"] == agency].reset_index(drop=True)
        return replace(self, rows=rows)
