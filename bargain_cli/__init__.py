"""`bargain`: a thin command line over the etl/, analysis/ and userdata/ functions.

One module per group of commands (analysis, benefits, data, survey) and what they share
(shared).
May import: every layer below (etl, analysis, userdata, exports)."""

from __future__ import annotations

import argparse
import sys

from bargain_cli import analysis, benefits, data, publish, survey, texts
from bargain_cli.shared import DB, FORMAT
from etl.errors import BargainError


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bargain", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB warehouse from data/raw/")
    b.add_argument("--db", **DB)
    b.set_defaults(func=data.cmd_build)
    analysis.add_gap(sub)
    analysis.add_steps_and_cost(sub)
    data.add_import(sub)
    survey.add_survey(sub)
    benefits.add_benefits(sub)
    publish.add_publish(sub)
    texts.add_texts(sub)
    ag = sub.add_parser("agreements", help="list imported agreements, or remove one")
    ag.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    ag.add_argument("id", nargs="?", help="import id or agreement id (remove)")
    ag.add_argument("--format", **FORMAT)
    ag.add_argument("--db", **DB)
    ag.set_defaults(func=data.cmd_agreements)
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
