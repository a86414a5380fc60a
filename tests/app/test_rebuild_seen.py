"""A running app sees a rebuilt warehouse without a restart."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analysis import warehouse
from etl import defaults
from userdata.warehouse import build

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SONOMA_LINES = "SELECT n_lines FROM documents WHERE doc LIKE 'sonoma_seiu%'"


def test_new_connection_sees_the_new_file_while_the_old_one_is_open(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(defaults.RAW_DIR, raw)
    db = tmp_path / "w.duckdb"
    build(db, raw, defaults.REFERENCE_DIR)
    old = warehouse.connect(db)
    before = int(warehouse.query(old, SONOMA_LINES)["n_lines"][0])
    # The source changes (one more line, which no parser reads) and the warehouse is rebuilt
    # while `old` is still open, as in a running app.
    f = raw / "sonoma_seiu707_mou_2002_2008.txt"
    f.chmod(0o644)
    f.write_text(f.read_text() + "\n")
    build(db, raw, defaults.REFERENCE_DIR)
    new = warehouse.connect(db)
    assert int(warehouse.query(new, SONOMA_LINES)["n_lines"][0]) == before + 1
    assert int(warehouse.query(old, SONOMA_LINES)["n_lines"][0]) == before  # old file, intact


def test_app_build_id_changes_after_a_rebuild(isolated_env, tmp_path, monkeypatch):
    db = tmp_path / "app.duckdb"
    build(db)
    monkeypatch.setenv("BARGAIN_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    from app_pages import common

    before = common.build_id()
    build(db)
    assert common.build_id() != before
    at.run()
    assert not at.exception
