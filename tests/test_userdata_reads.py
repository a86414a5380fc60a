"""Reads of the user-data file are answered from memory only while the file is unchanged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from userdata import read_memo, scenarios, store


def _statements(db) -> list[str]:
    """The SQL the file's reader runs from now on."""
    seen: list[str] = []
    store.read("SELECT 1", path=db)  # the reader exists
    reader = read_memo._READERS[str(db.resolve())]
    reader.conn.set_trace_callback(seen.append)
    return seen


def test_a_repeated_read_of_an_unchanged_file_runs_no_query(tmp_path):
    db = tmp_path / "u.sqlite"
    scenarios.save("a", {"x": 1}, db)
    seen = _statements(db)
    assert scenarios.listing(db)["name"].tolist() == ["a"]
    queries = [s for s in seen if "FROM scenarios" in s]
    assert len(queries) == 1
    assert scenarios.listing(db)["name"].tolist() == ["a"]
    assert len([s for s in seen if "FROM scenarios" in s]) == 1  # answered from memory
    assert "PRAGMA data_version" in seen


def test_a_save_in_this_process_is_read_at_once(tmp_path):
    db = tmp_path / "u.sqlite"
    scenarios.save("a", {"x": 1}, db)
    assert scenarios.listing(db)["name"].tolist() == ["a"]
    scenarios.save("b", {"x": 2}, db)
    assert scenarios.listing(db)["name"].tolist() == ["a", "b"]
    scenarios.delete("a", path=db)
    assert scenarios.listing(db)["name"].tolist() == ["b"]
    assert scenarios.load("b", db) == {"x": 2}


def test_a_save_by_another_process_is_read_at_once(tmp_path):
    db = tmp_path / "u.sqlite"
    scenarios.save("a", {"x": 1}, db)
    assert scenarios.listing(db)["name"].tolist() == ["a"]
    code = (
        "import sys; from pathlib import Path; from userdata import scenarios; "
        "scenarios.save('from elsewhere', {'x': 3}, Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)
    assert scenarios.listing(db)["name"].tolist() == ["a", "from elsewhere"]


def test_a_write_by_a_plain_sqlite_connection_is_read_at_once(tmp_path):
    db = tmp_path / "u.sqlite"
    scenarios.save("a", {"x": 1}, db)
    assert scenarios.listing(db)["name"].tolist() == ["a"]
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE scenarios SET name = 'renamed'")
    conn.close()
    assert scenarios.listing(db)["name"].tolist() == ["renamed"]


def test_a_file_restored_over_the_path_is_read_again(tmp_path):
    db = tmp_path / "u.sqlite"
    backup = tmp_path / "backup.sqlite"
    scenarios.save("old", {"x": 1}, backup)
    scenarios.save("new", {"x": 2}, db)
    assert scenarios.listing(db)["name"].tolist() == ["new"]
    restored = tmp_path / "restored.sqlite"
    restored.write_bytes(backup.read_bytes())
    restored.replace(db)
    assert scenarios.listing(db)["name"].tolist() == ["old"]


def test_a_reader_changing_its_table_does_not_change_the_next_read(tmp_path):
    db = tmp_path / "u.sqlite"
    scenarios.save("a", {"x": 1}, db)
    first = scenarios.listing(db)
    first.loc[0, "name"] = "changed"
    first["extra"] = 1
    again = scenarios.listing(db)
    assert again["name"].tolist() == ["a"]
    assert "extra" not in again.columns


def test_readers_are_kept_for_a_few_files_only(tmp_path):
    read_memo.forget()
    for i in range(read_memo.MAX_FILES + 3):
        scenarios.save(f"s{i}", {"i": i}, tmp_path / f"u{i}.sqlite")
        assert scenarios.listing(tmp_path / f"u{i}.sqlite")["name"].tolist() == [f"s{i}"]
    assert len(read_memo._READERS) == read_memo.MAX_FILES
    # The first file's reader was closed; reading it opens another.
    assert scenarios.listing(tmp_path / "u0.sqlite")["name"].tolist() == ["s0"]
