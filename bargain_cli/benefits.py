"""`bargain benefits import | list | remove`: premium rate sheets and employer rates, the
user's data that prices health and retirement in total compensation."""

from __future__ import annotations

import argparse
import sys

from bargain_cli.shared import DB, FORMAT, actor, connect_db, emit, read_input


def _import(args: argparse.Namespace) -> int:
    from analysis import agencies
    from etl.uploads import benefit_rates as reader
    from userdata import benefit_rates

    con = connect_db(args)
    data = read_input(args.file, "rate")
    name = args.file.replace("\\", "/").rsplit("/", 1)[-1]
    got = reader.read_rates(data, name, agencies.names(con))
    emit(got.summary(), "table", got.notes)
    for e in benefit_rates.same_file(benefit_rates.file_hash(data)).itertuples(index=False):
        print(
            f"warning: this same file was imported before as #{e.import_id} on "
            f"{e.imported_at} by {e.imported_by}; where both give a plan, tier and date, the "
            "latest import is used",
            file=sys.stderr,
        )
    import_id = benefit_rates.save(got, data, actor=actor())
    print(f"Saved as benefit rates #{import_id}: {len(got.rows)} rows from {name}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from userdata import benefit_rates

    df = benefit_rates.imports()
    emit(df.drop(columns=["sha256"]) if not df.empty else df, args.format)
    return 0


def _remove(args: argparse.Namespace) -> int:
    from userdata import benefit_rates

    name = benefit_rates.delete(args.id, actor=actor())
    print(f"Removed benefit rates #{args.id} ({name}) and its rows")
    return 0


def _cmd(args: argparse.Namespace) -> int:
    return {"import": _import, "list": _list, "remove": _remove}[args.action](args)


def add_benefits(sub) -> None:
    b = sub.add_parser(
        "benefits", help="premium rate sheets and employer rates that price health and retirement"
    )
    b_sub = b.add_subparsers(dest="action", required=True)
    bi = b_sub.add_parser(
        "import",
        help="import a rate file (CSV or XLSX: agency, benefit, plan, tier, monthly_premium, "
        "pct_of_pay, effective_date, source)",
    )
    bi.add_argument("file", help="the rate file (README, 'Benefit rate files')")
    bi.add_argument("--db", **DB)
    bl = b_sub.add_parser("list", help="list the imported rate files")
    bl.add_argument("--format", **FORMAT)
    br = b_sub.add_parser("remove", help="remove an imported rate file and its rows")
    br.add_argument("id", type=int, help="the import id (`bargain benefits list`)")
    for x in (bi, bl, br):
        x.set_defaults(func=_cmd)
