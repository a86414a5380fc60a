"""`bargain build`, `bargain import-schedule`, `bargain agreements`: the warehouse and the
agreements a user brings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bargain_cli.shared import DB, emit, read_input
from etl.errors import BargainError
from etl.pay import PAY_BASES


def cmd_build(args: argparse.Namespace) -> int:
    from userdata.warehouse import build

    rep = build(Path(args.db) if args.db else None)
    print(f"Built {rep.db_path} in {rep.seconds:.2f} s")
    for note in rep.notes:
        print(f"note: {note}")
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


def _import_options(args: argparse.Namespace) -> dict:
    """The reader's options from the flags (etl/schedule_import/options.py checks them)."""
    raw = {
        "agency": args.agency,
        "title": args.title,
        "effective": args.effective,
        "period": args.period,
        "mapping": args.map or None,
        "sheets": args.sheet or None,
        "steps": args.steps,
        "months_between_steps": args.months_between_steps,
        "steps_per_advance": args.steps_per_advance,
        "hire_step": args.hire_step,
        "term_start": args.term_start,
        "term_end": args.term_end,
    }
    return {k: v for k, v in raw.items() if v is not None}


def _cmd_import_schedule(args: argparse.Namespace) -> int:
    from etl import schedule_import
    from etl.schedule_import.stored import ImportedFile
    from userdata import agreements, warehouse

    if len(args.files) > 2:
        raise BargainError("give one table, or a grade chart and a class list (two files)")
    files = []
    for name in args.files:
        files.append(ImportedFile("schedule", Path(name).name, read_input(name, "table")))
    options = _import_options(args)
    detection = schedule_import.detect(files, options)
    print("\n".join(detection.lines()))
    got = schedule_import.read(files, options)  # raises, listing every problem
    print("\n" + "\n".join(got.summary.lines()))
    rule = got.result.step_rules[0]
    if not rule.stated:
        print(f"Step rule: {rule.notes[0]}")
    if args.dry_run:
        print("\nDry run: nothing stored.")
        return 0
    db = Path(args.db) if args.db else None
    for why in warehouse.clashes(got, db):
        raise BargainError(why)
    for e in agreements.same_files([f.data for f in files]).itertuples(index=False):
        print(
            f"warning: {e.file_name} was imported before as {e.agreement_id} (import "
            f"{e.import_id}, {e.agency}) on {e.imported_at} by {e.imported_by}; both are kept "
            f"(`bargain agreements remove {e.import_id}` removes the earlier one)",
            file=sys.stderr,
        )
    import_id, agreement_id, rep = warehouse.store(got, db=db)
    print(f"\nStored as {agreement_id} (import {import_id}).")
    print(f"Rebuilt {rep.db_path} in {rep.seconds:.2f} s.")
    for note in rep.notes:
        print(f"note: {note}")
    return 0


def cmd_agreements(args: argparse.Namespace) -> int:
    from userdata import agreements

    listing = agreements.listing()
    if args.action == "list":
        if args.id is not None:
            raise BargainError("'bargain agreements' lists; to remove one: agreements remove ID")
        emit(listing, args.format)
        return 0
    if args.id is None:
        raise BargainError("give the import id or agreement id to remove")
    wanted = str(args.id).strip()
    hit = listing[
        (listing["import_id"].astype(str) == wanted) | (listing["agreement_id"] == wanted)
    ]
    if hit.empty:
        known = ", ".join(f"{r.import_id} ({r.agreement_id})" for r in listing.itertuples())
        raise BargainError(f"no imported agreement {wanted!r}; imported: {known or 'none'}")
    row = hit.iloc[0]
    from userdata import warehouse

    rep = warehouse.remove(int(row["import_id"]), db=Path(args.db) if args.db else None)
    print(f"Removed {row['agreement_id']} ({row['agency']}).")
    print(f"Rebuilt {rep.db_path} in {rep.seconds:.2f} s.")
    return 0


def add_import(sub) -> None:
    im = sub.add_parser(
        "import-schedule",
        help="import a salary schedule (CSV/XLSX; a grade chart and a class list as two files)",
    )
    im.add_argument("files", nargs="+", metavar="FILE", help="the table (and the class list)")
    im.add_argument("--agency", required=True)
    im.add_argument("--effective", help="YYYY-MM-DD, unless every pay column is dated")
    im.add_argument("--period", choices=PAY_BASES)
    im.add_argument(
        "--map",
        action="append",
        metavar="FIELD=HEADER",
        help="class_code, class_title, step, grade, pay or pay@YYYY-MM-DD = a header",
    )
    im.add_argument("--sheet", action="append", metavar="NAME", help="a workbook sheet to read")
    im.add_argument("--steps", help="the steps in order, bottom to top: A,B,C")
    im.add_argument("--months-between-steps", type=float, metavar="N")
    im.add_argument("--steps-per-advance", type=int, metavar="N")
    im.add_argument("--hire-step")
    im.add_argument("--title", help="the agreement's title")
    im.add_argument("--term-start", help="YYYY-MM-DD (default: the first effective date)")
    im.add_argument("--term-end", help="YYYY-MM-DD (default: the last effective date)")
    im.add_argument("--dry-run", action="store_true", help="read and report; store nothing")
    im.add_argument("--db", **DB)
    im.set_defaults(func=_cmd_import_schedule)
