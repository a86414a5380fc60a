"""Several processes that find the warehouse out of date at the same moment (the first session
on each app process after a source changed) build it once: the others wait for the build lock
and find it fresh (etl.build.ensure_database)."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
from pathlib import Path

from etl import defaults
from userdata.warehouse import build, is_stale

PROCESSES = 3


def _ensure(db: str, user_db: str, barrier, results) -> None:
    os.environ["BARGAIN_USER_DB"] = user_db
    from userdata.warehouse import ensure_database

    barrier.wait()
    results.put(ensure_database(Path(db)) is not None)


def test_processes_finding_it_stale_together_build_once(tmp_path, monkeypatch):
    user_db = tmp_path / "user.sqlite"
    monkeypatch.setenv("BARGAIN_USER_DB", str(user_db))
    raw = tmp_path / "raw"
    shutil.copytree(defaults.RAW_DIR, raw)
    source = raw / "sonoma_seiu707_mou_2002_2008.txt"
    source.chmod(0o644)
    source.write_text(source.read_text() + "\n")  # built from other sources: stale for the app
    db = tmp_path / "w.duckdb"
    build(db, raw, defaults.REFERENCE_DIR)
    assert is_stale(db)
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [
        ctx.Process(target=_ensure, args=(str(db), str(user_db), barrier, results))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    built = [results.get(timeout=5) for _ in range(PROCESSES)]
    assert sorted(built) == [False] * (PROCESSES - 1) + [True]
    assert not is_stale(db)
