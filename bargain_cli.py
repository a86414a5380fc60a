"""`bargain`: a thin command line over the etl/ and analysis/ functions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.errors import BargainError


def _cmd_build(args: argparse.Namespace) -> int:
    from etl.build import build

    rep = build(Path(args.db) if args.db else None)
    print(f"Built {rep.db_path} in {rep.seconds:.2f} s")
    print("\nRows per view:")
    for view, n in rep.counts.items():
        print(f"  {view:<16} {n:>7,}")
    print("\nAudit (arithmetic checks of the printed tables):")
    for agency, check, status, n in rep.audit_summary:
        print(f"  {agency:<13} {check:<15} {status:<12} {n:>6,}")
    if rep.unexplained:
        print(f"\nUnexplained ({len(rep.unexplained)}):")
        for u in rep.unexplained:
            print(
                f"  {u['agency']} {u['class_code']} {u['effective_date']:%Y-%m-%d}: "
                f"printed {u['actual']}, "
                f"expected {u['expected']} - {u['detail']} [{u['source_ref']}]"
            )
    return 0


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bargain", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB warehouse from data/raw/")
    b.add_argument("--db", help="database path (default: $BARGAIN_DB or data/bargaining.duckdb)")
    b.set_defaults(func=_cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except BargainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
