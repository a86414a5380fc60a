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

    from analysis.export_safety import neutralize

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
    from datetime import date

    from analysis import market

    con = _db(args)
    try:
        as_of = date.fromisoformat(args.as_of)
    except ValueError:
        raise BargainError(f"--as-of must be YYYY-MM-DD, got {args.as_of!r}") from None
    comparators = [c.strip() for c in args.against.split(",") if c.strip()]
    try:
        res = market.run_gap(
            con,
            args.agency,
            comparators,
            as_of,
            stat=args.stat,
            threshold_pct=args.threshold,
            adjust=args.adjust,
        )
    except ValueError as exc:
        raise BargainError(str(exc)) from None
    table = (
        market.wide_table(res)
        if args.format != "table"
        else res.table[
            [
                "subject_class_code",
                "subject_title",
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


def _cmd_steps(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import agencies, steps

    con = _db(args)
    try:
        code = steps.find_class(con, args.agency, args.class_)
        rule = agencies.step_rule(con, args.agency)
        timeline = steps.step_timeline(rule)
    except ValueError as exc:
        raise BargainError(str(exc)) from None
    dates = con.execute(
        "SELECT max(effective_date) FROM salary_schedule WHERE agency = ? AND class_code = ?",
        [args.agency, code],
    ).fetchone()[0]
    by_step = steps.pay_by_step(con, args.agency, code, dates)
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
            "is_derived",
        ]
        if c in table.columns
    ]
    title = con.execute(
        "SELECT any_value(class_title) FROM job_classes WHERE agency = ? AND class_code = ?",
        [args.agency, code],
    ).fetchone()[0]
    notes = [
        f"{args.agency} {code} {title}: schedule of {pd.Timestamp(dates):%m/%d/%Y}; "
        f"top step after {steps.time_to_top(rule)} months, assuming every merit is "
        "approved on the first eligible date.",
        "Step timing: " + "; ".join(sorted(set(timeline["source_ref"].astype(str)))),
    ]
    _emit(table[cols], args.format, notes)
    return 0


def _cmd_cost(args: argparse.Namespace) -> int:
    from analysis import costing, roster, scenario

    con = _db(args)
    try:
        # Bytes, so the parser names an encoding problem instead of a decode traceback.
        scen = scenario.Scenario.parse(Path(args.scenario).read_bytes())
    except FileNotFoundError:
        raise BargainError(f"{args.scenario}: scenario file not found") from None
    try:
        ros = roster.read_roster(Path(args.roster), roster.valid_positions(con), args.roster)
    except FileNotFoundError:
        raise BargainError(f"{args.roster}: roster file not found") from None
    res = costing.cost(con, ros, scen)
    _emit(
        res.by_year,
        args.format,
        list(res.notes),
        extra={"cumulative_increment": res.cumulative_increment},
    )
    return 0


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bargain", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the DuckDB warehouse from data/raw/")
    b.add_argument("--db", help="database path (default: $BARGAIN_DB or data/bargaining.duckdb)")
    b.set_defaults(func=_cmd_build)

    fmt = dict(choices=["table", "csv", "json"], default="table", help="output format")
    db = dict(help="database path (default: $BARGAIN_DB or data/bargaining.duckdb)")
    g = sub.add_parser("gap", help="market gap of an agency's benchmark classes")
    g.add_argument("--agency", required=True, help="subject agency, e.g. Mendocino")
    g.add_argument("--against", required=True, help="comparator agencies, comma-separated")
    g.add_argument("--as-of", required=True, help="YYYY-MM-DD")
    g.add_argument(
        "--adjust",
        choices=["cpi", "none"],
        default="cpi",
        help="bring comparators outside their term to the date by CPI, or not",
    )
    g.add_argument("--stat", choices=["mean", "median"], default="mean")
    g.add_argument("--threshold", type=float, default=2.0, help="flag beyond this %% below")
    g.add_argument("--format", **fmt)
    g.add_argument("--db", **db)
    g.set_defaults(func=_cmd_gap)

    st = sub.add_parser("steps", help="step progression of one class")
    st.add_argument("--agency", required=True)
    st.add_argument("--class", dest="class_", required=True, help="class code or title")
    st.add_argument("--format", **fmt)
    st.add_argument("--db", **db)
    st.set_defaults(func=_cmd_steps)

    c = sub.add_parser("cost", help="cost a proposal over a roster, year by year")
    c.add_argument("--roster", required=True, help="CSV or XLSX roster")
    c.add_argument("--scenario", required=True, help="scenario JSON")
    c.add_argument("--format", **fmt)
    c.add_argument("--db", **db)
    c.set_defaults(func=_cmd_cost)
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
