"""Settings: paths, limits and defaults named in one place (the CLI, the app, the parsers and
the tests read them here; README's "Limits" table is checked against this module)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from etl.pay import HOURS_PER_YEAR

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
REFERENCE_DIR = DATA_DIR / "reference"
TEMPLATES_DIR = DATA_DIR / "templates"
SAMPLES_DIR = DATA_DIR / "samples"
SCHEMA_SQL = Path(__file__).resolve().parent / "schema.sql"

# Uploads -------------------------------------------------------------------------------------
# The app refuses larger files (server.maxUploadSize in .streamlit/config.toml, in MB of
# 1,048,576 bytes, as Streamlit counts them) and every parser refuses them again, so a file
# handed over by another route (CLI, a test) is held to the same limit.
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# An XLSX (and a ZIP) is compressed: a small upload can unpack to gigabytes or claim a million
# rows of a sixteen-thousand-column sheet. These bound the work a workbook can ask for.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_ROWS = 500_000
MAX_XLSX_COLUMNS = 200
# A PDF is compressed too, and a page can claim any size or hold any amount of text: these
# bound what one PDF upload can make the reader do (etl/uploads/pdf/pages.py), checked before a page
# is laid out. A county schedule is tens of pages of letter or legal paper, a few thousand
# characters each; a statewide one a few hundred pages.
MAX_PDF_PAGES = 500
MAX_PDF_PAGE_INCHES = 60  # each side (ANSI E is 34 x 44 inches)
MAX_PDF_UNPACKED_BYTES = 100 * 1024 * 1024  # all its streams, decompressed
MAX_PDF_PAGE_CHARS = 30_000  # characters of text on one page
MAX_PDF_CHARS = 2_000_000  # and in the whole file

# An agreement's text (etl/agreement_text/): a PDF, DOCX or TXT within MAX_UPLOAD_BYTES. A
# PDF is read by the same bounded reader as a salary table (the MAX_PDF_* limits above); a
# DOCX is a ZIP: its unpacked size is bounded too.
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_AGREEMENT_LINES = 100_000  # lines (paragraphs of a DOCX) in one agreement
# A clause search: a few words or a phrase, not a pasted page; hits returned at most.
MAX_SEARCH_CHARS = 200
MAX_SEARCH_TERMS = 12
MAX_SEARCH_HITS = 500

# The State Controller's GCC export comes at any size (a statewide County or City file is
# hundreds of MB), so it does not go through the upload limit above: it is read from the
# server-side imports folder (`imports_dir()`), from a path on the command line, or uploaded
# when it is small. The reader streams it and caps the uncompressed CSV at MAX_GCC_CSV_BYTES
# (etl/gcc/archive.py: a ZIP bomb stops there). GCC_UPLOAD_MB is the GCC uploader's own limit:
# the server's maxUploadSize caps every upload, so it cannot be more than MAX_UPLOAD_MB.
MAX_GCC_CSV_BYTES = 2 * 1024**3
GCC_UPLOAD_MB = MAX_UPLOAD_MB
IMPORTS_DIR = DATA_DIR / "imports"
GCC_SUFFIXES = (".zip", ".csv")

# Problems reported per file, and characters per message (etl/errors.py).
MAX_PROBLEMS = 100
MAX_MESSAGE = 300
# Characters in one text cell (a class title, an agency, a source note) and in a name a user
# gives (a scenario, an imported agreement): longer is a pasted paragraph, not a name.
MAX_TEXT = 200
MAX_NAME = 100
# Rows a page's table sends to the browser; its downloads hold every row.
MAX_TABLE_ROWS = 2_000
MAX_DESCRIPTION = 2_000  # a scenario's description: a few sentences

# Plausibility of what users type -------------------------------------------------------------
MIN_HOURLY = 1.0  # pay below $1 an hour is a typo or a wrong pay period
MAX_HOURLY = 2000.0  # and above $2,000 an hour (2,080 hours a year)
MAX_ANNUAL = MAX_HOURLY * HOURS_PER_YEAR  # $4,160,000 a year
EARLIEST_DATE = date(1900, 1, 1)  # effective dates, hire dates, scenario starts
LATEST_DATE = date(2100, 12, 31)
MIN_FTE = 0.01  # less than 1% of full time (21 hours a year) is a typo
MAX_COUNT = 1_000_000  # employees on one roster row
MAX_ONE_TIME = 1_000_000.0  # dollars per head or FTE in one one-time payment
MAX_PCT = 100.0  # a percentage change, gap or premium of pay: more than doubling is a typo
MAX_MONTHLY_PREMIUM = 10_000.0  # a benefit premium a month for one plan and tier

# Defaults ------------------------------------------------------------------------------------
DEFAULT_THRESHOLD_PCT = 2.0  # market reopeners flag classes "more than 2.0% below" (Sonoma 8.19)
DEFAULT_YEARS_OF_SERVICE = 5  # total compensation and time off are compared at this service


def upload_too_large(size: int, limit: int = MAX_UPLOAD_BYTES) -> str | None:
    """The message for a file over an upload limit (None when it is within it)."""
    if size <= limit:
        return None
    return (
        f"the file is {size / 1024 / 1024:.1f} MB, over the {limit // (1024 * 1024)} MB upload "
        "limit; split it or remove unused rows and columns"
    )


def db_path() -> Path:
    """The reference warehouse: `BARGAIN_DB` if set, else data/bargaining.duckdb."""
    return Path(os.environ.get("BARGAIN_DB") or DATA_DIR / "bargaining.duckdb")


def imports_dir() -> Path:
    """The server-side folder the app lists State Controller exports from: `BARGAIN_IMPORTS_DIR`
    if set, else data/imports/ (git-ignored). Files are put there by whoever runs the server."""
    return Path(os.environ.get("BARGAIN_IMPORTS_DIR") or IMPORTS_DIR)


def user_db_path() -> Path:
    """User data (scenarios, uploads, imported agreements, class-match decisions), kept apart
    from the rebuilt warehouse."""
    return Path(os.environ.get("BARGAIN_USER_DB") or DATA_DIR / "user" / "userdata.sqlite")


def site_dir() -> Path | None:
    """Where `bargain publish` wrote the member site (`BARGAIN_SITE_DIR`), read for its
    manifest so the My pay page can link a class to its published page; None: no site."""
    value = os.environ.get("BARGAIN_SITE_DIR")
    return Path(value) if value else None


def site_url() -> str | None:
    """The address the member site is served at (`BARGAIN_SITE_URL`, e.g. https://pay.example.org/
    or /pay/); the page links only when both this and `site_dir()` are set."""
    return os.environ.get("BARGAIN_SITE_URL") or None
