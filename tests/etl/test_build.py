"""End-to-end build: every view filled, atomic replacement, failures leave the old database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import defaults
from etl.build import PUBLIC_VIEWS
from etl.errors import SourceParseError
from etl.freshness import stored_fingerprint
from userdata.warehouse import build, is_stale


def test_every_view_has_rows(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    for view in PUBLIC_VIEWS:
        n = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
        assert n > 0, view
    con.close()


def test_every_row_traces_to_a_real_source_line(con):
    for view in (
        "salary_schedule",
        "wage_increases",
        "premiums",
        "benefit_shares",
        "survey_agencies",
        "provisions",
        "audit",
        "job_classes",
        "time_off",
    ):
        orphans = con.execute(
            f"""SELECT count(*) FROM {view} v
                LEFT JOIN source_lines s ON s.doc = v.source_doc AND s.line_no = v.source_line
                WHERE s.text IS NULL"""
        ).fetchone()[0]
        assert orphans == 0, view


def test_time_off_view_columns_and_rows(con):
    cols = [r[0] for r in con.execute("DESCRIBE time_off").fetchall()]
    assert cols == [
        "agency",
        "agreement_id",
        "bargaining_unit",
        "kind",
        "service_years_min",
        "service_years_max",
        "hours_per_year",
        "cap_hours",
        "effective_date",
        "source_ref",
        "note",
        "source_doc",
        "source_line",
    ]
    counts = dict(con.execute("SELECT agency, count(*) FROM time_off GROUP BY agency").fetchall())
    assert counts == {"Sonoma": 66, "Mendocino": 15, "Contra Costa": 1}
    # Mendocino 13.1 ">15 7.694 ..." band: 7.694 h per pay period x 26
    ref, hours = con.execute(
        "SELECT source_ref, hours_per_year FROM time_off WHERE agency = 'Mendocino' "
        "AND kind = 'vacation' AND service_years_max IS NULL"
    ).fetchone()
    assert ref == "mendocino_seiu1021_mou_2015_2017.txt:1481 §13.1"
    assert hours == pytest.approx(7.694 * 26)


def test_pay_bases_follow_2080_hours(con):
    row = con.execute(
        "SELECT hourly, biweekly, monthly, annual FROM salary_schedule "
        "WHERE agency = 'Sonoma' AND class_code = '0401' AND step = 'A' "
        "AND effective_date = DATE '2002-07-23'"
    ).fetchone()
    assert row == (13.60, round(13.60 * 80, 2), round(13.60 * 2080 / 12, 2), 13.60 * 2080)


def _copy_sources(tmp_path):
    raw = tmp_path / "raw"
    ref = tmp_path / "reference"
    shutil.copytree(defaults.RAW_DIR, raw)
    shutil.copytree(defaults.REFERENCE_DIR, ref)
    for f in raw.iterdir():
        f.chmod(0o644)
    return raw, ref


def test_failed_build_leaves_previous_database(tmp_path, warehouse):
    db = tmp_path / "b.duckdb"
    shutil.copy(warehouse, db)
    before = stored_fingerprint(db)
    raw, ref = _copy_sources(tmp_path)
    sonoma = raw / "sonoma_seiu707_mou_2002_2008.txt"
    sonoma.write_text(
        sonoma.read_text().replace("0401\tACCOUNT CLERK I\t1360", "0401\tACCOUNT CLERK I\t13x0")
    )
    with pytest.raises(SourceParseError) as err:
        build(db, raw, ref)
    assert "sonoma_seiu707_mou_2002_2008.txt" in str(err.value)
    assert err.value.line is not None
    assert stored_fingerprint(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_failure_while_writing_leaves_previous_database(tmp_path, warehouse, monkeypatch):
    """A failure after parsing, halfway through writing, must not replace the database."""
    import etl.build as b

    db = tmp_path / "c.duckdb"
    shutil.copy(warehouse, db)
    before = stored_fingerprint(db)
    real_load = b._load
    calls = {"n": 0}

    def failing_load(con, table, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full (simulated)")
        real_load(con, table, rows)

    monkeypatch.setattr(b, "_load", failing_load)
    with pytest.raises(RuntimeError):
        build(db)
    assert stored_fingerprint(db) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_staleness_follows_the_sources(tmp_path, warehouse):
    raw, ref = _copy_sources(tmp_path)
    db = tmp_path / "d.duckdb"
    assert is_stale(db, raw, ref)  # missing
    build(db, raw, ref)
    assert not is_stale(db, raw, ref)
    f = raw / "sonoma_telework_agreement_announcement.txt"
    f.write_text(f.read_text() + "\n")
    assert is_stale(db, raw, ref)
    before = stored_fingerprint(db)
    build(db, raw, ref)  # a new file renamed into place: the remembered fingerprint is not used
    assert stored_fingerprint(db) != before
    assert not is_stale(db, raw, ref)


def test_a_user_data_file_holding_no_imports_leaves_the_warehouse_fresh(tmp_path, warehouse):
    """The first session that opens user data creates the file; that alone must not make the
    next session rebuild the warehouse (issue 22.4: new sessions waited ~8 s for it)."""
    from userdata import store

    raw, ref = _copy_sources(tmp_path)
    db, user = tmp_path / "d.duckdb", tmp_path / "user.sqlite"
    build(db, raw, ref, user_db=None)
    assert not is_stale(db, raw, ref, user_db=user)  # no file yet
    store.migrate(user)
    assert user.exists()
    assert not is_stale(db, raw, ref, user_db=user)


def test_cli_build_prints_counts_and_audit(tmp_path, capsys):
    from bargain_cli import main

    db = tmp_path / "cli.duckdb"
    assert main(["build", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "salary_schedule" in out and "Audit" in out


def test_cli_reports_parse_errors_without_traceback(tmp_path, capsys, monkeypatch):
    from bargain_cli import main

    raw, ref = _copy_sources(tmp_path)
    (raw / "mendocino_seiu1021_mou_2015_2017.txt").unlink()
    monkeypatch.setattr(defaults, "RAW_DIR", raw)
    assert main(["build", "--db", str(tmp_path / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "mendocino_seiu1021_mou_2015_2017.txt" in err and "Traceback" not in err
    assert not (tmp_path / "x.duckdb").exists()


def test_a_killed_builders_temporary_file_is_cleaned_up(tmp_path):
    db = tmp_path / "e.duckdb"
    stale = tmp_path / ".e.duckdb.99999.tmp"
    stale.write_bytes(b"half a database")
    build(db)
    assert not stale.exists() and db.exists()


# A source replaced by something that cannot be read: one line naming the file, exit code 2 ----

_MOU = "mendocino_seiu1021_mou_2015_2017.txt"
_CURATED = "telework_provisions.csv"


def _make_directory(path):
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("not the agreement\n")


def _make_broken_symlink(path):
    path.unlink()
    path.symlink_to(path.with_name("gone-" + path.name))


def _make_unreadable(path, monkeypatch):
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: the file system refuses it instead
        real = Path.read_bytes

        def refuse(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)


@pytest.mark.parametrize("folder", ["raw", "reference"])
@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("directory", "is a directory, not a file; put the file back in data/"),
        ("broken_symlink", "is a broken symbolic link (to "),
        ("permission", "cannot be read: permission denied"),
    ],
)
def test_cli_build_with_an_unreadable_source(tmp_path, capsys, monkeypatch, folder, how, message):
    from bargain_cli import main

    raw, ref = _copy_sources(tmp_path)
    path = raw / _MOU if folder == "raw" else ref / _CURATED
    if how == "directory":
        _make_directory(path)
    elif how == "broken_symlink":
        _make_broken_symlink(path)
    else:
        _make_unreadable(path, monkeypatch)
    monkeypatch.setattr(defaults, "RAW_DIR", raw)
    monkeypatch.setattr(defaults, "REFERENCE_DIR", ref)
    db = tmp_path / "x.duckdb"
    assert main(["build", "--db", str(db)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ") and path.name in lines[0] and message in lines[0]
    assert "Traceback" not in captured.err + captured.out
    assert not db.exists()
    # the other commands build first when the warehouse is missing: the same one line
    assert main(["steps", "--agency", "Sonoma", "--class", "0401", "--db", str(db)]) == 2
    assert path.name in capsys.readouterr().err
