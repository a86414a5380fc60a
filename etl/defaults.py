"""Paths and constants named in one place (the CLI, the app and the tests read them here)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
REFERENCE_DIR = DATA_DIR / "reference"
SCHEMA_SQL = Path(__file__).resolve().parent / "schema.sql"

HOURS_PER_YEAR = 2080
HOURS_PER_PAY_PERIOD = 80
PAY_PERIODS_PER_YEAR = 26
MONTHS_PER_YEAR = 12

# Uploads: the app refuses larger files (server.maxUploadSize in .streamlit/config.toml, in
# MB of 1,048,576 bytes, as Streamlit counts them) and every parser refuses them again, so a
# file handed over by another route (CLI, a test, a future API) is held to the same limit.
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


def upload_too_large(size: int) -> str | None:
    """The message for a file over the upload limit (None when it is within the limit)."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    return (
        f"the file is {size / 1024 / 1024:.1f} MB, over the {MAX_UPLOAD_MB} MB upload limit; "
        "split it or remove unused rows and columns"
    )


def db_path() -> Path:
    """The reference warehouse: `BARGAIN_DB` if set, else data/bargaining.duckdb."""
    return Path(os.environ.get("BARGAIN_DB") or DATA_DIR / "bargaining.duckdb")


def user_db_path() -> Path:
    """User data (scenarios, uploads, class-match edits), kept apart from the rebuilt warehouse."""
    return Path(os.environ.get("BARGAIN_USER_DB") or DATA_DIR / "user" / "userdata.sqlite")
