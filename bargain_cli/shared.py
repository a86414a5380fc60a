"""What every command shares: the warehouse connection, output formats, dates typed on the
command line, reading an input file, and who is running it."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.errors import BargainError

FORMAT = dict(choices=["table", "csv", "json"], default="table", help="output format")
DB = dict(help="database path (default: $BARGAIN_DB or data/bargaining.duckdb)")


def connect_db(args: argparse.Namespace):
    """A read-only connection to the warehouse, building it first when missing or stale."""
    from analysis.warehouse import connect
    from etl import defaults
    from userdata.warehouse import ensure_database

    db = Path(args.db) if args.db else defaults.db_path()
    ensure_database(db)
    return connect(db)


def emit(df, fmt: str, notes: list[str] | None = None, extra: dict | None = None) -> None:
    """Print a table as an aligned table, CSV or JSON. Notes go to stderr for CSV (so the
    CSV stays machine-readable) and into the JSON object for JSON."""
    import json

    import pandas as pd

    from exports.safety import neutralize

    notes = notes or []
    if fmt == "csv":
        sys.stdout.write(neutralize(df).to_csv(index=False))
        for n in notes:
            print(f"note: {n}", file=sys.stderr)
    elif fmt == "json":
        body = {
            "notes": notes,
            **(extra or {}),
            "rows": json.loads(df.to_json(orient="records", date_format="iso")),
        }
        print(json.dumps(body, indent=2, default=str))
    else:
        with pd.option_context(
            "display.max_rows",
            None,
            "display.max_columns",
            None,
            "display.width",
            200,
            "display.max_colwidth",
            48,
        ):
            print(df.to_string(index=False) if not df.empty else "(no rows)")
        for n in notes:
            print(f"\nnote: {n}")


def parse_as_of(text: str) -> date:
    """--as-of typed on the command line: YYYY-MM-DD within the dates the app accepts (the one
    reading of a typed date, etl/cells.iso_date)."""
    from etl import cells

    try:
        return cells.iso_date(text)
    except cells.CellError as exc:
        raise BargainError(f"--as-of must be YYYY-MM-DD: {exc}") from None


def as_of_date(text: str | None, con, agency: str) -> date:
    """--as-of as a date; without it, the agency's default date (inside its term)."""
    from analysis import agencies

    if not text:
        return agencies.default_as_of(con, agency)
    return parse_as_of(text)


def read_input(name: str, what: str) -> bytes:
    """A file given on the command line; a one-line BargainError when it cannot be read."""
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        why = "a broken symbolic link" if path.is_symlink() else "no such file"
    except IsADirectoryError:
        why = f"it is a directory; give the {what} file"
    except OSError as exc:
        why = exc.strerror or str(exc)
    raise BargainError(f"{name}: cannot read the file ({why})")


def actor() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "local"
