"""Bargaining scenarios: what a proposal changes, over which fiscal years, costed how.

A scenario is plain JSON so it can be saved by name (userdata/scenarios.py), pasted, diffed
and reloaded. The smallest valid scenario, exactly as it may be written, is
docs/examples/minimal_scenario.json (an agency of the registry, a start, the years, one
roll-up and one change), the README's example; the tests read that file itself.

Top-level fields
----------------
agency          required. An agency with a salary schedule in the warehouse (the registry's
                name, matched as analysis.agencies.resolve matches a typed name: case and
                surrounding spaces do not matter).
start           required, "YYYY-MM-DD" (1900-01-01 to 2100-12-31, as every date of a
                scenario): the first day of the first pay period costed.
years           required, whole number 1-10: fiscal years costed. Each fiscal year is 26
                biweekly pay periods (see analysis/costing/engine.py for the exact calendar).
step_movement   optional, default false. true: employees move up their range on their
                `next_step_date` (roster) and then every year, by the agreement's merit rule
                (the step rule in etl/registry.py); without a date, the first move is assumed
                at mid-year (period 14 of year 1). Applies to the baseline and the proposal.
rollups         optional, default {}. Named percentages of pay the employer adds on top
                (retirement, Social Security, Medicare, ...): {"medicare": 1.45} applies to all
                pay; {"retirement": {"pct": 22.5, "excludes": ["overtime", "one_time"]}}
                leaves out the listed parts ("overtime", "premiums", "one_time").
overtime        optional, default {}. Overtime hours a year per full-time equivalent, by class
                code; "*" for every class not listed: {"0401": 40, "*": 10}. Costed at 1.5x
                the hourly rate in force (the baseline rate for the baseline, the new rate for
                the proposal).
name, description  optional text (a name at most 100 characters, a description 2,000).

Changes (the "changes" list, applied in the proposal only; all percentages are percent, so
3.0 means 3%; percentage increases compound with each other and with the agreement's own
increases)
--------------------------------------------------------------------------------------------
{"type": "across_the_board", "effective": "2005-07-01", "pct": 3.0}
    Every class, from the first pay period starting on or after `effective`.
{"type": "targeted", "effective": "2005-07-01", "pct": 2.0, "classes": ["0401", "0402"]}
    The listed classes only.
{"type": "to_market", "gaps": {"0401": 6.2, "0153": 1.1}, "threshold": 2.0,
 "gap_basis": "increase_to_market", "effective": "2004-07-01"}
    Bring every class more than `threshold` percent from market to market. `gaps` is the
    precomputed gap per class (e.g. from the market comparison page); gap_basis says which
    convention it uses: "increase_to_market" (default) = (market - own) / own, or
    "below_market" = (market - own) / market. Classes at or below the threshold, or not
    listed, are not moved. Instead of `effective`, close the gap in stages:
    "stages": [{"effective": "2004-07-01", "share": 0.5}, {"effective": "2005-07-01",
    "share": 0.5}]: after each stage the class has closed that cumulative share of the dollar
    distance to market (shares must add up to at most 1).
{"type": "premium", "flag": "bilingual", "basis": "usd_per_pay_period", "value": 50.0,
 "current": 40.0, "effective": "2015-07-26"}
    Pay premium for employees flagged yes in the roster column `flag`. basis is
    "usd_per_hour", "usd_per_pay_period" (per 80 hours, so prorated by FTE) or "pct_of_base"
    (percent of the employee's base hourly rate). `current` (default 0 = a new premium) is
    the level paid now, in the baseline and in the proposal before `effective`; `value` is
    the level from `effective`. Optional: "share" (0-1, default 1) = the share of paid hours
    the premium covers (hourly and percent bases), "classes" to limit it.
{"type": "one_time", "effective": "2005-07-01", "amount": 1000.0, "per": "fte",
 "periods": 4}
    A lump sum per FTE ("fte", default) or per head ("head"), paid in equal parts over
    `periods` pay periods (default 1) from the first period starting on or after `effective`.
    Optional "classes". Paid in the horizon only.
{"type": "add_top_step", "effective": "2005-07-01", "pct": 5.0, "after_periods_at_top": 26}
    A new step above the top: new top = top x (1 + pct). An employee at the old top moves
    to it at the first period on or after `effective` once they have been at the top for
    `after_periods_at_top` pay periods (default 0), counted from the start of the horizon,
    or from when step movement brings them to the top; an employee already at the top with
    a roster `next_step_date` moves on that date. Optional "classes".

Every change may carry a "label" (text shown in the tables). Unknown fields are errors, so a
typo never silently costs nothing. Errors name the field and, for a change, its index:
"changes[2] (premium), field 'basis': ...".

Limits (etl/defaults.py): text fields follow the cell parser's text rules (etl.cells.text: no
lone surrogate, control or text-direction character; names MAX_NAME, labels and codes
MAX_TEXT, the description MAX_DESCRIPTION characters); percentage changes more than -100 and
at most MAX_PCT; premiums at most MAX_PCT percent of base, MAX_HOURLY dollars an hour or 80 x
MAX_HOURLY per pay period; one-time amounts at most MAX_ONE_TIME; overtime at most
MAX_OVERTIME_HOURS (4,000) hours a year and at most MAX_YEARS years (both in
analysis/scenario/parser.py); dates within EARLIEST_DATE..LATEST_DATE.

The parts: the objects (analysis/scenario/model.py), reading the JSON form
(analysis/scenario/parser.py), the JSON text and what a scenario is saved under
(analysis/scenario/json_form.py).
"""

from __future__ import annotations

from analysis.scenario.json_form import scenario_name, storable
from analysis.scenario.model import (
    CHANGE_TYPES,
    AcrossTheBoard,
    AddTopStep,
    Change,
    OneTime,
    PremiumChange,
    Rollup,
    Scenario,
    ScenarioError,
    Stage,
    Targeted,
    ToMarket,
)
from analysis.scenario.parser import (
    GAP_BASES,
    MAX_OVERTIME_HOURS,
    MAX_YEARS,
    ONE_TIME_PER,
    PREMIUM_BASES,
    ROLLUP_EXCLUDABLE,
    parse_scenario,
    scenario_from_bytes,
    scenario_from_dict,
    scenario_from_json,
)

__all__ = [
    "CHANGE_TYPES",
    "GAP_BASES",
    "MAX_OVERTIME_HOURS",
    "MAX_YEARS",
    "ONE_TIME_PER",
    "PREMIUM_BASES",
    "ROLLUP_EXCLUDABLE",
    "AcrossTheBoard",
    "AddTopStep",
    "Change",
    "OneTime",
    "PremiumChange",
    "Rollup",
    "Scenario",
    "ScenarioError",
    "Stage",
    "Targeted",
    "ToMarket",
    "parse_scenario",
    "scenario_from_bytes",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_name",
    "storable",
]
