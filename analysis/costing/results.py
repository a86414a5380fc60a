"""What the Costing page shows around a costing: the roster loaded (an upload or the built-in
synthetic one) and summarized, the costing of a scenario's JSON (hashable arguments, so the
page can cache it), problems as tables, the headline numbers and notes, file names for the
downloads, and saved scenarios compared side by side."""

from __future__ import annotations

import re
import unicodedata

import duckdb
import pandas as pd

from analysis.costing import engine as costing
from analysis.costing.engine import PARTS, CostResult
from analysis.roster.reader import (
    Roster,
    RosterError,
    illustrative_roster,
    read_roster,
    valid_positions,
)
from analysis.scenario import ScenarioError
from analysis.warehouse import memo
from etl import labels

PART_LABELS = {p: labels.PARTS[p].capitalize() for p in PARTS}
MAX_STEM = 60  # characters of a download's file name taken from the scenario's name


# Rosters and costing -------------------------------------------------------------------------


def load_roster(con: duckdb.DuckDBPyConnection, data: bytes | None, name: str) -> Roster:
    """An uploaded roster (CSV or XLSX bytes) validated against the warehouse's classes and
    steps, or the built-in SYNTHETIC roster when `data` is None. Raises RosterError."""
    if data is None:
        # Read and checked once per warehouse connection: a Costing run loads the roster for
        # the roster section, the costing and the summary (about 40 ms each).
        return memo(con, "illustrative_roster", lambda: illustrative_roster(valid_positions(con)))
    return read_roster(data, valid_positions(con), name)


def cost_scenario(
    con: duckdb.DuckDBPyConnection, data: bytes | None, roster_name: str, scenario_json: str
) -> CostResult:
    """Cost a scenario (JSON text) over a roster given as in `load_roster` (hashable
    arguments, so the page can cache the result)."""
    return costing.cost(con, load_roster(con, data, roster_name), scenario_json)


def loaded_roster_summary(
    con: duckdb.DuckDBPyConnection, data: bytes | None, name: str
) -> pd.DataFrame:
    """roster_summary of the roster `load_roster` reads (hashable arguments: cacheable)."""
    return roster_summary(load_roster(con, data, name))


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
    """A RosterError's problems as a table: row (spreadsheet numbering, as text: 'the whole
    file' for a problem of no one row), column, problem."""
    rows = [
        (str(p.row) if p.row is not None else "the whole file", p.column or "", p.message)
        for p in err.problems
    ]
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
    """A safe file name stem for a scenario's exports: the name (else agency and start) in
    ASCII letters, digits, '-', '_' and '.', other characters as '_', at most MAX_STEM
    characters of it, never hidden ('.x') or empty."""
    raw = scenario.get("name") or f"{scenario.get('agency', 'scenario')}_{scenario.get('start')}"
    text = str(raw)[: MAX_STEM * 4]  # a pasted paragraph is not read to the end
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_text)
    stem = re.sub(r"_+", "_", stem)[:MAX_STEM].strip("._-")
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
