"""Data safety: a build that fails mid-way (or dies) leaves the previous warehouse; user data
(scenarios, survey uploads, class matches) survives a rebuild, a schema upgrade, a restart,
and sessions saving at the same moment from threads or processes.

tests/etl/test_build.py already covers a parse failure in the first source and a write
failure; here a later source fails after the earlier ones parsed, and a builder is killed."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import sqlite3
import subprocess
import sys
import threading

import duckdb
import pytest

from etl import defaults
from etl.errors import SourceParseError
from etl.freshness import stored_fingerprint
from etl.registry import PUBLISHED
from etl.uploads.survey_template import SURVEY_TEMPLATE, parse_survey_csv
from userdata import class_matches, scenarios, store, survey_data
from userdata.warehouse import build

from .conftest import ROOT, SEED_SCENARIO, seed_user_db, snapshot

MENDOCINO = "mendocino_seiu1021_mou_2015_2017.txt"
# A grade-chart row about 80% of the way through the Mendocino MOU.
GOOD_ROW = "S28D\t16.59\t17.42"
BAD_ROW = "S28D\t16.5x\t17.42"


def _copy_sources(tmp_path):
    raw, ref = tmp_path / "raw", tmp_path / "reference"
    shutil.copytree(defaults.RAW_DIR, raw)
    shutil.copytree(defaults.REFERENCE_DIR, ref)
    for f in raw.iterdir():
        f.chmod(0o644)
    return raw, ref


def _counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]  # fixed view names
            for v in ("salary_schedule", "wage_increases", "audit")
        }
    finally:
        con.close()


def test_a_source_failing_mid_build_leaves_the_previous_database(tmp_path, warehouse, monkeypatch):
    """The Sonoma parser (first) succeeds, the Mendocino parser (second) fails part-way
    through its grade chart: nothing is written, the old database is untouched."""
    import etl.sources.mendocino.parser
    import etl.sources.sonoma.parser

    assert [e.parser for e in PUBLISHED][:2] == [
        "etl.sources.sonoma.parser",
        "etl.sources.mendocino.parser",
    ]
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    before_fp, before_counts = stored_fingerprint(db), _counts(db)
    before_bytes = db.read_bytes()

    raw, ref = _copy_sources(tmp_path)
    doc = raw / MENDOCINO
    text = doc.read_text()
    assert text.count(GOOD_ROW) == 1
    doc.write_text(text.replace(GOOD_ROW, BAD_ROW))
    bad_line = text[: text.index(GOOD_ROW)].count("\n") + 1
    assert bad_line > 0.75 * text.count("\n")  # well into the document

    calls: list[str] = []
    real_sonoma, real_mendocino = (
        etl.sources.sonoma.parser.parse,
        etl.sources.mendocino.parser.parse,
    )

    def sonoma(raw_dir, reference_dir):
        result = real_sonoma(raw_dir, reference_dir)
        calls.append(f"sonoma ok: {len(result.salary_rates)} salary rows")
        return result

    def mendocino(raw_dir, reference_dir):
        calls.append("mendocino started")
        return real_mendocino(raw_dir, reference_dir)

    monkeypatch.setattr(etl.sources.sonoma.parser, "parse", sonoma)
    monkeypatch.setattr(etl.sources.mendocino.parser, "parse", mendocino)

    with pytest.raises(SourceParseError) as err:
        build(db, raw, ref)
    assert calls[0].startswith("sonoma ok") and int(calls[0].split(": ")[1].split()[0]) > 0
    assert calls[1] == "mendocino started"
    assert (err.value.file, err.value.line, err.value.column) == (MENDOCINO, bad_line, "Step 1")
    assert "not a dollar amount: '16.5x'" in str(err.value)
    # the earlier database: same bytes, same build, same rows, still opens read-only
    assert db.read_bytes() == before_bytes
    assert stored_fingerprint(db) == before_fp and _counts(db) == before_counts
    assert not list(tmp_path.glob(".*.tmp*"))


_KILLED_BUILDER = """
import os, sys
import etl.build as b
real, calls = b._load, [0]
def dying_load(con, table, rows):
    calls[0] += 1
    if calls[0] == 3:
        os._exit(9)  # the process dies mid-write: no exception handler, no cleanup
    real(con, table, rows)
b._load = dying_load
b.build(sys.argv[1])
"""


def test_a_builder_killed_mid_write_leaves_the_previous_database(tmp_path, warehouse):
    db = tmp_path / "k.duckdb"
    shutil.copy(warehouse, db)
    before_fp, before_counts = stored_fingerprint(db), _counts(db)
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_BUILDER, str(db)], cwd=ROOT, capture_output=True
    )
    assert proc.returncode == 9, proc.stderr.decode()
    assert stored_fingerprint(db) == before_fp and _counts(db) == before_counts
    # the half-written file is left beside it (the process had no chance to remove it) and
    # does not stop the next build, which replaces the database as usual
    leftovers = list(tmp_path.glob(".k.duckdb.*.tmp*"))
    assert leftovers
    build(db)
    assert _counts(db) == before_counts


# User data ---------------------------------------------------------------------------------


def test_user_data_survives_a_rebuild(tmp_path, warehouse, monkeypatch):
    db = tmp_path / "bargaining.duckdb"
    shutil.copy(warehouse, db)
    user = tmp_path / "user" / "userdata.sqlite"
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(user))
    seed_user_db(user)  # through the default path (no explicit path argument below)
    scenarios.save("Second offer", {**SEED_SCENARIO, "years": 3})
    before = snapshot(user)
    user_bytes = user.read_bytes()

    reader = duckdb.connect(str(db), read_only=True)  # a session holding the old warehouse
    build()  # BARGAIN_DB: the rebuild replaces the warehouse file
    assert reader.execute("SELECT count(*) FROM salary_schedule").fetchone()[0] > 0
    reader.close()

    assert user.read_bytes() == user_bytes and snapshot(user) == before
    assert scenarios.load("Second offer")["years"] == 3
    assert scenarios.load("Union first offer") == SEED_SCENARIO
    assert len(survey_data.rows()) == 2 and len(class_matches.listing()) == 1
    # the two files are apart: nothing the build writes or removes is the user file
    assert defaults.user_db_path() != defaults.db_path()
    assert not defaults.user_db_path().name.startswith(defaults.db_path().name)


def test_the_default_locations_are_apart(monkeypatch):
    monkeypatch.delenv("BARGAIN_DB", raising=False)
    monkeypatch.delenv("BARGAIN_USER_DB", raising=False)
    wh, user = defaults.db_path(), defaults.user_db_path()
    assert wh.parent == defaults.DATA_DIR and user.parent == defaults.DATA_DIR / "user"
    assert user.suffix == ".sqlite" and wh.suffix == ".duckdb"


def _v1_file_with_rows(path) -> dict:
    """A user file at the current schema version holding one row of each kind."""
    seed_user_db(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(
        store.MIGRATIONS
    )
    return snapshot(path)


V2 = """
ALTER TABLE scenarios ADD COLUMN owner TEXT;
CREATE TABLE audit_log (at TEXT NOT NULL, who TEXT, what TEXT NOT NULL);
CREATE INDEX survey_rows_agency ON survey_rows(agency)
"""


def test_a_schema_upgrade_keeps_every_row(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    before = _v1_file_with_rows(path)
    current = len(store.MIGRATIONS)
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, V2])
    assert store.migrate(path) == current + 1
    after = snapshot(path)
    assert after["user_version"] == [(current + 1,)] and after["audit_log"] == []
    assert [r[:3] for r in after["scenarios"]] == [r[:3] for r in before["scenarios"]]
    for table in ("class_matches", "survey_uploads", "survey_rows", "changelog"):
        assert after[table] == before[table], table
    # and the API reads them as before
    assert scenarios.load("Union first offer", path) == SEED_SCENARIO
    assert len(survey_data.rows(path)) == 2
    assert store.migrate(path) == current + 1  # idempotent


def test_a_failing_upgrade_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    before = _v1_file_with_rows(path)
    broken = "ALTER TABLE scenarios ADD COLUMN owner TEXT;\nDROP TABLE scenarios;\nSELECT nope()"
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        store.migrate(path)
    assert snapshot(path) == before  # the ALTER and the DROP were rolled back with it
    cols = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(scenarios)")]
    assert "owner" not in cols


def test_a_newer_file_is_left_alone_by_older_code(tmp_path):
    path = tmp_path / "newer.sqlite"
    before = _v1_file_with_rows(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    assert store.migrate(path) == 7
    after = snapshot(path)
    assert {k: v for k, v in after.items() if k != "user_version"} == {
        k: v for k, v in before.items() if k != "user_version"
    }


_READER = """
import json, sys
from userdata import class_matches, scenarios, store, survey_data
print(json.dumps({
    "scenarios": scenarios.listing()["name"].tolist(),
    "offer": scenarios.load("Union first offer"),
    "late": scenarios.load("saved then died"),
    "survey_rows": len(survey_data.rows()),
    "matches": len(class_matches.listing()),
}))
"""
_DIES_AFTER_SAVE = """
import os
from userdata import class_matches, scenarios, store, survey_data
scenarios.save("saved then died", {"agency": "Mendocino", "years": 1})
os._exit(0)  # no interpreter shutdown, no close
"""


def test_user_data_survives_a_restart(tmp_path):
    path = tmp_path / "user.sqlite"
    seed_user_db(path)
    env = {**os.environ, "BARGAIN_USER_DB": str(path)}
    died = subprocess.run([sys.executable, "-c", _DIES_AFTER_SAVE], cwd=ROOT, env=env)
    assert died.returncode == 0
    out = subprocess.run(
        [sys.executable, "-c", _READER], cwd=ROOT, env=env, capture_output=True, check=True
    )
    seen = json.loads(out.stdout)
    assert seen == {
        "scenarios": ["Union first offer", "saved then died"],
        "offer": SEED_SCENARIO,
        "late": {"agency": "Mendocino", "years": 1},
        "survey_rows": 2,
        "matches": 1,
    }


# Concurrent sessions -------------------------------------------------------------------------

N_EACH = 15


def _session(path, who: str, barrier=None) -> None:
    """One app session's saves: scenarios, a class-match decision, a survey upload, and an
    overwrite of the scenario every session shares."""
    rows = parse_survey_csv(SURVEY_TEMPLATE.read_bytes(), f"{who}.csv")
    if barrier is not None:
        barrier.wait(30)
    for i in range(N_EACH):
        scenarios.save(f"{who}-{i}", {"who": who, "i": i}, path)
        if i % 5 == 0:
            scenarios.save("shared", {"who": who, "i": i}, path)
    class_matches.save("Mendocino", f"C-{who}", "Sonoma", "0401", "manual", who, path)
    survey_data.save(f"{who}.csv", "template", rows, path)


def _check_sessions(path, sessions: list[str]) -> None:
    names = set(scenarios.listing(path)["name"])
    assert names == {f"{w}-{i}" for w in sessions for i in range(N_EACH)} | {"shared"}
    for w in sessions:
        assert scenarios.load(f"{w}-{N_EACH - 1}", path) == {"who": w, "i": N_EACH - 1}
    shared = scenarios.load("shared", path)
    assert shared["who"] in sessions and shared["i"] in range(0, N_EACH, 5)  # one whole save
    matches = class_matches.listing(path)
    assert sorted(matches["subject_class_code"]) == sorted(f"C-{w}" for w in sessions)
    uploads = survey_data.uploads(path)
    assert sorted(uploads["file_name"]) == sorted(f"{w}.csv" for w in sessions)
    rows = survey_data.rows(path)
    per_upload = rows.groupby("upload_id").size()
    assert (per_upload == uploads.set_index("upload_id")["n_rows"]).all()  # none half-stored


def test_sessions_saving_at_once_from_threads_lose_nothing(tmp_path):
    path = tmp_path / "threads.sqlite"  # not created yet: the first saves race to migrate it
    sessions = [f"t{k}" for k in range(6)]
    barrier = threading.Barrier(len(sessions))
    errors: list[BaseException] = []

    def run(who):
        try:
            _session(path, who, barrier)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    _check_sessions(path, sessions)


def test_sessions_saving_at_once_from_processes_lose_nothing(tmp_path):
    path = tmp_path / "processes.sqlite"  # not created yet
    ctx = mp.get_context("spawn")
    sessions = [f"p{k}" for k in range(3)]
    barrier = ctx.Barrier(len(sessions))
    procs = [ctx.Process(target=_session, args=(path, w, barrier)) for w in sessions]
    for p in procs:
        p.start()
    for p in procs:
        p.join(90)
    assert [p.exitcode for p in procs] == [0] * len(sessions)
    _check_sessions(path, sessions)
