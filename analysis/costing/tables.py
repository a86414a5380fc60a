"""The Costing page's scenario builder, tables to and from the scenario JSON: the builder edits
one table per change type (and tables of roll-ups and overtime hours); a scenario goes to
tables with `changes_to_tables` and back with `tables_to_changes`, which returns the JSON form
of analysis/scenario/__init__.py and, for each change, where it came from in the builder ("Targeted
increases, row 2") so a ScenarioError can point at the row to fix. Pure functions (no
Streamlit)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from etl.pay_calendar import off_calendar_hint

# The editable tables of the builder: change type -> its columns, in the order shown.
CHANGE_TABLES: dict[str, tuple[str, ...]] = {
    "across_the_board": ("effective", "pct", "label"),
    "targeted": ("effective", "pct", "classes", "label"),
    "premium": ("flag", "basis", "value", "current", "effective", "share", "classes", "label"),
    "one_time": ("effective", "amount", "per", "periods", "classes", "label"),
    "add_top_step": ("effective", "pct", "after_periods_at_top", "classes", "label"),
}
CHANGE_TITLES = {
    "across_the_board": "Across-the-board increases",
    "targeted": "Targeted increases",
    "to_market": "Bring classes to market",
    "premium": "Premium changes",
    "one_time": "One-time payments",
    "add_top_step": "Added top step",
}
# The order changes are written in the JSON the builder produces.
CHANGE_ORDER = ("across_the_board", "targeted", "to_market", "premium", "one_time", "add_top_step")
# Fields a change omits when they hold their default (as Scenario.to_dict does).
_DEFAULTS: dict[str, Any] = {
    "current": 0.0,
    "share": 1.0,
    "per": "fte",
    "periods": 1,
    "after_periods_at_top": 0,
}
_NUMBER_FIELDS = {"pct", "value", "current", "share", "amount"}
_INTEGER_FIELDS = {"periods", "after_periods_at_top"}
_DATE_FIELDS = {"effective"}
_LIST_FIELDS = {"classes"}

# Assumed employer roll-ups for a new scenario: placeholders to be replaced by the agency's own
# rates. Social Security 6.2% and Medicare 1.45% are the federal employer rates (Social Security
# ignores the wage base cap; some agencies do not participate); retirement 20% is a placeholder,
# not a rate from the agreements, and leaves out overtime and one-time pay.
DEFAULT_ROLLUPS: dict[str, Any] = {
    "retirement": {"pct": 20.0, "excludes": ["overtime", "one_time"]},
    "social security": 6.2,
    "medicare": 1.45,
}
DEFAULT_YEARS = 3
DEFAULT_ATB_PCT = 3.0


# Small conversions -----------------------------------------------------------------------------


def _blank(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and not v.strip():
        return True
    return isinstance(v, list | tuple | np.ndarray) and len(v) == 0


def date_text(v: Any) -> Any:
    """A cell as YYYY-MM-DD (date, datetime, Timestamp or text); None when blank; anything else
    as it is, for the scenario validator to report."""
    if _blank(v):
        return None
    if isinstance(v, pd.Timestamp | datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return pd.Timestamp(v).date().isoformat()
    if isinstance(v, str):
        text = v.strip()
        try:
            return pd.Timestamp(text).date().isoformat() if len(text) > 10 else text
        except ValueError:
            return text
    return v


def _number(v: Any) -> Any:
    if _blank(v):
        return None
    if isinstance(v, bool | np.bool_):
        return v
    if isinstance(v, int | float | np.integer | np.floating):
        return float(v)
    return v


def _integer(v: Any) -> Any:
    v = _number(v)
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _classes(v: Any) -> list[str] | None:
    if _blank(v):
        return None
    if isinstance(v, str):
        items = [x.strip() for x in v.replace(";", ",").split(",")]
    else:
        items = [str(x).strip() for x in v]
    items = [x for x in items if x]
    return items or None


def _text(v: Any) -> str | None:
    return None if _blank(v) else str(v).strip()


def _to_date(v: Any) -> date | None:
    """For tables: a JSON date as a date object (what a DateColumn edits)."""
    if _blank(v):
        return None
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        return None


# Scenarios for the builder -------------------------------------------------------------------


def default_scenario(agency: str, start: date, years: int = DEFAULT_YEARS) -> dict:
    """A new proposal: an example 3% across-the-board increase from the start, the assumed
    roll-ups, no step movement (the JSON form of analysis/scenario/__init__.py)."""
    return {
        "agency": agency,
        "start": start.isoformat(),
        "years": years,
        "step_movement": False,
        "rollups": {
            k: (dict(v, excludes=list(v["excludes"])) if isinstance(v, dict) else v)
            for k, v in DEFAULT_ROLLUPS.items()
        },
        "changes": [
            {
                "type": "across_the_board",
                "effective": start.isoformat(),
                "pct": DEFAULT_ATB_PCT,
                "label": "example: edit or delete",
            }
        ],
    }


def for_agency(current: dict, agency: str, start: date) -> dict:
    """A fresh proposal for another agency, keeping the current assumptions (years, step
    movement, roll-ups): class codes and dates differ between agreements, so the changes and
    overtime hours start over."""
    new = default_scenario(agency, start, int(current.get("years") or DEFAULT_YEARS))
    new["step_movement"] = bool(current.get("step_movement", False))
    if isinstance(current.get("rollups"), dict):
        new["rollups"] = current["rollups"]
    return new


def rollups_to_table(rollups: dict) -> pd.DataFrame:
    """Roll-ups as rows: name, pct (percent of pay), excludes (parts of pay left out)."""
    rows = []
    for name, spec in (rollups or {}).items():
        if isinstance(spec, dict):
            rows.append((name, _number(spec.get("pct")), list(spec.get("excludes") or [])))
        else:
            rows.append((name, _number(spec), []))
    df = pd.DataFrame(rows, columns=["name", "pct", "excludes"])
    df["pct"] = df["pct"].astype("float64")
    return df.astype({"name": "object", "excludes": "object"})


def table_to_rollups(df: pd.DataFrame) -> dict:
    """The roll-ups table back to JSON; blank rows are dropped, a row with a rate but no name
    gets one ("rollup 2") so the rate is not lost silently."""
    out: dict[str, Any] = {}
    for i, r in enumerate(df.to_dict("records"), start=1):
        name, pct, excludes = _text(r.get("name")), _number(r.get("pct")), r.get("excludes")
        ex = _classes(excludes) or []
        if name is None and pct is None and not ex:
            continue
        name = name or f"rollup {i}"
        out[name] = {"pct": pct, "excludes": ex} if ex else pct
    return out


def code_map_to_table(mapping: dict | None, value: str) -> pd.DataFrame:
    """A number per class code ({"0401": 40}) as an editor table: class_code, `value`."""
    df = pd.DataFrame(
        [(str(k), _number(v)) for k, v in (mapping or {}).items()], columns=["class_code", value]
    )
    return df.astype({"class_code": "object", value: "float64"})


def table_to_code_map(df: pd.DataFrame, value: str, blank_code: str) -> dict:
    """The editor table back to {class code: number}; blank rows dropped, a row with a number
    but no code under `blank_code` (for the validator to judge)."""
    out: dict[str, Any] = {}
    for r in df.to_dict("records"):
        code, number = _text(r.get("class_code")), _number(r.get(value))
        if code is None and number is None:
            continue
        out[code or blank_code] = number
    return out


def overtime_to_table(overtime: dict) -> pd.DataFrame:
    return code_map_to_table(overtime, "hours")


def table_to_overtime(df: pd.DataFrame) -> dict:
    """Overtime hours a year per FTE by class ("*" = every other class); blank rows dropped."""
    return table_to_code_map(df, "hours", "*")


def empty_change_table(kind: str) -> pd.DataFrame:
    return change_table(kind, [])


def change_table(kind: str, changes: list[dict]) -> pd.DataFrame:
    """The builder table of one change type (dates as dates, class lists as lists)."""
    cols = CHANGE_TABLES[kind]
    rows = []
    for c in changes:
        row = {}
        for col in cols:
            v = c.get(col, _DEFAULTS.get(col))
            if col in _DATE_FIELDS:
                v = _to_date(v) if _to_date(v) is not None else v
            elif col in _LIST_FIELDS:
                v = list(v) if isinstance(v, list | tuple) else None
            row[col] = v
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(cols))
    numeric = _NUMBER_FIELDS | _INTEGER_FIELDS
    types = {c: ("float64" if c in numeric else "object") for c in cols}
    return df.astype(types)


def edited_table(kind: str, df: pd.DataFrame) -> pd.DataFrame:
    """A builder table as edited, in the types its editor takes (dates as dates, class lists
    as lists, numbers as floats), every row kept as typed, half-filled ones too: the editor is
    drawn again from it (an editor refuses, say, a date column holding text)."""
    rows = []
    for row in df.to_dict("records"):
        r = {}
        for col in CHANGE_TABLES[kind]:
            v = row.get(col)
            if col in _DATE_FIELDS:
                v = _to_date(date_text(v))
            elif col in _LIST_FIELDS:
                v = _classes(v)
            r[col] = v
        rows.append(r)
    return change_table(kind, rows)


@dataclass
class BuilderState:
    """A scenario's changes as the builder edits them: one table per change type, the (first)
    bring-to-market change, and any change the builder cannot show (a second to_market), kept
    as JSON so nothing is lost."""

    tables: dict[str, pd.DataFrame]
    to_market: dict | None = None
    kept: list[dict] = field(default_factory=list)


def changes_to_tables(changes: list[dict]) -> BuilderState:
    by_kind: dict[str, list[dict]] = {k: [] for k in CHANGE_TABLES}
    to_market, kept = None, []
    for c in changes or []:
        kind = c.get("type") if isinstance(c, dict) else None
        if kind == "to_market" and to_market is None:
            to_market = dict(c)
        elif kind in by_kind:
            by_kind[kind].append(c)
        else:
            kept.append(c)
    return BuilderState({k: change_table(k, v) for k, v in by_kind.items()}, to_market, kept)


def _row_to_change(kind: str, row: dict) -> dict | None:
    values = {}
    for col in CHANGE_TABLES[kind]:
        v = row.get(col)
        if col in _DATE_FIELDS:
            v = date_text(v)
        elif col in _NUMBER_FIELDS:
            v = _number(v)
        elif col in _INTEGER_FIELDS:
            v = _integer(v)
        elif col in _LIST_FIELDS:
            v = _classes(v)
        else:
            v = _text(v)
        values[col] = v
    if all(v is None for v in values.values()):
        return None  # a blank row added by the editor
    out: dict[str, Any] = {"type": kind}
    for col, v in values.items():
        if col in ("label", "classes") and v is None:
            continue
        if col in _DEFAULTS and (v is None or v == _DEFAULTS[col]):
            continue
        out[col] = v  # None for a required field: the validator names it
    return out


def tables_to_changes(state: BuilderState) -> tuple[list[dict], list[str]]:
    """The builder's tables back to the JSON changes list, and where each change came from
    (for error messages): "Targeted increases, row 2"."""
    changes: list[dict] = []
    origins: list[str] = []
    for kind in CHANGE_ORDER:
        if kind == "to_market":
            if state.to_market is not None:
                changes.append(state.to_market)
                origins.append(CHANGE_TITLES["to_market"])
            continue
        df = state.tables.get(kind)
        if df is None or df.empty:  # (to_dict of an empty table costs 2 ms per run)
            continue
        for n, row in enumerate(df.to_dict("records"), start=1):
            c = _row_to_change(kind, row)
            if c is not None:
                changes.append(c)
                origins.append(f"{CHANGE_TITLES[kind]}, row {n}")
    for c in state.kept:
        changes.append(c)
        origins.append("kept from the JSON (edit it there)")
    return changes, origins


# Pay calendar hint -----------------------------------------------------------------------------


def pay_period_hint(schedule_dates: list, start: date) -> str | None:
    """pay_calendar.off_calendar_hint over an agency's schedule dates (any date-like)."""
    return off_calendar_hint([pd.Timestamp(d).date() for d in schedule_dates], start)
