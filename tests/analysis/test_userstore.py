"""User data lives apart from the warehouse, survives rebuilds, and concurrent saves all land."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3

import pandas as pd
import pytest

from analysis import userstore


def _save_many(path, prefix, n):
    for i in range(n):
        userstore.save_scenario(f"{prefix}-{i}", {"agency": "Sonoma", "i": i}, path)


def test_scenario_round_trip(tmp_path):
    db = tmp_path / "u.sqlite"
    s = {"agency": "Sonoma", "start": "2004-07-01", "years": 2, "changes": []}
    userstore.save_scenario("Union first offer", s, db)
    assert userstore.load_scenario("Union first offer", db) == s
    userstore.save_scenario("Union first offer", {**s, "years": 3}, db)
    assert userstore.load_scenario("Union first offer", db)["years"] == 3
    assert userstore.list_scenarios(db)["name"].tolist() == ["Union first offer"]
    with pytest.raises(KeyError):
        userstore.load_scenario("nope", db)


def test_concurrent_saves_from_two_processes_lose_nothing(tmp_path):
    db = tmp_path / "u.sqlite"
    userstore.migrate(db)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_save_many, args=(db, p, 25)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    names = set(userstore.list_scenarios(db)["name"])
    assert names == {f"{p}-{i}" for p in "ab" for i in range(25)}


def test_migration_keeps_rows_of_an_older_file(tmp_path):
    db = tmp_path / "old.sqlite"
    # A version-1 file with a saved scenario, as an earlier release would have left it.
    conn = sqlite3.connect(db)
    for stmt in userstore.MIGRATIONS[0].split(";"):
        if stmt.strip():
            conn.execute(stmt)
    conn.execute("INSERT INTO scenarios VALUES ('kept', '{\"a\": 1}', '2026-01-01')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    assert userstore.migrate(db) == userstore.schema_version()
    assert userstore.load_scenario("kept", db) == {"a": 1}


def test_failed_survey_save_stores_nothing(tmp_path):
    db = tmp_path / "u.sqlite"
    bad = pd.DataFrame({"agency": ["Napa County"], "class_title": ["X"]})
    with pytest.raises(ValueError):
        userstore.save_survey_upload("bad.csv", "template", bad, db)
    assert userstore.survey_uploads(db).empty


def test_class_match_decisions_upsert(tmp_path):
    db = tmp_path / "u.sqlite"
    userstore.save_class_match("Mendocino", "S502", "Sonoma", "0401", "confirmed", "", db)
    userstore.save_class_match("Mendocino", "S502", "Sonoma", "0402", "manual", "duties", db)
    df = userstore.class_matches(db)
    assert len(df) == 1 and df.iloc[0]["comparator_class_code"] == "0402"


def test_reads_do_not_take_the_write_lock_once_migrated(tmp_path, monkeypatch):
    db = tmp_path / "u.sqlite"
    userstore.save_scenario("a", {"x": 1}, db)
    calls = []
    monkeypatch.setattr(userstore, "migrate", lambda p=None: calls.append(p))
    for _ in range(5):
        userstore.list_scenarios(db)
    assert calls == []
    # A file restored over it (new inode) is checked again.
    restored = tmp_path / "restored.sqlite"
    restored.write_bytes(db.read_bytes())
    restored.replace(db)
    monkeypatch.undo()
    assert userstore.list_scenarios(db)["name"].tolist() == ["a"]
