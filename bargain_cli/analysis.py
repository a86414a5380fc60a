"""`bargain gap`, `bargain steps`, `bargain cost`: the analysis commands."""

from __future__ import annotations

import argparse

from bargain_cli.shared import DB, FORMAT, as_of_date, connect_db, emit, read_input
from etl.errors import BargainError


def _cmd_gap(args: argparse.Namespace) -> int:
    from analysis import agencies
    from analysis.market import gap as market
    from analysis.market import tables as market_tables
    from analysis.market import total as market_total
    from userdata import benefit_rates, class_matches, gcc, survey_data

    if (args.tier or args.plan) and not args.total:
        raise BargainError("--tier and --plan price health premiums: they go with --total")
    con = connect_db(args)
    try:
        agency = agencies.resolve(con, args.agency)
        as_of = as_of_date(args.as_of, con, agency)
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
                benefit_rates=benefit_rates.rows(),
                tier=args.tier,
                plan=args.plan,
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
    emit(table, args.format, res.notes)
    return 0


def add_gap(sub) -> None:
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
        "--tier",
        help="with --total: the coverage tier of the health premiums priced (Employee only, "
        "Employee + 1, Employee + children, Family; default Family, or the one tier the "
        "agreement names)",
    )
    g.add_argument(
        "--plan",
        help="with --total: the health plan priced where the rate files have it (default: "
        "the plan with the largest employer cost at the tier)",
    )
    g.add_argument(
        "--threshold",
        type=float,
        default=defaults.DEFAULT_THRESHOLD_PCT,
        help="flag beyond this %% below",
    )
    g.add_argument("--format", **FORMAT)
    g.add_argument("--db", **DB)
    g.set_defaults(func=_cmd_gap)


def _cmd_steps(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis import agencies, steps

    con = connect_db(args)
    try:
        agency = agencies.resolve(con, args.agency)
        code = steps.find_class(con, agency, args.class_)
        as_of = as_of_date(args.as_of, con, agency)
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
    emit(table[cols], args.format, notes)
    return 0


def _cmd_cost(args: argparse.Namespace) -> int:
    from analysis import scenario
    from analysis.costing import engine as costing
    from analysis.roster import reader as roster

    con = connect_db(args)
    # Bytes, so the parser names an encoding problem instead of a decode traceback.
    scen = scenario.parse_scenario(read_input(args.scenario, "scenario"))
    data = read_input(args.roster, "roster")
    ros = roster.read_roster(data, roster.valid_positions(con), args.roster)
    res = costing.cost(con, ros, scen)
    emit(
        res.by_year,
        args.format,
        [*(n for n in ros.notes if n.startswith("Encoding:")), *res.notes],
        extra={"cumulative_increment": res.cumulative_increment},
    )
    return 0


def add_steps_and_cost(sub) -> None:
    st = sub.add_parser("steps", help="step progression of one class")
    st.add_argument("--agency", required=True)
    st.add_argument("--class", dest="class_", required=True, help="class code or title")
    st.add_argument(
        "--as-of", help="YYYY-MM-DD: the schedule in force then (default: inside the term)"
    )
    st.add_argument("--format", **FORMAT)
    st.add_argument("--db", **DB)
    st.set_defaults(func=_cmd_steps)

    c = sub.add_parser("cost", help="cost a proposal over a roster, year by year")
    c.add_argument("--roster", required=True, help="CSV or XLSX roster")
    c.add_argument("--scenario", required=True, help="scenario JSON")
    c.add_argument("--format", **FORMAT)
    c.add_argument("--db", **DB)
    c.set_defaults(func=_cmd_cost)
