"""`bargain survey import | list | remove`: State Controller exports as survey agencies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bargain_cli.shared import DB, FORMAT, actor, connect_db, emit
from etl.errors import BargainError


def _survey_import(args: argparse.Namespace) -> int:
    from analysis import agencies
    from etl.gcc import importer as gcc_import
    from userdata import gcc

    con = connect_db(args)
    subject = agencies.resolve(con, args.subject) if args.subject else None
    # Without --agencies every employer of the file is imported; a subject's survey list
    # then only preselects comparators among them (analysis.agencies.default_comparators).
    asked = None
    if args.agencies:
        asked = [" ".join(a.split()) for a in args.agencies.split(",") if a.strip()]
    path = Path(args.file)
    if not path.is_file():
        raise BargainError(f"{args.file}: no such file")

    said: list[str] = []

    def progress(fraction: float, message: str) -> None:
        if not said or said[-1] != message:
            said.append(message)
            print(f"  {fraction:4.0%} {message}", file=sys.stderr)

    prepared = gcc_import.prepare(
        path, path.name, agencies=asked, year=args.year, subject=subject, progress=progress
    )
    print("\n".join(prepared.report()))
    if prepared.agencies is None and subject:
        print(gcc_import.preselection_note(prepared, agencies.survey_list(con, subject)))
    for e in gcc.same_file(prepared.sha256).itertuples(index=False):
        print(
            f"warning: this same file was imported before as #{e.import_id} on "
            f"{e.imported_at} by {e.imported_by}; the latest import wins where they overlap",
            file=sys.stderr,
        )
    import_id = gcc.save(prepared, actor=actor())
    n = prepared.result.rows["agency"].nunique()
    print(
        f"Saved as State Controller import #{import_id}: {prepared.n_positions:,} positions of "
        f"{n} {'agency' if n == 1 else 'agencies'}"
    )
    return 0


def _survey_list(args: argparse.Namespace) -> int:
    from userdata import gcc

    df = gcc.imports()
    cols = [
        "import_id",
        "file_name",
        "years",
        "employer_types",
        "agencies",
        "n_positions",
        "unmatched",
        "rows_skipped",
        "subject_agency",
        "imported_at",
        "imported_by",
    ]
    emit(df[cols] if not df.empty else df, args.format)
    return 0


def _survey_remove(args: argparse.Namespace) -> int:
    from userdata import gcc

    name = gcc.delete(args.id, actor=actor())
    print(f"Removed State Controller import #{args.id} ({name}) and its positions")
    return 0


def _cmd_survey(args: argparse.Namespace) -> int:
    actions = {"import": _survey_import, "list": _survey_list, "remove": _survey_remove}
    return actions[args.action](args)


def add_survey(sub) -> None:
    sv = sub.add_parser("survey", help="State Controller (GCC) exports as survey agencies")
    sv_sub = sv.add_subparsers(dest="action", required=True)
    si = sv_sub.add_parser(
        "import",
        help="import a Government Compensation in California export (ZIP or CSV, any size)",
    )
    si.add_argument("file", help="the ZIP as downloaded from publicpay.ca.gov, or its CSV")
    si.add_argument(
        "--agencies",
        help='only these employers, comma-separated ("Napa County, City of Ukiah"); default: '
        "every employer of the file (a survey list then preselects comparators among them)",
    )
    si.add_argument("--year", type=int, help="only this Year of the file (default: every year)")
    si.add_argument(
        "--subject",
        help="the agency whose survey this is (default: none in particular)",
    )
    si.add_argument("--db", **DB)
    sl = sv_sub.add_parser("list", help="list the State Controller imports")
    sl.add_argument("--format", **FORMAT)
    sr = sv_sub.add_parser("remove", help="remove a State Controller import and its positions")
    sr.add_argument("id", type=int, help="the import id (`bargain survey list`)")
    for x in (si, sl, sr):
        x.set_defaults(func=_cmd_survey)
