"""The mapping step's widget state as the reader's choices (pure: no Streamlit here).

A dropdown per column holds its use (schedule_import.USES) and, for pay, a date input holds
the date the pay took effect. `chosen` turns those widget values into the rows
`schedule_import.mapping_for` reads; `undated` names the pay columns that still need a date
before an import may be kept."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

# The dropdown's words for each use, in the order offered.
USE_LABELS = {
    "class_code": "Class code",
    "class_title": "Class title",
    "step": "Step",
    "grade": "Grade or salary range",
    "unit": "Bargaining unit (group)",
    "row_date": "Effective date of the row's pay",
    "pay": "Pay at a date",
    "step_column": "Pay at one step (a column per step)",
    "ignore": "Ignore (not read)",
}


def files_digest(contents: Iterable[bytes]) -> str:
    """A short digest of the uploaded files: widget keys start afresh for other files."""
    h = hashlib.sha1()
    for data in contents:
        h.update(hashlib.sha1(data).digest())
    return h.hexdigest()[:10]


def widget_key(kind: str, digest: str, file: str, sheet: str, column: str) -> str:
    """The key of one column's dropdown (`kind` "use") or date input (`kind` "date")."""
    which = hashlib.sha1(f"{file}\x1f{sheet}\x1f{column}".encode()).hexdigest()[:10]
    return f"agr_{kind}_{digest}_{which}"


def use_options(proposed: str) -> list[str]:
    """The uses a column's dropdown offers: a column per step is found by its header (1, 2,
    3 or A, B, C), so it is offered only to the columns the reader read that way."""
    return [u for u in USE_LABELS if u != "step_column" or proposed == "step_column"]


def _day(value: object) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, date) else None


def chosen(proposed: pd.DataFrame, state: Mapping[str, object], digest: str) -> pd.DataFrame:
    """One row per column (file, sheet, column, letter, use, date, proposed_use,
    proposed_date, changed): the use and date in the widgets (`state`, by widget_key), else
    what the reader proposed. A pay column's date is the date input's; a column no longer
    read as pay has no date."""
    rows = []
    for p in proposed.to_dict("records"):
        where = (p["file"], p["sheet"] or "", p["column"])
        use = state.get(widget_key("use", digest, *where), p["use"])
        date_key = widget_key("date", digest, *where)
        when = _day(state[date_key]) if date_key in state else _day(p["date"])
        when = when if use == "pay" else None
        proposed_date = _day(p["date"])
        rows.append(
            {
                "file": p["file"],
                "sheet": p["sheet"] or "",
                "column": p["column"],
                "letter": p["letter"],
                "use": use,
                "date": when,
                "proposed_use": p["use"],
                "proposed_date": proposed_date,
                "changed": use != p["use"] or (use == "pay" and when != proposed_date),
            }
        )
    columns = ["file", "sheet", "column", "letter", "use", "date"]
    columns += ["proposed_use", "proposed_date", "changed"]
    return pd.DataFrame(rows, columns=columns)


def undated(choices: pd.DataFrame) -> list[str]:
    """The pay columns still without a date in a table that has several pay columns (each
    must say when its pay took effect; one undated pay column takes the date of the sheet's
    name, a heading or the effective date given), as "'HEADER' (file[, sheet])"."""
    pay = choices[choices["use"] == "pay"]
    out = []
    for (file, sheet), grp in pay.groupby(["file", "sheet"], sort=False):
        if len(grp) < 2:
            continue
        place = f"{file}, sheet {sheet}" if sheet else file
        out += [f"'{c}' ({place})" for c in grp.loc[grp["date"].isna(), "column"]]
    return out
