"""Helpers shared by the hardening tests: the bad-input corpus, the import flow each upload
goes through in the app (parse, then store), and a snapshot of every user-data table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.costing.engine import cost
from analysis.roster.reader import illustrative_roster, read_roster, valid_positions
from analysis.scenario import parse_scenario
from etl.gcc.importer import prepare
from etl.uploads.survey_template import SURVEY_TEMPLATE, parse_survey_csv
from userdata import class_matches, gcc, scenarios, survey_data

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "tests" / "bad_inputs"
KINDS = ("roster_csv", "roster_xlsx", "survey_template", "sco_gcc", "scenario_json")

SEED_SCENARIO = {"agency": "Sonoma", "start": "2004-07-01", "years": 2, "changes": []}


@pytest.fixture(scope="session")
def positions(con) -> pd.DataFrame:
    return valid_positions(con)


@pytest.fixture(scope="session")
def sample_roster(positions):
    return illustrative_roster(positions)


def import_upload(
    kind: str,
    data: bytes,
    name: str,
    *,
    con: duckdb.DuckDBPyConnection,
    positions: pd.DataFrame,
    roster,
    user_db: Path,
):
    """What the app does with an uploaded file: validate it completely, then (only then) keep
    it. Rosters are held in the session, never stored; a survey template is stored as one
    upload, a State Controller export (read for every employer) as one import; a scenario is
    costed over the roster and saved under its name."""
    if kind in ("roster_csv", "roster_xlsx"):
        return read_roster(data, positions, name=name)
    if kind == "survey_template":
        rows = parse_survey_csv(data, name)
        return survey_data.save(name, "template", rows, user_db)
    if kind == "sco_gcc":
        prepared = prepare(data, name, agencies=None)
        return gcc.save(prepared, user_db)
    if kind == "scenario_json":
        scenario = parse_scenario(data)
        cost(con, roster, scenario)
        scenarios.save(scenario.name or name, scenario.to_dict(), user_db)
        return scenario
    raise ValueError(kind)


def seed_user_db(path: Path) -> None:
    """A user file with one saved scenario, one class match and one survey upload."""
    scenarios.save("Union first offer", SEED_SCENARIO, path)
    class_matches.save("Mendocino", "S502", "Sonoma", "0401", "confirmed", "", path)
    rows = parse_survey_csv(SURVEY_TEMPLATE.read_bytes(), "seed.csv")
    survey_data.save("seed.csv", "template", rows, path)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (and the schema version) of a user-data file."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {"user_version": [conn.execute("PRAGMA user_version").fetchone()]}
        for t in tables:
            # table names come from sqlite_master of our own file, quoted as identifiers
            out[t] = sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
        return out
    finally:
        conn.close()


@pytest.fixture()
def user_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "user.sqlite"
    monkeypatch.setenv("BARGAIN_USER_DB", str(path))
    seed_user_db(path)
    return path
