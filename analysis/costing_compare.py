"""Helpers for the Costing page: the scenario builder's tables to and from the scenario JSON,
the market gaps that feed a "bring to market" change, and saved scenarios compared side by side.

Pure functions (no Streamlit) so the page only wires widgets: every value the page shows is
computed here or in analysis/costing.py. The builder edits one table per change type; a
scenario goes to tables with `changes_to_tables` and back with `tables_to_changes`, which
returns the JSON form of analysis/scenario.py and, for each change, where it came from in the
builder ("Targeted increases, row 2") so a ScenarioError can point at the row to fix.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analysis import costing
from analysis.costing import PARTS, CostResult
from analysis.roster import Roster, RosterError, illustrative_roster, read_roster, valid_positions
from analysis.scenario import ScenarioError, ToMarket
from etl import labels
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
PART_LABELS = {p: labels.PARTS[p].capitalize() for p in PARTS}


# Small conversions -----------------------------------------------------------------------------


def _blank(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and not v.strip():
        return True
    return isinstance(v, list | tuple | np.ndarray) and len(v) == 0


def iso_date(v: Any) -> Any:
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
    roll-ups, no step movement (the JSON form of analysis/scenario.py)."""
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


def overtime_to_table(overtime: dict) -> pd.DataFrame:
    df = pd.DataFrame(
        [(str(k), _number(v)) for k, v in (overtime or {}).items()],
        columns=["class_code", "hours"],
    )
    return df.astype({"class_code": "object", "hours": "float64"})


def table_to_overtime(df: pd.DataFrame) -> dict:
    """Overtime hours a year per FTE by class ("*" = every other class); blank rows dropped."""
    out: dict[str, Any] = {}
    for r in df.to_dict("records"):
        code, hours = _text(r.get("class_code")), _number(r.get("hours"))
        if code is None and hours is None:
            continue
        out[code or "*"] = hours
    return out


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
            v = iso_date(v)
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
        if df is None:
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


# Bring to market -----------------------------------------------------------------------------


def to_market_from_gaps(
    table: pd.DataFrame,
    threshold: float,
    staged: bool,
    effective: Any,
    old: dict,
    as_of: date,
    comparators: tuple[str, ...],
) -> tuple[dict, int]:
    """The bring-to-market change filled from a market comparison (its gaps as % below
    market), keeping what the builder's widgets hold (threshold, all at once or staged, the
    date, the label), and how many classes it moves."""
    new = to_market_change(
        gaps_from_market(table),
        float(threshold),
        "below_market",
        effective=None if staged else iso_date(effective or old.get("effective") or as_of),
        stages=(old.get("stages") or [{"effective": as_of.isoformat(), "share": 0.5}])
        if staged
        else None,
        label=old.get("label") or f"to market vs {', '.join(comparators)} on {as_of}",
    )
    moved = int((table["pct_below_market"] > new.get("threshold", 0)).sum())
    return new, moved


def gaps_from_market(table: pd.DataFrame) -> dict[str, float]:
    """Class code -> % below market ((market - own) / market), the convention of "more than
    X% below market" (gap_basis "below_market"); classes without a market value are left out."""
    out = {}
    for code, gap in zip(table["subject_class_code"], table["pct_below_market"], strict=True):
        if gap is not None and not (isinstance(gap, float) and math.isnan(gap)):
            out[str(code)] = round(float(gap), 2)
    return out


def gaps_to_table(gaps: dict) -> pd.DataFrame:
    df = pd.DataFrame(
        [(str(k), _number(v)) for k, v in (gaps or {}).items()], columns=["class_code", "gap_pct"]
    )
    return df.astype({"class_code": "object", "gap_pct": "float64"})


def table_to_gaps(df: pd.DataFrame) -> dict:
    out: dict[str, Any] = {}
    for r in df.to_dict("records"):
        code, gap = _text(r.get("class_code")), _number(r.get("gap_pct"))
        if code is None and gap is None:
            continue
        out[code or ""] = gap
    return out


def stages_to_table(stages: list[dict]) -> pd.DataFrame:
    """Stages as rows: effective (date), share_pct (percent of the gap closed at that stage)."""
    rows = []
    for s in stages or []:
        share = _number(s.get("share"))
        rows.append(
            (
                _to_date(s.get("effective")) or s.get("effective"),
                share * 100 if isinstance(share, float) else share,
            )
        )
    df = pd.DataFrame(rows, columns=["effective", "share_pct"])
    return df.astype({"effective": "object", "share_pct": "float64"})


def table_to_stages(df: pd.DataFrame) -> list[dict]:
    out = []
    for r in df.to_dict("records"):
        eff, pct = iso_date(r.get("effective")), _number(r.get("share_pct"))
        if eff is None and pct is None:
            continue
        share = round(pct / 100, 10) if isinstance(pct, float) else pct
        out.append({"effective": eff, "share": share})
    return out


def to_market_change(
    gaps: dict,
    threshold: float,
    gap_basis: str,
    effective: str | None = None,
    stages: list[dict] | None = None,
    label: str | None = None,
) -> dict:
    """A to_market change in its JSON form: all at once on `effective`, or in `stages`."""
    c: dict[str, Any] = {"type": "to_market", "gaps": gaps}
    if threshold:
        c["threshold"] = threshold
    if gap_basis != "increase_to_market":
        c["gap_basis"] = gap_basis
    if stages is not None:
        c["stages"] = stages
    else:
        c["effective"] = effective
    if label:
        c["label"] = label
    return c


def market_moves(gaps: dict, threshold: float, gap_basis: str) -> pd.DataFrame:
    """Which classes a bring-to-market change moves and by how much: class_code, gap_pct (in
    the gap_basis convention), increase_pct (the raise that reaches market), moved."""
    clean = {
        str(k): float(v)
        for k, v in (gaps or {}).items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }
    if gap_basis == "below_market":
        clean = {k: v for k, v in clean.items() if v < 100}
    inc = ToMarket(clean, (), threshold or 0.0, gap_basis).increase_to_market()
    df = pd.DataFrame(
        {
            "class_code": list(clean),
            "gap_pct": list(clean.values()),
            "increase_pct": [round(inc[k] * 100, 2) if k in inc else 0.0 for k in clean],
            "moved": [k in inc for k in clean],
        }
    )
    return df.sort_values(["moved", "gap_pct"], ascending=[False, False]).reset_index(drop=True)


# Pay calendar hint -----------------------------------------------------------------------------


def pay_period_hint(schedule_dates: list, start: date) -> str | None:
    """pay_calendar.off_calendar_hint over an agency's schedule dates (any date-like)."""
    return off_calendar_hint([pd.Timestamp(d).date() for d in schedule_dates], start)


# Rosters and costing -------------------------------------------------------------------------


def load_roster(con: duckdb.DuckDBPyConnection, data: bytes | None, name: str) -> Roster:
    """An uploaded roster (CSV or XLSX bytes) validated against the warehouse's classes and
    steps, or the built-in SYNTHETIC roster when `data` is None. Raises RosterError."""
    valid = valid_positions(con)
    if data is None:
        return illustrative_roster(valid)
    return read_roster(data, valid, name)


def cost_scenario(
    con: duckdb.DuckDBPyConnection, data: bytes | None, roster_name: str, scenario_json: str
) -> CostResult:
    """Cost a scenario (JSON text) over a roster given as in `load_roster` (hashable
    arguments, so the page can cache the result)."""
    return costing.cost(con, load_roster(con, data, roster_name), scenario_json)


def roster_summary(roster: Roster) -> pd.DataFrame:
    """Heads, FTE, classes and roster lines per agency, with a total row."""
    r = roster.rows.assign(fte_total=roster.rows["fte"] * roster.rows["count"])
    g = r.groupby("agency", as_index=False).agg(
        lines=("row", "count"),
        classes=("class_code", "nunique"),
        heads=("count", "sum"),
        fte=("fte_total", "sum"),
    )
    total = pd.DataFrame(
        [
            {
                "agency": "Total",
                "lines": len(r),
                "classes": int(g["classes"].sum()),
                "heads": int(r["count"].sum()),
                "fte": float(r["fte_total"].sum()),
            }
        ]
    )
    out = pd.concat([g, total], ignore_index=True) if len(g) > 1 else g
    out["fte"] = out["fte"].round(2)
    return out


def roster_problems(err: RosterError) -> pd.DataFrame:
    """A RosterError's problems as a table: row (spreadsheet numbering), column, problem."""
    rows = [(p.row, p.column or "", p.message) for p in err.problems]
    return pd.DataFrame(rows, columns=["row", "column", "problem"])


def scenario_problems(err: ScenarioError, origins: list[str] | None = None) -> pd.DataFrame:
    """A ScenarioError's problems as a table: field (e.g. changes[2].basis), problem, and for a
    change, where it is in the builder."""
    rows = []
    for p in err.problems:
        path, message = p.column or "", p.message
        where = ""
        if path.startswith("changes[") and origins:
            idx = int(path[len("changes[") :].split("]", 1)[0])
            if idx < len(origins):
                where = origins[idx]
        rows.append((path or "(scenario)", message, where))
    return pd.DataFrame(rows, columns=["field", "problem", "in the builder"])


def increment_parts(by_year: pd.DataFrame) -> pd.Series:
    """The increment over the term by part (base wages, steps, premiums, ...), labelled."""
    return pd.Series(
        {PART_LABELS[p]: round(float(by_year[f"increment_{p}"].sum()), 2) for p in PARTS}
    )


def term_summary(result: CostResult) -> dict[str, float]:
    """Headline numbers: the increment over the term, as % of the baseline over the term, and
    the value of 1% in year 1 and over the term."""
    by = result.by_year
    baseline = float(by["baseline_cost"].sum())
    total = result.cumulative_increment
    return {
        "total_increment": total,
        "total_baseline": round(baseline, 2),
        "increment_pct_of_baseline": round(total / baseline * 100, 3) if baseline else 0.0,
        "year1_increment": float(by["incremental_cost"].iloc[0]),
        "value_of_1pct_year1": float(by["value_of_1pct"].iloc[0]),
        "value_of_1pct_term": round(float(by["value_of_1pct"].sum()), 2),
    }


def annotate_notes(notes: list[str], origins: list[str] | None) -> list[str]:
    """The engine's notes with each "changes[i] (type)" followed by where the change sits in
    the builder: "changes[1] (to_market; Bring classes to market)"."""
    if not origins:
        return list(notes)

    def where(m: re.Match) -> str:
        i = int(m.group(1))
        return f"changes[{i}] ({m.group(2)}; {origins[i]})" if i < len(origins) else m.group(0)

    return [re.sub(r"changes\[(\d+)\] \((\w+)\)", where, n) for n in notes]


_WARN_WORDS = ("flat", "falls inside a pay period", "before the", "after the last", "not costed")


def is_caution(note: str) -> bool:
    """Notes that change how a number should be read (flat rates after the agreement, dates
    inside a pay period, changes that cost nothing, ...), shown more prominently."""
    return any(w in note for w in _WARN_WORDS)


def file_stem(scenario: dict) -> str:
    """A safe file name stem for a scenario's exports."""
    raw = scenario.get("name") or f"{scenario.get('agency', 'scenario')}_{scenario.get('start')}"
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(raw)).strip("_")
    return f"costing_{stem or 'scenario'}"


def describe(scenario: dict) -> str:
    """One line for a saved scenario: agency, start, years and the kinds of change."""
    changes = scenario.get("changes") or []
    kinds: dict[str, int] = {}
    for c in changes:
        if isinstance(c, dict):
            kinds[c.get("type", "?")] = kinds.get(c.get("type", "?"), 0) + 1
    what = ", ".join(f"{n} {k}" for k, n in kinds.items()) or "no changes"
    return (
        f"{scenario.get('agency')}, from {scenario.get('start')}, {scenario.get('years')} "
        f"year(s){', step movement' if scenario.get('step_movement') else ''}: {what}"
    )


# Comparing saved scenarios ---------------------------------------------------------------------


def compare_by_year(results: dict[str, CostResult]) -> pd.DataFrame:
    """One row per scenario x fiscal year: baseline, proposal, increment, cumulative."""
    cols = [
        "fiscal_year",
        "year",
        "baseline_cost",
        "proposal_cost",
        "incremental_cost",
        "cumulative_increment",
        "increment_pct",
    ]
    parts = [
        r.by_year[cols].assign(scenario=name, agency=r.scenario.agency)
        for name, r in results.items()
    ]
    if not parts:
        return pd.DataFrame(columns=["scenario", "agency", *cols])
    out = pd.concat(parts, ignore_index=True)
    return out[["scenario", "agency", *cols]]


def compare_totals(results: dict[str, CostResult]) -> pd.DataFrame:
    """One row per scenario: its horizon and the headline numbers over the term."""
    rows = []
    for name, r in results.items():
        t = term_summary(r)
        rows.append(
            {
                "scenario": name,
                "agency": r.scenario.agency,
                "start": r.scenario.start,
                "years": r.scenario.years,
                "changes": len(r.scenario.changes),
                "baseline_over_term": t["total_baseline"],
                "increment_over_term": t["total_increment"],
                "increment_pct_of_baseline": t["increment_pct_of_baseline"],
                "value_of_1pct_year1": t["value_of_1pct_year1"],
            }
        )
    return pd.DataFrame(rows)
