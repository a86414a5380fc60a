"""The costing engine: hand-computed cases written as arithmetic, the compounding example,
properties, a per-employee reference loop, the warehouse's own schedules, and exports."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.costing.engine import PARTS, CostResult, cost, cost_with_rates
from analysis.roster.reader import RosterError, illustrative_roster, valid_positions
from analysis.scenario import Scenario, ScenarioError, scenario_from_dict
from etl.parse import rule_from_spec
from etl.pay_calendar import PayCalendar
from etl.registry import MENDOCINO, SONOMA
from exports.costing import cost_tables_to_csv, to_xlsx
from exports.safety import neutralize
from tests.analysis.scenario_example import EXAMPLE_JSON

START = date(2004, 7, 1)
SONOMA_RULE = rule_from_spec(SONOMA, SONOMA.step_rule)
MENDOCINO_RULE = rule_from_spec(MENDOCINO, MENDOCINO.step_rule)
STEPS = list("ABCDEFGHI")
MONEY = {"abs": 0.011}  # outputs are rounded to the cent


def period(k: int) -> str:
    """The start date of pay period k (0-based) of a horizon starting on START."""
    return (START + timedelta(days=14 * k)).isoformat()


def rate_table(schedules: dict[str, dict[str, dict[str, float]]], agency="Sonoma"):
    """{effective_date: {class_code: {step: hourly}}} -> the engine's rate table."""
    rows = [
        (agency, code, f"Class {code}", step, day, hourly, False)
        for day, classes in schedules.items()
        for code, steps in classes.items()
        for step, hourly in steps.items()
    ]
    cols = ["agency", "class_code", "class_title", "step", "effective_date", "hourly"]
    return pd.DataFrame(rows, columns=[*cols, "is_derived"])


# 0401: A = $20.00, B = $21.00, ... I = $28.00; 0402: A = $30.00 ... I = $38.00; flat.
FLAT = rate_table(
    {
        "2004-06-22": {
            "0401": {s: 20.0 + i for i, s in enumerate(STEPS)},
            "0402": {s: 30.0 + i for i, s in enumerate(STEPS)},
        }
    }
)


def roster(*rows: dict) -> pd.DataFrame:
    base = {"agency": "Sonoma", "class_code": "0401", "step": "A", "fte": 1.0, "count": 1}
    return pd.DataFrame([{**base, **r} for r in rows])


ONE = roster({})


def run(
    people: pd.DataFrame = ONE,
    changes: list | None = None,
    rates: pd.DataFrame = FLAT,
    increases: pd.DataFrame | None = None,
    **top,
) -> CostResult:
    scenario = {"agency": "Sonoma", "start": START.isoformat(), "years": 1, **top}
    scenario["changes"] = changes or []
    return cost_with_rates(people, scenario, rates, increases, step_rule=SONOMA_RULE)


def year(result: CostResult, column: str, y: int = 1) -> float:
    return float(result.by_year[column].iloc[y - 1])


def part(result: CostResult, name: str, y: int = 1) -> pd.Series:
    p = result.parts
    return p[(p["part"] == name) & (p["fiscal_year"] == result.by_year["fiscal_year"][y - 1])].iloc[
        0
    ]


def atb(effective: str, pct: float) -> dict:
    return {"type": "across_the_board", "effective": effective, "pct": pct}


# The calendar ---------------------------------------------------------------------------------


def test_pay_calendar():
    cal = PayCalendar(START, 2)
    assert cal.periods == 52
    assert str(cal.starts[0]) == "2004-07-01" and str(cal.starts[26]) == "2005-06-30"
    assert cal.labels() == ["FY2004-05", "FY2005-06"]
    assert cal.end == date(2006, 6, 28)
    assert cal.first_period_on_or_after(date(2004, 7, 1)) == 0
    assert cal.first_period_on_or_after(date(2004, 7, 2)) == 1
    assert cal.first_period_on_or_after(date(2003, 1, 1)) == 0
    assert cal.first_period_on_or_after(date(2010, 1, 1)) == 52
    # a year is the fiscal year holding most of it: 3/1/2005-2/27/2006 is mostly FY2005-06,
    # 6/22/2004-6/20/2005 all but nine days FY2004-05
    assert PayCalendar(date(2005, 3, 1), 1).labels() == ["FY2005-06"]
    assert PayCalendar(date(2004, 6, 22), 3).labels() == ["FY2004-05", "FY2005-06", "FY2006-07"]
    assert PayCalendar(date(2004, 12, 1), 1).labels() == ["FY2004-05"]  # 7 of its 12 months


# Hand-computed cases --------------------------------------------------------------------------


def test_three_percent_on_the_first_day_of_the_year():
    r = run(changes=[atb(period(0), 3.0)], rollups={"medicare": 1.45, "retirement": 10.0})
    rollup = (1.45 + 10.0) / 100
    assert year(r, "baseline_cost") == pytest.approx(20.00 * 2080 * (1 + rollup), **MONEY)
    assert year(r, "increment_base_wages") == pytest.approx(0.03 * 20.00 * 2080, **MONEY)
    assert year(r, "increment_rollups") == pytest.approx(0.03 * 20.00 * 2080 * rollup, **MONEY)
    assert year(r, "incremental_cost") == pytest.approx(0.03 * 20.00 * 2080 * (1 + rollup), **MONEY)
    assert year(r, "increment_pct") == pytest.approx(3.0)


def test_mid_year_increase_is_annualized_by_the_periods_it_covers():
    # effective on the first day of period 13 (0-based): periods 13..25 = 13 of 26
    r = run(changes=[atb(period(13), 3.0)])
    assert year(r, "incremental_cost") == pytest.approx(0.03 * 20.00 * 80 * 13, **MONEY)
    # one day later it misses period 13 and starts with the next: 12 periods
    later = (START + timedelta(days=14 * 13 + 1)).isoformat()
    r = run(changes=[atb(later, 3.0)])
    assert year(r, "incremental_cost") == pytest.approx(0.03 * 20.00 * 80 * 12, **MONEY)
    assert any("falls inside a pay period" in n for n in r.notes)


def test_compounding_three_percent_a_year_on_a_million():
    hourly = 1_000_000 / 2080  # one FTE whose year costs exactly $1,000,000
    rates = rate_table({"2004-06-22": {"0401": {"A": hourly}}})
    r = run(
        rates=rates,
        years=3,
        changes=[atb(period(0), 3.0), atb(period(26), 3.0), atb(period(52), 3.0)],
    )
    assert r.by_year["baseline_cost"].tolist() == pytest.approx([1_000_000] * 3, **MONEY)
    assert r.by_year["incremental_cost"].tolist() == pytest.approx(
        [30_000, 60_900, 92_727], **MONEY
    )
    assert r.cumulative_increment == pytest.approx(30_000 + 60_900 + 92_727, **MONEY)
    assert r.by_year["cumulative_increment"].tolist() == pytest.approx(
        [30_000, 90_900, 183_627], **MONEY
    )
    # compounding shown: last year's increases carried forward, plus this year's 3% on them
    c = r.compounding
    assert c["carried_forward"].tolist() == pytest.approx([0, 30_000, 60_900], **MONEY)
    assert c["new_this_year"].tolist() == pytest.approx(
        [30_000, 0.03 * 1_030_000, 0.03 * 1_060_900], **MONEY
    )
    assert c["rate_factor_end"].tolist() == pytest.approx([1.03, 1.03**2, 1.03**3])


def test_the_value_of_one_percent_is_a_one_percent_increase_on_day_one():
    people = roster({"bilingual": True}, {"class_code": "0402", "step": "C", "fte": 0.5})
    kw = {
        "rollups": {"pers": {"pct": 20.0, "excludes": ["overtime"]}, "medicare": 1.45},
        "overtime": {"*": 50},
    }
    shift = {
        "type": "premium",
        "flag": "bilingual",
        "basis": "pct_of_base",
        "value": 5.0,
        "current": 5.0,
        "effective": period(0),
    }
    base = run(people, [shift], **kw)
    one = run(people, [shift, atb(period(0), 1.0)], **kw)
    assert year(base, "value_of_1pct") == pytest.approx(year(one, "incremental_cost"), **MONEY)


# The baseline: the agreement as written -------------------------------------------------------


def test_baseline_follows_the_agreement_schedules_then_stays_flat():
    rates = rate_table(
        {
            "2004-06-22": {"0401": {"A": 20.0}},
            period(13): {"0401": {"A": 21.0}},  # a new schedule half-way through year 1
        }
    )
    r = run(rates=rates, years=2)
    assert year(r, "baseline_cost", 1) == pytest.approx(80 * (13 * 20.0 + 13 * 21.0), **MONEY)
    assert year(r, "baseline_cost", 2) == pytest.approx(2080 * 21.0, **MONEY)
    assert any("stay flat" in n for n in r.notes)


def test_a_start_before_the_first_schedule_uses_the_first_and_says_so():
    rates = rate_table({period(5): {"0401": {"A": 20.0}}})
    r = run(rates=rates)
    assert year(r, "baseline_cost") == pytest.approx(2080 * 20.0, **MONEY)
    assert any("before the agreement's first salary schedule" in n for n in r.notes)


def test_agreement_increases_not_yet_in_a_schedule_raise_the_baseline():
    increases = pd.DataFrame(
        {
            "effective_date": pd.to_datetime(["2004-06-22", period(26)]),
            "kind": ["general", "general"],
            "class_code": [None, None],
            "pct": [4.0, 2.0],  # the first is already in the 2004-06-22 schedule
            "amount": [np.nan, np.nan],
            "note": [None, None],
        }
    )
    r = run(increases=increases, years=2)
    assert year(r, "baseline_cost", 1) == pytest.approx(2080 * 20.0, **MONEY)
    assert year(r, "baseline_cost", 2) == pytest.approx(2080 * 20.0 * 1.02, **MONEY)
    assert year(r, "incremental_cost", 2) == 0


def test_agreement_one_time_payments_are_in_both_columns_per_head():
    increases = pd.DataFrame(
        {
            "effective_date": pd.to_datetime([period(24)]),
            "kind": ["one_time"],
            "class_code": [None],
            "pct": [np.nan],
            "amount": [1200.0],
            "note": ["paid over 4 successive pay periods on regular paychecks"],
        }
    )
    r = run(roster({"fte": 0.5, "count": 2}), increases=increases, years=2)
    # periods 24, 25 fall in year 1 and 26, 27 in year 2: $300 each, per head (2 heads)
    assert part(r, "one_time", 1)["baseline"] == pytest.approx(2 * 1200 / 4 * 2, **MONEY)
    assert part(r, "one_time", 2)["proposal"] == pytest.approx(2 * 1200 / 4 * 2, **MONEY)
    assert r.by_year["incremental_cost"].tolist() == [0, 0]


# Step movement --------------------------------------------------------------------------------


def test_step_movement_follows_the_sonoma_merit_rule():
    # Sonoma: two steps (about 5%) per merit, then one merit per 2,080 hours (26 periods)
    people = roster({"next_step_date": period(10)})
    r = run(people, years=2, step_movement=True)
    a, c, e = 20.0, 22.0, 24.0
    assert year(r, "baseline_cost", 1) == pytest.approx(80 * (10 * a + 16 * c), **MONEY)
    assert year(r, "baseline_cost", 2) == pytest.approx(80 * (10 * c + 16 * e), **MONEY)
    assert part(r, "base_wages", 1)["baseline"] == pytest.approx(2080 * a, **MONEY)
    assert part(r, "step_movement", 1)["baseline"] == pytest.approx(80 * 16 * (c - a), **MONEY)
    # without step movement the date is ignored
    assert year(run(people, years=2), "baseline_cost", 2) == pytest.approx(2080 * a, **MONEY)


def test_without_a_next_step_date_the_first_move_is_at_mid_year():
    r = run(roster({}), step_movement=True)
    assert year(r, "baseline_cost") == pytest.approx(80 * (13 * 20.0 + 13 * 22.0), **MONEY)


def test_step_movement_stops_at_the_top_of_the_range():
    r = run(roster({"step": "H", "next_step_date": period(0)}), years=2, step_movement=True)
    assert r.by_year["baseline_cost"].tolist() == pytest.approx([2080 * 28.0] * 2, **MONEY)


def test_mendocino_moves_one_step_a_year():
    rates = rate_table(
        {"2015-07-01": {"S502": {str(i): 10.0 * (1.05 ** (i - 1)) for i in range(1, 6)}}},
        agency="Mendocino",
    )
    people = pd.DataFrame(
        [
            {
                "agency": "Mendocino",
                "class_code": "S502",
                "step": "1",
                "fte": 1.0,
                "count": 1,
                "next_step_date": "2015-07-01",
            }
        ]
    )
    scenario = {"agency": "Mendocino", "start": "2015-07-01", "years": 2, "step_movement": True}
    r = cost_with_rates(people, scenario, rates, step_rule=MENDOCINO_RULE)
    assert r.by_year["baseline_cost"].tolist() == pytest.approx(
        [2080 * 10.0 * 1.05, 2080 * 10.0 * 1.05**2], **MONEY
    )


def test_an_increase_raises_the_cost_of_step_movement_too():
    people = roster({"next_step_date": period(10)})
    r = run(people, [atb(period(0), 3.0)], step_movement=True)
    steps_cost = part(r, "step_movement")["baseline"]
    assert part(r, "step_movement")["increment"] == pytest.approx(0.03 * steps_cost, **MONEY)
    assert year(r, "increment_step_movement") == pytest.approx(0.03 * steps_cost, **MONEY)


# Overtime, premiums, one-time payments --------------------------------------------------------


def test_overtime_is_costed_at_time_and_a_half_of_the_rate_in_force():
    people = roster({}, {"class_code": "0402", "fte": 0.5})
    r = run(people, [atb(period(0), 3.0)], overtime={"0401": 100, "*": 10})
    base_ot = 1.5 * 20.0 * 100 + 1.5 * 30.0 * 10 * 0.5  # hours are per FTE
    assert part(r, "overtime")["baseline"] == pytest.approx(base_ot, **MONEY)
    assert part(r, "overtime")["increment"] == pytest.approx(0.03 * base_ot, **MONEY)


def test_rollups_can_leave_out_overtime_and_one_time_pay():
    changes = [{"type": "one_time", "effective": period(0), "amount": 1000.0}]
    r = run(
        changes=changes,
        overtime={"*": 100},
        rollups={"pers": {"pct": 10.0, "excludes": ["overtime", "one_time"]}, "medicare": 1.45},
    )
    wages, ot = 20.0 * 2080, 1.5 * 20.0 * 100
    assert part(r, "rollups")["baseline"] == pytest.approx(
        0.10 * wages + 0.0145 * (wages + ot), **MONEY
    )
    assert part(r, "rollups")["increment"] == pytest.approx(0.0145 * 1000.0, **MONEY)


def test_flat_hourly_premium_for_flagged_employees():
    people = roster({"bilingual": True}, {"bilingual": False})
    change = {
        "type": "premium",
        "flag": "bilingual",
        "basis": "usd_per_hour",
        "value": 1.00,
        "current": 0.90,
        "effective": period(0),
    }
    r = run(people, [change])
    assert part(r, "premiums")["baseline"] == pytest.approx(0.90 * 2080, **MONEY)
    assert part(r, "premiums")["increment"] == pytest.approx(0.10 * 2080, **MONEY)


def test_per_pay_period_premium_is_prorated_by_fte():
    people = roster({"bilingual": "yes", "fte": 0.5})
    change = {
        "type": "premium",
        "flag": "bilingual",
        "basis": "usd_per_pay_period",
        "value": 50.0,
        "current": 40.0,
        "effective": period(0),
    }
    r = run(people, [change])
    assert year(r, "increment_premiums") == pytest.approx((50.0 - 40.0) * 0.5 * 26, **MONEY)


def test_percent_premium_on_a_share_of_hours_from_mid_year():
    people = roster({"shift": True})
    change = {
        "type": "premium",
        "flag": "shift",
        "basis": "pct_of_base",
        "value": 6.0,
        "current": 5.0,
        "share": 0.5,
        "effective": period(13),
    }
    r = run(people, [change])
    assert part(r, "premiums")["baseline"] == pytest.approx(0.05 * 0.5 * 20.0 * 2080, **MONEY)
    assert year(r, "increment_premiums") == pytest.approx(0.01 * 0.5 * 20.0 * 80 * 13, **MONEY)


def test_a_percent_premium_rises_with_the_base_rate():
    people = roster({"shift": True})
    same = {
        "type": "premium",
        "flag": "shift",
        "basis": "pct_of_base",
        "value": 5.0,
        "current": 5.0,
        "effective": period(0),
        "classes": ["0401"],
    }
    r = run(people, [same, atb(period(0), 3.0)])
    assert year(r, "increment_premiums") == pytest.approx(0.05 * 0.03 * 20.0 * 2080, **MONEY)


def test_premium_limited_to_classes():
    people = roster({"shift": True}, {"class_code": "0402", "shift": True})
    change = {
        "type": "premium",
        "flag": "shift",
        "basis": "usd_per_hour",
        "value": 1.0,
        "effective": period(0),
        "classes": ["0402"],
    }
    r = run(people, [change])
    assert year(r, "increment_premiums") == pytest.approx(1.0 * 2080, **MONEY)
    by = r.by_class.set_index("class_code")["incremental_cost"]
    assert by["0401"] == 0 and by["0402"] == pytest.approx(2080, **MONEY)


def test_one_time_payments_per_fte_and_per_head():
    people = roster({"fte": 0.5, "count": 2})
    fte = run(people, [{"type": "one_time", "effective": period(3), "amount": 1000.0}])
    head = run(
        people, [{"type": "one_time", "effective": period(3), "amount": 1000.0, "per": "head"}]
    )
    assert year(fte, "increment_one_time") == pytest.approx(1000.0 * 0.5 * 2, **MONEY)
    assert year(head, "increment_one_time") == pytest.approx(1000.0 * 2, **MONEY)


def test_one_time_payment_spread_over_periods_across_a_year_end():
    change = {"type": "one_time", "effective": period(24), "amount": 1000.0, "periods": 4}
    r = run(changes=[change], years=2)
    assert r.by_year["increment_one_time"].tolist() == pytest.approx([500, 500], **MONEY)


def test_one_time_payment_outside_the_horizon_costs_nothing():
    before = {"type": "one_time", "effective": "2004-01-01", "amount": 1000.0}
    after = {"type": "one_time", "effective": "2009-01-01", "amount": 1000.0}
    r = run(changes=[before, after])
    assert year(r, "incremental_cost") == 0
    assert any("before the start" in n for n in r.notes)
    assert any("costs nothing" in n for n in r.notes)


# Targeted, market, added top step -------------------------------------------------------------


def test_targeted_increase_only_for_the_listed_classes():
    people = roster({}, {"class_code": "0402"})
    r = run(people, [{"type": "targeted", "effective": period(0), "pct": 5.0, "classes": ["0402"]}])
    assert year(r, "incremental_cost") == pytest.approx(0.05 * 30.0 * 2080, **MONEY)


def test_market_gap_closed_in_two_stages():
    people = roster({}, {"class_code": "0402"})
    change = {
        "type": "to_market",
        "gaps": {"0401": 10.0, "0402": 1.0},  # 0402 is within the 2% threshold
        "threshold": 2.0,
        "stages": [{"effective": period(0), "share": 0.5}, {"effective": period(26), "share": 0.5}],
    }
    r = run(people, [change], years=2)
    assert r.by_year["incremental_cost"].tolist() == pytest.approx(
        [0.05 * 20.0 * 2080, 0.10 * 20.0 * 2080], **MONEY
    )
    by = r.by_class.groupby("class_code")["incremental_cost"].sum()
    assert by["0402"] == 0


def test_a_step_added_at_the_top():
    at_top = roster({"step": "I"})
    change = {"type": "add_top_step", "effective": period(0), "pct": 5.0}
    r = run(at_top, [change])
    assert year(r, "incremental_cost") == pytest.approx(0.05 * 28.0 * 2080, **MONEY)
    # an employee at the top since the start: counted in base wages (no step movement needed)
    assert year(r, "increment_base_wages") == pytest.approx(0.05 * 28.0 * 2080, **MONEY)
    # after 13 periods at the top
    r = run(at_top, [{**change, "after_periods_at_top": 13}])
    assert year(r, "incremental_cost") == pytest.approx(0.05 * 28.0 * 80 * 13, **MONEY)
    # the roster's next_step_date of a top-step employee says when they qualify
    r = run(roster({"step": "I", "next_step_date": period(5)}), [change])
    assert year(r, "incremental_cost") == pytest.approx(0.05 * 28.0 * 80 * 21, **MONEY)
    # below the top: nothing unless step movement brings them there
    assert year(run(roster({"step": "G"}), [change]), "incremental_cost") == 0


def test_reaching_the_added_step_through_step_movement():
    people = roster({"step": "G", "next_step_date": period(0)})  # G -> I at period 0
    change = {
        "type": "add_top_step",
        "effective": period(0),
        "pct": 5.0,
        "after_periods_at_top": 26,
    }
    r = run(people, [change], years=2, step_movement=True)
    assert r.by_year["incremental_cost"].tolist() == pytest.approx([0, 0.05 * 28.0 * 2080], **MONEY)
    assert year(r, "increment_step_movement", 2) == pytest.approx(0.05 * 28.0 * 2080, **MONEY)


# Tables add up ---------------------------------------------------------------------------------


def test_tables_are_consistent():
    people = roster(
        {"bilingual": True, "next_step_date": period(4)},
        {"class_code": "0402", "step": "C", "fte": 0.5, "count": 3, "bilingual": False},
    )
    changes = [
        atb(period(0), 2.0),
        {"type": "targeted", "effective": period(20), "pct": 1.0, "classes": ["0402"]},
        {
            "type": "premium",
            "flag": "bilingual",
            "basis": "usd_per_hour",
            "value": 1.0,
            "effective": period(0),
        },
        {"type": "one_time", "effective": period(30), "amount": 500.0},
        {"type": "add_top_step", "effective": period(26), "pct": 2.5},
    ]
    r = run(
        people, changes, years=3, step_movement=True, overtime={"*": 40}, rollups={"medicare": 1.45}
    )
    by = r.by_year
    parts = by[[f"increment_{p}" for p in PARTS]].sum(axis=1)
    assert parts.tolist() == pytest.approx(by["incremental_cost"].tolist(), abs=0.05)
    cls = r.by_class.groupby("fiscal_year")[["baseline_cost", "proposal_cost"]].sum()
    assert cls["proposal_cost"].tolist() == pytest.approx(by["proposal_cost"].tolist(), abs=0.05)
    per = r.by_period.groupby("fiscal_year")["baseline_cost"].sum()
    assert per.tolist() == pytest.approx(by["baseline_cost"].tolist(), abs=0.5)
    comp = r.compounding
    assert (comp["carried_forward"] + comp["new_this_year"]).tolist() == pytest.approx(
        comp["wage_increment"].tolist(), abs=0.02
    )
    assert r.heads == 4 and r.fte == pytest.approx(1 + 1.5)
    assert set(r.parts["part"]) == set(PARTS)


# Errors and notes ------------------------------------------------------------------------------


def test_a_premium_flag_missing_from_the_roster_is_a_scenario_error():
    change = {
        "type": "premium",
        "flag": "bilingual",
        "basis": "usd_per_hour",
        "value": 1.0,
        "effective": period(0),
    }
    with pytest.raises(ScenarioError) as info:
        run(ONE, [atb(period(0), 1.0), change])
    assert info.value.problems[0].column == "changes[1].flag"
    assert "changes[1] (premium), field 'flag'" in str(info.value)


def test_a_roster_without_the_scenario_agency_is_refused():
    people = pd.DataFrame(
        [{"agency": "Mendocino", "class_code": "S502", "step": "1", "fte": 1.0, "count": 1}]
    )
    rates = pd.concat([FLAT, rate_table({"2015-07-01": {"S502": {"1": 10.0}}}, agency="Mendocino")])
    with pytest.raises(RosterError, match="no rows for Sonoma"):
        cost_with_rates(people, {"agency": "Sonoma", "start": "2004-07-01", "years": 1}, rates)


def test_other_agencies_rows_are_left_out_with_a_note():
    rates = pd.concat([FLAT, rate_table({"2015-07-01": {"S502": {"1": 10.0}}}, agency="Mendocino")])
    people = pd.concat(
        [
            ONE,
            pd.DataFrame(
                [{"agency": "Mendocino", "class_code": "S502", "step": "1", "fte": 1.0, "count": 7}]
            ),
        ]
    )
    r = cost_with_rates(people, {"agency": "Sonoma", "start": "2004-07-01", "years": 1}, rates)
    assert r.heads == 1
    assert any("7 employees of other agencies" in n for n in r.notes)


def test_an_agency_without_a_schedule_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="no salary schedule for 'Contra Costa'"):
        cost_with_rates(ONE, {"agency": "Contra Costa", "start": "1994-07-01", "years": 1}, FLAT)


def test_notes_name_classes_outside_the_roster_or_the_agency():
    change = {"type": "targeted", "effective": period(0), "pct": 1.0, "classes": ["0402", "9999"]}
    r = run(changes=[change])
    assert any("no one in the roster" in n and "0402" in n for n in r.notes)
    assert any("not Sonoma classes: 9999" in n for n in r.notes)


# Properties ------------------------------------------------------------------------------------

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "class_code": st.sampled_from(["0401", "0402"]),
            "step": st.sampled_from(STEPS),
            "fte": st.sampled_from([0.25, 0.5, 0.75, 1.0]),
            "count": st.integers(1, 5),
            "next_step_date": st.one_of(
                st.none(), st.integers(-30, 400).map(lambda d: (START + timedelta(d)).isoformat())
            ),
            "bilingual": st.booleans(),
            "shift": st.booleans(),
        }
    ),
    min_size=1,
    max_size=5,
)
TWO_SCHEDULES = rate_table(
    {
        "2004-06-22": {
            "0401": {s: 20.0 + i for i, s in enumerate(STEPS)},
            "0402": {s: 30.0 + i for i, s in enumerate(STEPS)},
        },
        "2005-06-21": {
            "0401": {s: 21.0 + i for i, s in enumerate(STEPS)},
            "0402": {s: 31.5 + i for i, s in enumerate(STEPS)},
        },
    }
)


def _day(offset: int) -> str:
    return (START + timedelta(offset)).isoformat()


days = st.integers(-30, 700)
pcts = st.floats(0, 10)
increase_changes = st.one_of(
    st.builds(lambda d, p: atb(_day(d), p), days, pcts),
    st.builds(
        lambda d, p, c: {"type": "targeted", "effective": _day(d), "pct": p, "classes": c},
        days,
        pcts,
        st.sampled_from([["0401"], ["0402"], ["0401", "0402"]]),
    ),
    st.builds(
        lambda d, g1, g2, t, gap: {
            "type": "to_market",
            "gaps": {"0401": g1, "0402": g2},
            "threshold": t,
            "stages": [
                {"effective": _day(d), "share": 0.5},
                {"effective": _day(d + gap), "share": 0.5},
            ],
        },
        days,
        st.floats(-5, 15),
        st.floats(-5, 15),
        st.floats(0, 5),
        st.integers(1, 400),
    ),
    st.builds(
        lambda d, cur, up, flag, basis: {
            "type": "premium",
            "flag": flag,
            "basis": basis,
            "current": cur,
            "value": cur + up,
            "effective": _day(d),
        },
        days,
        st.floats(0, 5),
        st.floats(0, 5),
        st.sampled_from(["bilingual", "shift"]),
        st.sampled_from(["usd_per_hour", "usd_per_pay_period", "pct_of_base"]),
    ),
    st.builds(
        lambda d, a, per, n: {
            "type": "one_time",
            "effective": _day(d),
            "amount": a,
            "per": per,
            "periods": n,
        },
        days,
        st.floats(0, 2000),
        st.sampled_from(["fte", "head"]),
        st.integers(1, 6),
    ),
)
top_step = st.builds(
    lambda d, p, n: {
        "type": "add_top_step",
        "effective": _day(d),
        "pct": p,
        "after_periods_at_top": n,
    },
    days,
    st.floats(0.5, 10),
    st.integers(0, 40),
)


@FAST
@given(
    rows_strategy,
    st.lists(increase_changes, max_size=4),
    st.one_of(st.none(), top_step),
    st.booleans(),
    st.integers(1, 3),
)
def test_an_increase_never_lowers_cost(rows, changes, top, moving, years):
    changes = changes + ([top] if top else [])
    r = run(
        roster(*rows),
        changes,
        TWO_SCHEDULES,
        years=years,
        step_movement=moving,
        overtime={"*": 20},
        rollups={"medicare": 1.45, "pers": {"pct": 20.0, "excludes": ["overtime"]}},
    )
    assert (r.by_year["incremental_cost"] >= 0).all()
    assert (r.by_class["incremental_cost"] >= 0).all()
    assert (r.by_period["incremental_cost"] >= 0).all()


@FAST
@given(rows_strategy, st.floats(0, 10), st.booleans())
def test_doubling_every_count_doubles_cost(rows, pct, moving):
    people = roster(*rows)
    changes = [
        atb(period(5), pct),
        {"type": "one_time", "effective": period(2), "amount": 100.0, "per": "head"},
    ]
    one = run(people, changes, TWO_SCHEDULES, years=2, step_movement=moving)
    two = run(
        people.assign(count=people["count"] * 2),
        changes,
        TWO_SCHEDULES,
        years=2,
        step_movement=moving,
    )
    for col in ("baseline_cost", "proposal_cost", "incremental_cost"):
        assert two.by_year[col].tolist() == pytest.approx((2 * one.by_year[col]).tolist(), abs=0.03)


@FAST
@given(rows_strategy, st.floats(0.1, 10), st.integers(0, 400), st.booleans())
def test_a_change_dated_after_the_horizon_costs_nothing(rows, pct, days_after, moving):
    after = (PayCalendar(START, 2).starts[-1] + np.timedelta64(days_after + 1, "D")).item()
    changes = [
        atb(after.isoformat(), pct),
        {"type": "to_market", "gaps": {"0401": 8.0}, "effective": after.isoformat()},
        {"type": "add_top_step", "effective": after.isoformat(), "pct": pct},
    ]
    r = run(roster(*rows), changes, TWO_SCHEDULES, years=2, step_movement=moving)
    assert r.by_year["incremental_cost"].tolist() == [0, 0]


@FAST
@given(rows_strategy, st.integers(0, 60), st.booleans())
def test_zero_percent_costs_nothing(rows, at, moving):
    changes = [
        atb(period(at), 0.0),
        {"type": "targeted", "effective": period(at), "pct": 0.0, "classes": ["0401"]},
    ]
    r = run(
        roster(*rows), changes, TWO_SCHEDULES, years=3, step_movement=moving, rollups={"pers": 20.0}
    )
    assert r.by_year["incremental_cost"].tolist() == [0, 0, 0]


def _reference(rows: list[dict], rates: pd.DataFrame, s: Scenario) -> tuple[list, list]:
    """The definitions in costing.py, one employee and one pay period at a time."""
    cal = PayCalendar(s.start, s.years)
    table = {}
    for code, step, day, hourly in rates[
        ["class_code", "step", "effective_date", "hourly"]
    ].itertuples(index=False):
        table.setdefault(code, {}).setdefault(date.fromisoformat(day), {})[step] = hourly
    rollup = 1 + sum(r.pct for r in s.rollups.values()) / 100
    base, prop = [0.0] * s.years, [0.0] * s.years
    for row in rows:
        code = row["class_code"]
        ladder = STEPS
        s0 = ladder.index(row["step"])
        nsd = row.get("next_step_date")
        m0 = cal.first_period_on_or_after(date.fromisoformat(nsd)) if nsd else 13
        for p in range(cal.periods):
            day = s.start + timedelta(days=14 * p)
            dates = [d for d in table[code] if d <= day] or [min(table[code])]
            sched = table[code][max(dates)]
            k = s0
            if s.step_movement and p >= m0:
                k = min(s0 + 2 * ((p - m0) // 26 + 1), len(ladder) - 1)
            hourly = sched[ladder[k]]
            factor = 1.0
            for c in s.changes:
                if c.effective <= day:
                    factor *= 1 + c.pct / 100
            pay = hourly * 80 * row["fte"] * row["count"]
            base[p // 26] += pay * rollup
            prop[p // 26] += pay * factor * rollup
    return base, prop


@FAST
@given(
    rows_strategy,
    st.lists(st.tuples(st.integers(-20, 900), st.floats(-5, 10)), max_size=3),
    st.booleans(),
    st.integers(1, 3),
)
def test_the_engine_matches_a_per_employee_loop(rows, increases, moving, years):
    changes = [atb((START + timedelta(d)).isoformat(), pct) for d, pct in increases]
    scenario = scenario_from_dict(
        {
            "agency": "Sonoma",
            "start": START.isoformat(),
            "years": years,
            "step_movement": moving,
            "rollups": {"medicare": 1.45, "pers": 12.0},
            "changes": changes,
        }
    )
    r = cost_with_rates(roster(*rows), scenario, TWO_SCHEDULES, step_rule=SONOMA_RULE)
    base, prop = _reference(rows, TWO_SCHEDULES, scenario)
    assert r.by_year["baseline_cost"].tolist() == pytest.approx(base, abs=0.02)
    assert r.by_year["proposal_cost"].tolist() == pytest.approx(prop, abs=0.02)


# On the warehouse ------------------------------------------------------------------------------


def _schedule_rate(con, agency, code, step, day) -> float:
    return con.execute(
        "SELECT hourly FROM salary_schedule WHERE agency = ? AND class_code = ? AND step = ? "
        "AND effective_date = ?",
        [agency, code, step, day],
    ).fetchone()[0]


def test_sonoma_baseline_includes_the_agreements_future_increase(con):
    people = roster({"class_code": "0401", "step": "A"})
    r = cost(con, people, {"agency": "Sonoma", "start": "2004-07-01", "years": 2})
    a_2004 = _schedule_rate(con, "Sonoma", "0401", "A", "2004-06-22")
    a_2005 = _schedule_rate(con, "Sonoma", "0401", "A", "2005-06-21")  # 8.1: 3.5% on 6/21/05
    assert a_2005 > a_2004
    # year 2 begins 2005-06-30, after 6/21/05: the whole year is at the new rate
    assert r.by_year["baseline_cost"].tolist() == pytest.approx(
        [2080 * a_2004, 2080 * a_2005], **MONEY
    )
    assert r.by_year["incremental_cost"].tolist() == [0, 0]
    assert any("2005-06-21 (derived)" in n for n in r.notes)


def test_the_documented_example_on_the_warehouse(con):
    people = roster({"class_code": "0401", "step": "C", "count": 3})
    r = cost(con, people, EXAMPLE_JSON)
    c_2004 = _schedule_rate(con, "Sonoma", "0401", "C", "2004-06-22")
    assert year(r, "incremental_cost") == pytest.approx(
        0.01 * c_2004 * 2080 * 3 * (1 + 1.45 / 100), **MONEY
    )


def test_beyond_the_agreement_the_baseline_is_flat(con):
    people = roster({"class_code": "0401", "step": "A"})
    r = cost(con, people, {"agency": "Sonoma", "start": "2007-07-01", "years": 3})
    last = _schedule_rate(con, "Sonoma", "0401", "A", "2007-06-19")
    assert r.by_year["baseline_cost"].tolist() == pytest.approx([2080 * last] * 3, **MONEY)
    assert any("stay flat" in n for n in r.notes)


def test_mendocino_one_time_payments_are_in_the_baseline(con):
    people = pd.DataFrame(
        [{"agency": "Mendocino", "class_code": "S502", "step": "1", "fte": 1.0, "count": 2}]
    )
    r = cost(con, people, {"agency": "Mendocino", "start": "2015-07-01", "years": 2})
    one_time = r.parts[r.parts["part"] == "one_time"]["baseline"].sum()
    assert one_time == pytest.approx(2 * (1200 + 1000), **MONEY)


def test_the_illustrative_roster_costs_and_says_it_is_synthetic(con):
    roster_ = illustrative_roster(valid_positions(con))
    s = {
        "agency": "Mendocino",
        "start": "2015-07-26",
        "years": 2,
        "step_movement": True,
        "rollups": {"medicare": 1.45},
        "changes": [
            atb("2016-07-10", 2.0),
            {
                "type": "premium",
                "flag": "bilingual",
                "basis": "usd_per_pay_period",
                "value": 50.0,
                "current": 40.0,
                "effective": "2015-07-26",
            },
        ],
    }
    r = cost(con, roster_, s)
    assert r.illustrative_roster
    assert any("synthetic" in n.lower() for n in r.notes)
    assert r.by_year["incremental_cost"].gt(0).all()
    assert r.by_class["class_code"].nunique() >= 12


def test_cost_validates_a_raw_roster_against_the_warehouse(con):
    with pytest.raises(RosterError) as info:
        cost(con, roster({"class_code": "0401", "step": "Q"}), EXAMPLE_JSON)
    assert (info.value.problems[0].row, info.value.problems[0].column) == (2, "step")


# Exports ---------------------------------------------------------------------------------------


def test_neutralize_defuses_formula_text_only():
    df = pd.DataFrame(
        {
            "text": ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "ok", None],
            "number": [-1.0, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    df["=label"] = "x"
    out = neutralize(df)
    assert out["text"].tolist()[:7] == ["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok"]
    assert pd.isna(out["text"].iloc[7])
    assert out["number"].tolist() == df["number"].tolist()
    assert "'=label" in out.columns
    assert df["text"].iloc[0] == "=1+1"  # the input is not modified


def _injected_result() -> CostResult:
    rates = FLAT.assign(class_title='=HYPERLINK("http://evil.example","x")')
    return run(
        changes=[{**atb(period(0), 3.0), "label": "+cmd|' /C calc'!A0"}],
        rates=rates,
        rollups={"medicare": 1.45},
        name="@offer",
    )


def test_csv_exports_are_formula_safe():
    files = cost_tables_to_csv(_injected_result())
    assert set(files) == {
        "by_year.csv",
        "parts.csv",
        "by_class.csv",
        "compounding.csv",
        "by_period.csv",
        "assumptions.csv",
    }
    by_class = pd.read_csv(io.BytesIO(files["by_class.csv"]), encoding="utf-8-sig")
    assert by_class["class_title"].iloc[0].startswith("'=HYPERLINK")
    by_year = pd.read_csv(io.BytesIO(files["by_year.csv"]), encoding="utf-8-sig")
    assert by_year["incremental_cost"].iloc[0] == pytest.approx(0.03 * 20 * 2080 * 1.0145, abs=0.01)


def test_xlsx_export_has_an_assumptions_sheet_and_no_formulas():
    r = _injected_result()
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(r)), data_only=False)
    assert wb.sheetnames == [
        "By year",
        "Parts",
        "By class",
        "Compounding",
        "By pay period",
        "Assumptions",
    ]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    assumptions = {
        row[0]: row[1] for row in wb["Assumptions"].iter_rows(min_row=2, values_only=True)
    }
    scenario = json.loads(assumptions["scenario_json"])
    assert scenario["changes"][0]["label"] == "+cmd|' /C calc'!A0"  # JSON text starts with {
    assert assumptions["rollup: medicare"] == "1.45%"
    assert any(str(v).startswith("Salary schedules used") for v in assumptions.values())
    titles = [c.value for c in wb["By class"]["C"][1:]]
    assert titles and all(t.startswith("'=") for t in titles)


@pytest.mark.parametrize("typed", [" sonoma ", "SONOMA", "sonoma", "Sonoma"])
def test_the_agency_is_resolved_as_the_cli_and_the_app_resolve_it(con, typed):
    roster = illustrative_roster(valid_positions(con))
    body = {
        "agency": typed,
        "start": "2004-06-22",
        "years": 1,
        "changes": [{"type": "across_the_board", "effective": "2004-06-22", "pct": 2.0}],
    }
    got = cost(con, roster, body)
    assert got.scenario.agency == "Sonoma"
    want = cost(con, roster, {**body, "agency": "Sonoma"})
    assert got.cumulative_increment == want.cumulative_increment > 0


def test_an_agency_the_warehouse_does_not_have(con):
    roster = illustrative_roster(valid_positions(con))
    with pytest.raises(ScenarioError) as info:
        cost(con, roster, {"agency": "Marin", "start": "2004-06-22", "years": 1})
    (p,) = info.value.problems
    assert p.column == "agency" and "no salary schedule for 'Marin'" in p.message
