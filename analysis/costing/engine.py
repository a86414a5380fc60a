"""Costing a proposal: what a scenario's changes cost, fiscal year by fiscal year, over a roster.

Pay calendar. Pay period k (k = 0, 1, ...) begins on `start + 14 k` days and covers 80 hours
per FTE. Fiscal year y (1-based) is periods 26 (y - 1) ... 26 y - 1: exactly 26 periods
(2,080 hours), beginning on `start + 364 (y - 1)` days, i.e. on the start date's weekday. It is
labelled with the July-June fiscal year holding most of it, the one of its middle day (start
2004-07-01: FY2004-05, FY2005-06, ...; start 2004-06-22: FY2004-05 too). Because 26 periods
are 364 days, period starts drift one day a year against the calendar; no 27th pay period is
ever costed.

Effective dates. An increase, a schedule or a premium change "effective" on a date applies to
the pay periods that begin on or after that date; a mid-year increase is therefore annualized
by the number of periods it covers (effective at the start of period 13 of a year: 13 of 26).
A one-time payment is paid in the first period beginning on or after its date.

Rates. A roster employee's baseline hourly rate in a period is the salary_schedule rate of
their class and step on the latest effective_date on or before the period's start (if the
period starts before the agreement's first schedule, the first schedule is used and a note
says so), times any general/market/level increase of wage_increases dated after that schedule
and on or before the period's start (none today: every known increase already has a schedule
row). Beyond the last known schedule or increase the baseline stays flat: no increase is
assumed after what the agreement says. Rates are not rounded to the cent: costing estimates
use the exact factors.

Baseline and proposal. The baseline is the agreement as written (its own future schedules and
increases within the horizon, and its one-time payments, per head). The proposal is the
baseline plus the scenario's changes; its percentage changes multiply the baseline rate, so
they compound with each other and with the agreement's increases. Step movement (optional)
moves employees through their range the same way in both.

Parts. Each fiscal year's cost, for the baseline and the proposal, is split into
  base_wages     straight-time pay at the steps held at the start (no step movement),
  step_movement  extra straight-time pay from moving up steps (incl. an added top step
                 reached through step movement),
  premiums       premium changes' pay for flagged employees,
  overtime       scenario overtime hours x 1.5 x the rate in force,
  one_time       lump sums (the agreement's and the proposal's),
  rollups        the named percentages on the parts of pay they apply to,
and the increment of each part is proposal - baseline, so the parts add up to the increment.

Vectorized: employees with the same class, starting step and next-step period share a
trajectory, so the roster is grouped first and each group is one row of a (group x period)
matrix; 1,000,000 employees over 6 years cost in under a second (benchmarks/bench_costing.py).
Money columns are rounded to the cent at output only.

The parts: rates (analysis/costing/rates.py: the classes, baseline rates B, proposal factors
F), step movement (analysis/costing/steps.py: groups and their trajectories, the wages they
earn), costs (analysis/costing/parts.py: the changes checked, each part of cost) and assembly
(analysis/costing/assembly.py: the CostResult tables and notes).
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd

from analysis import agencies
from analysis.costing.assembly import CostResult, assemble
from analysis.costing.parts import OVERTIME_MULTIPLIER, PARTS, check_changes
from analysis.costing.rates import (
    INCREASE_KINDS,
    Run,
    agreement_increases,
    baseline_rates,
    classes_of,
    prepare_rates,
    proposal_factors,
    rate_table,
)
from analysis.costing.steps import DEFAULT_FIRST_MOVE_PERIOD, groups_of, quantities
from analysis.roster.reader import (
    Roster,
    RosterError,
    check_positions,
    valid_positions,
    validate_roster,
)
from analysis.scenario import Scenario, ScenarioError, parse_scenario
from etl.errors import Problem
from etl.records import StepRule

__all__ = [
    "DEFAULT_FIRST_MOVE_PERIOD",
    "INCREASE_KINDS",
    "OVERTIME_MULTIPLIER",
    "PARTS",
    "CostResult",
    "agreement_increases",
    "cost",
    "cost_with_rates",
    "rate_table",
    "resolve_agency",
]


def resolve_agency(con: duckdb.DuckDBPyConnection, scenario: Scenario) -> Scenario:
    """The scenario with its agency as the warehouse spells it (analysis.agencies.resolve:
    " sonoma " and "SONOMA" are Sonoma); ScenarioError on field 'agency' otherwise."""
    try:
        agency = agencies.resolve(con, scenario.agency)
    except agencies.UnknownAgencyError:
        known = ", ".join(agencies.names(con, salary_table=True)) or "none"
        raise ScenarioError(
            [("agency", f"no salary schedule for {scenario.agency!r}: the warehouse has {known}")]
        ) from None
    return scenario if agency == scenario.agency else replace(scenario, agency=agency)


def cost(
    con: duckdb.DuckDBPyConnection,
    roster: Roster | pd.DataFrame,
    scenario: Scenario | dict | str,
) -> CostResult:
    """Cost a scenario over a roster with the warehouse's schedules (what the CLI and the
    app call). The scenario's agency is resolved as the CLI and the app resolve a typed
    name. A raw DataFrame roster is validated first (RosterError if it fails); a Roster read
    without the warehouse has its classes and steps checked now.
    """
    scenario = resolve_agency(con, parse_scenario(scenario))
    if isinstance(roster, pd.DataFrame):
        roster = validate_roster(roster, valid_positions(con))
    elif not roster.checked_against_warehouse:
        roster = check_positions(roster, valid_positions(con))
    rates = rate_table(con, scenario.agency)
    rule = agencies.step_rule(con, scenario.agency, scenario.start) if not rates.empty else None
    return cost_with_rates(
        roster, scenario, rates, agreement_increases(con, scenario.agency), step_rule=rule
    )


def cost_with_rates(
    roster: Roster | pd.DataFrame,
    scenario: Scenario | dict | str,
    rates: pd.DataFrame,
    increases: pd.DataFrame | None = None,
    step_rule: StepRule | None = None,
) -> CostResult:
    """The engine, on a rate table (class_code, step, effective_date, hourly; optional agency,
    class_title, is_derived) and the agreement's increases (effective_date, kind, class_code,
    pct, amount, note), so it can be tested without DuckDB."""
    scenario = parse_scenario(scenario)
    valid = rates.reindex(columns=["agency", "class_code", "step"]).copy()
    if "agency" not in rates.columns:
        valid["agency"] = scenario.agency
    valid = valid.astype(str).drop_duplicates()
    rates = prepare_rates(rates, scenario.agency)
    if isinstance(roster, pd.DataFrame):
        roster = validate_roster(roster, valid)
    elif not roster.checked_against_warehouse:
        roster = check_positions(roster, valid)
    run = Run(roster, scenario, rates, increases, step_rule, list(roster.notes))
    rows, codes = _roster_rows(run)
    classes = classes_of(codes, rates)
    check_changes(run, classes)
    base = baseline_rates(run, classes)
    factors = proposal_factors(run, classes)
    groups = groups_of(run, classes, rows)
    q = quantities(run, classes, base, factors, groups)
    return assemble(run, classes, groups, base, factors, q)


def _roster_rows(run: Run) -> tuple[pd.DataFrame, list[str]]:
    """The roster rows of the scenario's agency (a note counts the others), and their class
    codes."""
    agency, roster = run.scenario.agency, run.roster
    rows = roster.rows
    at, names = pd.factorize(rows["agency"])
    names = list(names)
    mine = at == names.index(agency) if agency in names else at < -1
    if not mine.any():
        has = ", ".join(roster.agencies) or "none"
        message = (
            f"no rows for {agency} (the scenario's agency): the roster's agencies are {has}; "
            f"cost {agency} on a roster of its own employees"
        )
        # the whole file's agency column, not one row (row None)
        raise RosterError(roster.source, [Problem(None, "agency", message)])
    if not mine.all():
        other = rows[~mine]
        run.notes.append(
            f"{int(other['count'].sum())} employees of other agencies in the roster "
            f"({', '.join(sorted(other['agency'].unique()))}) are not costed: the scenario "
            f"is for {agency}."
        )
        rows = rows[mine].reset_index(drop=True)
    return rows, pd.unique(rows["class_code"]).tolist()
