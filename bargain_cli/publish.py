"""`bargain publish DIR`: the member site, a static and cited pay lookup (exports/site/)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bargain_cli.shared import DB, parse_as_of


def cmd_publish(args: argparse.Namespace) -> int:
    from etl import defaults
    from exports.site.build import publish
    from userdata.warehouse import ensure_database  # with the user's imported agreements

    as_of = parse_as_of(args.as_of) if args.as_of else None
    db = Path(args.db) if args.db else defaults.db_path()
    ensure_database(db)
    started = time.perf_counter()
    done = publish(db, Path(args.dir), args.agency or None, as_of, jobs=args.jobs)
    m = done.manifest
    print(f"Published {done.pages} class pages ({done.files} files) to {done.target} in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    for agency, when in m["as_of"].items():
        print(f"  {agency}: " + (f"pay on {when}" if when else "no salary table (said so)"))
    print(f"data fingerprint {m['data_fingerprint'][:16]}…, site {m['site_sha256'][:16]}…")
    return 0


def add_publish(sub) -> None:
    p = sub.add_parser("publish", help="write the member site (static HTML) into a folder")
    p.add_argument("dir", help="the site's folder: new, empty, or an earlier published site")
    p.add_argument(
        "--agency",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="only these agencies (default: every agency of the warehouse)",
    )
    p.add_argument("--as-of", help="YYYY-MM-DD (default: each agency's date inside its term)")
    p.add_argument("--jobs", type=int, help="processes rendering pages (default: the cores, ≤ 4)")
    p.add_argument("--db", **DB)
    p.set_defaults(func=cmd_publish)
