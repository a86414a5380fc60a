"""Shared fixtures: the warehouse is built once per session into a temporary directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from userdata.warehouse import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("wh") / "bargaining.duckdb"
    build(db, user_db=None)
    return db


@pytest.fixture(scope="session")
def con(warehouse):
    import duckdb

    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def isolated_env(tmp_path, monkeypatch, warehouse):
    """Point the app at the session warehouse and a fresh user-data file."""
    monkeypatch.setenv("BARGAIN_DB", str(warehouse))
    monkeypatch.setenv("BARGAIN_USER_DB", str(tmp_path / "user.sqlite"))
    return tmp_path


os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
