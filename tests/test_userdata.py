"""User data lives apart from the warehouse, survives rebuilds, and concurrent saves all land."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from userdata import class_matches, scenarios, store, survey_data


def _save_many(path, prefix, n):
    for i in range(n):
        scenarios.save(f"{prefix}-{i}", {"agency": "Sonoma", "i": i}, path)


def test_scenario_round_trip(tmp_path):
    db = tmp_path / "u.sqlite"
    s = {"agency": "Sonoma", "start": "2004-07-01", "years": 2, "changes": []}
    scenarios.save("Union first offer", s, db)
    assert scenarios.load("Union first offer", db) == s
    scenarios.save("Union first offer", {**s, "years": 3}, db)
    assert scenarios.load("Union first offer", db)["years"] == 3
    assert scenarios.listing(db)["name"].tolist() == ["Union first offer"]
    with pytest.raises(KeyError):
        scenarios.load("nope", db)


def test_concurrent_saves_from_two_processes_lose_nothing(tmp_path):
    db = tmp_path / "u.sqlite"
    store.migrate(db)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_save_many, args=(db, p, 25)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    names = set(scenarios.listing(db)["name"])
    assert names == {f"{p}-{i}" for p in "ab" for i in range(25)}


def test_migration_keeps_rows_of_an_older_file(tmp_path):
    db = tmp_path / "old.sqlite"
    # A version-1 file with a saved scenario, as an earlier release would have left it.
    conn = sqlite3.connect(db)
    for stmt in store.MIGRATIONS[0].split(";"):
        if stmt.strip():
            conn.execute(stmt)
    conn.execute("INSERT INTO scenarios VALUES ('kept', '{\"a\": 1}', '2026-01-01')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    assert store.migrate(db) == store.schema_version()
    assert scenarios.load("kept", db) == {"a": 1}


def test_failed_survey_save_stores_nothing(tmp_path):
    db = tmp_path / "u.sqlite"
    bad = pd.DataFrame({"agency": ["Napa County"], "class_title": ["X"]})
    with pytest.raises(ValueError):
        survey_data.save("bad.csv", "template", bad, db)
    assert survey_data.uploads(db).empty


def test_class_match_decisions_upsert(tmp_path):
    db = tmp_path / "u.sqlite"
    class_matches.save("Mendocino", "S502", "Sonoma", "0401", "confirmed", "", db)
    class_matches.save("Mendocino", "S502", "Sonoma", "0402", "manual", "duties", db)
    df = class_matches.listing(db)
    assert len(df) == 1 and df.iloc[0]["comparator_class_code"] == "0402"


def test_reads_do_not_take_the_write_lock_once_migrated(tmp_path, monkeypatch):
    db = tmp_path / "u.sqlite"
    scenarios.save("a", {"x": 1}, db)
    calls = []
    monkeypatch.setattr(store, "migrate", lambda p=None: calls.append(p))
    for _ in range(5):
        scenarios.listing(db)
    assert calls == []
    # A file restored over it (new inode) is checked again.
    restored = tmp_path / "restored.sqlite"
    restored.write_bytes(db.read_bytes())
    restored.replace(db)
    monkeypatch.undo()
    assert scenarios.listing(db)["name"].tolist() == ["a"]


# State Controller imports ----------------------------------------------------------------------

REAL_ZIP = Path(__file__).resolve().parent / "data" / "2016_SuperiorCourt.zip"
COURT = "Mendocino County Superior Court"


def _prepared(subject=None):
    from etl.gcc import importer as gcc_import

    return gcc_import.prepare(REAL_ZIP, REAL_ZIP.name, agencies=[COURT], subject=subject)


def test_gcc_import_round_trip(tmp_path):
    from userdata import gcc

    db = tmp_path / "u.sqlite"
    prepared = _prepared("Mendocino")
    first = gcc.save(prepared, db, actor="ana")
    rows = gcc.rows(db)
    assert len(rows) == 31 and set(rows["import_id"]) == {first}
    assert list(rows.columns[1 : 1 + len(gcc.POSITION_COLUMNS)]) == gcc.POSITION_COLUMNS

    def plain(df):
        df = df[gcc.POSITION_COLUMNS].sort_values(["agency", "position", "year"])
        return df.astype(object).where(df.notna(), None).reset_index(drop=True)

    pd.testing.assert_frame_equal(plain(rows), plain(prepared.result.rows), check_dtype=False)
    d = gcc.detail(first, db)
    assert d["agencies_asked"] == [COURT] and d["unmatched"] == []
    assert d["matched"][0]["employer_name"] == COURT and d["imported_by"] == "ana"
    assert d["sha256"] == prepared.sha256 and d["bytes"] == REAL_ZIP.stat().st_size
    assert gcc.agencies_for("Mendocino", db) == [COURT] and gcc.agencies_for("Sonoma", db) == []
    second = gcc.save(_prepared(), db)
    assert gcc.same_file(prepared.sha256, db)["import_id"].tolist() == [first, second]
    assert gcc.agencies_for("Sonoma", db) == [COURT]  # an import for no subject in particular
    assert len(gcc.rows(db)) == 62  # the cache sees the new import
    gcc.delete(first, db)
    assert set(gcc.rows(db)["import_id"]) == {second}
    log = store.changelog(db)
    assert log["action"].tolist()[:3] == ["deleted", "saved", "saved"]
    assert (
        "31 positions of 1 agency (Mendocino County Superior Court), 2016" in log["detail"].iloc[2]
    )
    with pytest.raises(gcc.UnknownImportError, match="no State Controller import #99"):
        gcc.delete(99, db)


def test_a_failed_gcc_save_stores_nothing(tmp_path):
    from userdata import gcc

    db = tmp_path / "u.sqlite"
    prepared = _prepared()
    prepared.result.rows.loc[5, "position"] = None  # NOT NULL: the sixth insert fails
    with pytest.raises(sqlite3.IntegrityError):
        gcc.save(prepared, db)
    assert gcc.imports(db).empty and gcc.rows(db).empty and store.changelog(db).empty


def test_migration_to_the_gcc_tables_keeps_older_rows(tmp_path):
    db = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(db)
    for script in store.MIGRATIONS[:2]:
        store._run_script(conn, script)
    conn.execute("INSERT INTO scenarios VALUES ('kept', '{\"a\": 1}', '2026-01-01', 'local')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    assert store.migrate(db) == store.schema_version() >= 3
    assert scenarios.load("kept", db) == {"a": 1}
    from userdata import gcc

    assert gcc.imports(db).empty


def test_a_name_or_body_that_could_not_be_stored_is_refused(tmp_path):
    """A lone surrogate (what a broken paste or a JSON "\\ud800" escape gives) cannot be
    written to SQLite as UTF-8: the save is refused with a clear message, nothing is stored."""
    from analysis.scenario import ScenarioError
    from etl.defaults import MAX_NAME

    db = tmp_path / "u.sqlite"
    scenarios.save("kept", {"a": 1}, db)
    cases = [
        ("offer \ud800", {"a": 1}, "the name has an undecodable character (U+D800)"),
        ("x" * 100_000, {"a": 1}, f"more than {MAX_NAME}"),
        ("   ", {"a": 1}, "is empty: give the scenario a name"),
        ("ok", {"changes": [{"label": "bad \udcff"}]}, "changes[0], field 'label'"),
        ("ok", {"\ud800": 1}, "undecodable character"),
    ]
    for name, body, text in cases:
        with pytest.raises(ScenarioError) as info:
            scenarios.save(name, body, db)
        assert text in str(info.value)
        str(info.value).encode("utf-8")  # the message itself can be shown and stored
    assert scenarios.listing(db)["name"].tolist() == ["kept"]


def test_a_name_is_stored_as_typed_names_are_read(tmp_path):
    db = tmp_path / "u.sqlite"
    scenarios.save("  County   LBFO\t3-2-2 ", {"a": 1}, db)
    assert scenarios.listing(db)["name"].tolist() == ["County LBFO 3-2-2"]
