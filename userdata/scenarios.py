"""Saved costing scenarios, by name."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.scenario.json_form import scenario_name, storable
from userdata.store import LOCAL_ACTOR, log, now, read, transaction


def save(name: str, scenario: dict, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> None:
    """Save (or replace) a scenario under its name. The name is checked as a typed name
    (analysis.scenario.scenario_name: etl.cells.text rules, at most MAX_NAME characters) and
    the body for text that could not be stored or shown again (a lone surrogate): both raise
    ScenarioError, and nothing is written."""
    name = scenario_name(name)
    storable(scenario)
    body = json.dumps(scenario, sort_keys=True, default=str)
    with transaction(path) as conn:
        existed = conn.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone()
        conn.execute(
            "INSERT INTO scenarios(name, body, saved_at, saved_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at, "
            "saved_by = excluded.saved_by",
            (name, body, now(), actor),
        )
        log(conn, actor, "scenario", "replaced" if existed else "saved", name)


def listing(path: Path | None = None) -> pd.DataFrame:
    return read("SELECT name, saved_at, saved_by FROM scenarios ORDER BY name", path=path)


def load(name: str, path: Path | None = None) -> dict:
    df = read("SELECT body FROM scenarios WHERE name = ?", (name,), path=path)
    if df.empty:
        raise KeyError(f"no saved scenario named {name!r}")
    return json.loads(df["body"].iloc[0])


def delete(name: str, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> None:
    with transaction(path) as conn:
        gone = conn.execute("DELETE FROM scenarios WHERE name = ?", (name,)).rowcount
        if gone:
            log(conn, actor, "scenario", "deleted", name)
