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


def _db(args: argparse.Namespace):
    """A read-only connection to the warehouse, building it first when missing or stale."""
    from analysis.warehouse import connect
    from etl import defaults
    from etl.build import ensure_database

    db = Path(args.db) if args.db else defaults.db_path()
    ensure_database(db)
    return connect(db)


def _emit(df, fmt: str, notes: list[str] | None = None, extra: dict | None = None) -> None:
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


def _cmd_gap(args: argparse.Namespace) -> int:
    from analysis import agencies, market, market_tables, market_total
    from userdata import class_matches, gcc, survey_data

    con = _db(args)
    try:
        agency = agencies.resolve(con, args.agency)
        as_of = _as_of(args.as_of, con, agency)
        comparators = [" ".join(c.split()) for c in args.against.split(",") if c.strip()]
        gap_args = dict(
            stat=args.stat,
            threshold_pct=args.threshold,
            adjust=args.adjust,
            user_decisions=class_matches.listing(),
            survey_rows=survey_data.rows(),
            gcc_rows=gcc.rows(),
            position=args.step,
        )
        if args.total:
            res = market_total.total_gap(
                con,
                agency,
                comparators,
                as_of,
                years=args.years,
                common_only=not args.each_side,
                **gap_args,
            )
        else:
            res = market.run_gap(con, agency, comparators, as_of, **gap_args)
    except ValueError as exc:
        raise BargainError(str(exc)) from None
    table = (
        market_tables.wide_table(res)
        if args.format != "table"
        else res.table[
            [
                "subject_class_code",
                "subject_title",
                *(["own_pay_annual", *(f"own_{i}" for i in res.items)] if args.total else []),
                "own_top_annual",
                "market_mean",
                "market_median",
                "market_n",
                "pct_below_market",
                "pct_increase_to_market",
                "flag",
            ]
        ]
        if not res.table.empty
        else res.table
    )
    if res.table.empty:
        res.notes.append("No benchmark class could be compared: nothing to report.")
    _emit(table, args.format, res.notes)
    return 0


def _as_of(text: str | None, con, agency: str):
    """--as-of as a date; without it, the agency's default date (inside its term)."""
    from datetime import date

    from analysis import agencies

    if not text:
        return agencies.default_as_of(con, agency)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BargainError(f"--as-of must be YYYY-MM-DD, got {text!r}") from None


def _cmd_steps(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import agencies, steps

    con = _db(args)
    try:
        agency = agencies.resolve(con, args.agency)
        code = steps.find_class(con, agency, args.class_)
        as_of = _as_of(args.as_of, con, agency)
        rule = agencies.step_rule(con, agency, as_of)
        timeline = steps.step_timeline(rule)
        by_step = steps.pay_by_step(con, agency, code, as_of)
    except ValueError as exc:
        raise BargainError(str(exc)) from None
    # Every step of the range, with the timing of the steps a new hire passes through.
    table = by_step.merge(timeline, on="step", how="left", suffixes=("_pay", ""))
    cols = [
        c
        for c in [
            "step",
            "months_from_hire",
            "months_at_step",
            "hourly",
            "biweekly",
            "monthly",
            "annual",
            "basis",
            "source_ref",
        ]
        if c in table.columns
    ]
    sched = pd.Timestamp(by_step["schedule_date"].iloc[0])
    notes = [
        f"{agency} {code} {by_step['class_title'].iloc[0]}: the schedule of {sched:%m/%d/%Y}, "
        f"in force on {as_of:%m/%d/%Y}; top step after {steps.time_to_top(rule):g} months, "
        "assuming every merit is approved on the first eligible date.",
        f"Step rule: {steps.describe_rule(rule)} [{rule.source_ref}]",
    ]
    _emit(table[cols], args.format, notes)
    return 0


def _cmd_cost(args: argparse.Namespace) -> int:
    from analysis import costing, roster, scenario

    con = _db(args)
    # Bytes, so the parser names an encoding problem instead of a decode traceback.
    scen = scenario.Scenario.parse(_read_input(args.scenario, "scenario"))
    data = _read_input(args.roster, "roster")
    ros = roster.read_roster(data, roster.valid_positions(con), args.roster)
    res = costing.cost(con, ros, scen)
    _emit(
        res.by_year,
        args.format,
        list(res.notes),
        extra={"cumulative_increment": res.cumulative_increment},
    )
    return 0


def _read_input(name: str, what: str) -> bytes:
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
    from etl import imported, schedule_import
    from userdata.agreements import ImportedFile

    if len(args.files) > 2:
        raise BargainError("give one table, or a grade chart and a class list (two files)")
    files = []
    for name in args.files:
        files.append(ImportedFile("schedule", Path(name).name, _read_input(name, "table")))
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
    import_id, agreement_id, rep = imported.store(got, db=Path(args.db) if args.db else None)
    print(f"\nStored as {agreement_id} (import {import_id}).")
    print(f"Rebuilt {rep.db_path} in {rep.seconds:.2f} s.")
    for note in rep.notes:
        print(f"note: {note}")
    return 0


def _cmd_agreements(args: argparse.Namespace) -> int:
    from userdata import agreements

    listing = agreements.listing()
    if args.action == "list":
        if args.id is not None:
            raise BargainError("'bargain agreements' lists; to remove one: agreements remove ID")
        _emit(listing, args.format)
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
    from etl import imported

    rep = imported.remove(int(row["import_id"]), db=Path(args.db) if args.db else None)
    print(f"Removed {row['agreement_id']} ({row['agency']}).")
    print(f"Rebuilt {rep.db_path} in {rep.seconds:.2f} s.")
    return 0


def _survey_import(args: argparse.Namespace) -> int:
    from analysis import agencies
    from etl import gcc_import
    from userdata import gcc

    con = _db(args)
    subject = agencies.resolve(con, args.subject) if args.subject else None
    if args.agencies:
        asked = [" ".join(a.split()) for a in args.agencies.split(",") if a.strip()]
    else:
        subject = subject or agencies.names(con, salary_table=True)[0]
        asked = agencies.survey_list(con, subject)
        if not asked:
            raise BargainError(f"{subject}'s agreement lists no survey agencies; give --agencies")
        print(f"Agencies: {subject}'s survey list ({len(asked)})")
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
    for e in gcc.same_file(prepared.sha256).itertuples(index=False):
        print(
            f"warning: this same file was imported before as #{e.import_id} on "
            f"{e.imported_at} by {e.imported_by}; the latest import wins where they overlap",
            file=sys.stderr,
        )
    import_id = gcc.save(prepared, actor=_actor())
    n = prepared.result.rows["agency"].nunique()
    print(
        f"Saved as State Controller import #{import_id}: {prepared.n_positions:,} positions of "
        f"{n} {'agency' if n == 1 else 'agencies'}"
    )
    return 0


def _actor() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "local"


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
    _emit(df[cols] if not df.empty else df, args.format)
    return 0


def _survey_remove(args: argparse.Namespace) -> int:
    from userdata import gcc

    name = gcc.delete(args.id, actor=_actor())
    print(f"Removed State Controller import #{args.id} ({name}) and its positions")
    return 0


def _cmd_survey(args: argparse.Namespace) -> int:
    actions = {"import": _survey_import, "list": _survey_list, "remove": _survey_remove}
    return actions[args.action](args)


_FORMAT = dict(choices=["table", "csv", "json"], default="table", help="output format")
_DB = dict(help="database path (default: $BARGAIN_DB or data/bargaining.duckdb)")


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bargain", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB warehouse from data/raw/")
    b.add_argument("--db", **_DB)
    b.set_defaults(func=_cmd_build)
    _add_gap(sub)
    _add_steps_and_cost(sub)
    _add_import(sub)
    _add_survey(sub)
    ag = sub.add_parser("agreements", help="list imported agreements, or remove one")
    ag.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    ag.add_argument("id", nargs="?", help="import id or agreement id (remove)")
    ag.add_argument("--format", **_FORMAT)
    ag.add_argument("--db", **_DB)
    ag.set_defaults(func=_cmd_agreements)
    return p


def _add_gap(sub) -> None:
    from etl import defaults

    g = sub.add_parser("gap", help="market gap of an agency's benchmark classes")
    g.add_argument("--agency", required=True, help="subject agency, e.g. Mendocino")
    g.add_argument("--against", required=True, help="comparator agencies, comma-separated")
    g.add_argument("--as-of", help="YYYY-MM-DD (default: a date inside the agency's term)")
    g.add_argument(
        "--step",
        choices=["top", "middle", "first"],
        default="top",
        help="the step compared (top to top by default)",
    )
    g.add_argument(
        "--adjust",
        choices=["cpi", "none"],
        default="cpi",
        help="bring comparators outside their term to the date by CPI, or not",
    )
    g.add_argument("--stat", choices=["mean", "median"], default="mean")
    g.add_argument(
        "--total",
        action="store_true",
        help="compare total compensation: pay + the employer-paid items and paid time off "
        "every agency compared prices (own_top_annual and market are then totals)",
    )
    g.add_argument(
        "--years",
        type=float,
        default=defaults.DEFAULT_YEARS_OF_SERVICE,
        help="years of service for paid time off (with --total)",
    )
    g.add_argument(
        "--each-side",
        action="store_true",
        help="with --total: each side holds every item its source prices (one-sided items "
        "named in the notes)",
    )
    g.add_argument(
        "--threshold",
        type=float,
        default=defaults.DEFAULT_THRESHOLD_PCT,
        help="flag beyond this %% below",
    )
    g.add_argument("--format", **_FORMAT)
    g.add_argument("--db", **_DB)
    g.set_defaults(func=_cmd_gap)


def _add_steps_and_cost(sub) -> None:
    st = sub.add_parser("steps", help="step progression of one class")
    st.add_argument("--agency", required=True)
    st.add_argument("--class", dest="class_", required=True, help="class code or title")
    st.add_argument(
        "--as-of", help="YYYY-MM-DD: the schedule in force then (default: inside the term)"
    )
    st.add_argument("--format", **_FORMAT)
    st.add_argument("--db", **_DB)
    st.set_defaults(func=_cmd_steps)

    c = sub.add_parser("cost", help="cost a proposal over a roster, year by year")
    c.add_argument("--roster", required=True, help="CSV or XLSX roster")
    c.add_argument("--scenario", required=True, help="scenario JSON")
    c.add_argument("--format", **_FORMAT)
    c.add_argument("--db", **_DB)
    c.set_defaults(func=_cmd_cost)


def _add_import(sub) -> None:
    im = sub.add_parser(
        "import-schedule",
        help="import a salary schedule (CSV/XLSX; a grade chart and a class list as two files)",
    )
    im.add_argument("files", nargs="+", metavar="FILE", help="the table (and the class list)")
    im.add_argument("--agency", required=True)
    im.add_argument("--effective", help="YYYY-MM-DD, unless every pay column is dated")
    im.add_argument("--period", choices=["hourly", "biweekly", "monthly", "annual"])
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
    im.add_argument("--db", **_DB)
    im.set_defaults(func=_cmd_import_schedule)


def _add_survey(sub) -> None:
    sv = sub.add_parser("survey", help="State Controller (GCC) exports as survey agencies")
    sv_sub = sv.add_subparsers(dest="action", required=True)
    si = sv_sub.add_parser(
        "import",
        help="import a Government Compensation in California export (ZIP or CSV, any size)",
    )
    si.add_argument("file", help="the ZIP as downloaded from publicpay.ca.gov, or its CSV")
    si.add_argument(
        "--agencies",
        help='survey agencies to import, comma-separated ("Napa County, City of Ukiah"); '
        "default: the subject's survey list",
    )
    si.add_argument("--year", type=int, help="only this Year of the file (default: every year)")
    si.add_argument(
        "--subject",
        help="the agency whose survey this is (default: the first agency with a salary table)",
    )
    si.add_argument("--db", **_DB)
    sl = sv_sub.add_parser("list", help="list the State Controller imports")
    sl.add_argument("--format", **_FORMAT)
    sr = sv_sub.add_parser("remove", help="remove a State Controller import and its positions")
    sr.add_argument("id", type=int, help="the import id (`bargain survey list`)")
    for x in (si, sl, sr):
        x.set_defaults(func=_cmd_survey)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except BargainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
