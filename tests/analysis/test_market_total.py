"""The market gap on total compensation: each side's items priced from its source, counted
only when every agency prices them (by default), checked by hand against the views."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.market import gap as market
from analysis.market import total as market_total
from etl import total_compensation as tc
from tests.analysis.test_gcc_market import _row, _rows

AS_OF = date(2015, 7, 1)


def _unit(con, agency, code, when):
    return con.execute(
        "SELECT min(bargaining_unit) FROM salary_schedule WHERE agency = ? AND class_code = ? "
        "AND effective_date = ?",
        [agency, code, when],
    ).fetchone()[0]


def _time_off_hours(con, agency, unit, years):
    kinds = ", ".join(f"'{k}'" for k in tc.PAID_TIME_OFF)
    return con.execute(
        f"SELECT coalesce(sum(hours_per_year), 0) FROM time_off WHERE agency = ? "
        f"AND kind IN ({kinds}) AND hours_per_year IS NOT NULL "
        "AND (bargaining_unit IS NULL OR bargaining_unit = '' OR bargaining_unit = ?) "
        "AND coalesce(service_years_min, 0) <= ? AND ? < coalesce(service_years_max, 1e9)",
        [agency, unit, years, years],
    ).fetchone()[0]


def _deferred_pct(con, agency, unit, when):
    b = con.execute(
        "SELECT tier, employer_pct, effective_date FROM benefit_shares WHERE agency = ? "
        "AND benefit = 'deferred_comp' AND (effective_date IS NULL OR effective_date <= ?) "
        "ORDER BY effective_date",
        [agency, when],
    ).df()
    mine = b[[unit in str(t).replace(" ", "").split(",") for t in b["tier"]]]
    return float(mine["employer_pct"].iloc[-1]) if not mine.empty else 0.0


def test_agreement_against_agreement_by_hand(con):
    base = market.run_gap(con, "Mendocino", ["Sonoma"], AS_OF)
    res = market_total.total_gap(con, "Mendocino", ["Sonoma"], AS_OF, years=5)
    # Both agreements price deferred compensation and paid time off; only Sonoma's has the
    # housing-assistance match, so by default it is left out of both sides.
    assert res.items == ["deferred_comp", "time_off"]
    assert any("housing match" in n and "left out of both sides" in n for n in res.notes)

    own = res.table.set_index("subject_class_code").loc["0072"]
    pay = base.table.set_index("subject_class_code").loc["0072", "own_top_annual"]
    unit = _unit(con, "Mendocino", "0072", own["own_schedule_date"])
    hours = _time_off_hours(con, "Mendocino", unit, 5)
    assert hours > 200  # vacation, holidays and sick leave at 5 years
    assert own["own_pay_annual"] == pay
    assert own["own_deferred_comp"] == 0.0  # "the text states no County contribution"
    assert own["own_time_off"] == pytest.approx(round(hours * pay / 2080, 2))
    assert own["own_top_annual"] == pytest.approx(round(pay + own["own_time_off"], 2))

    d = res.detail[res.detail["subject_class_code"] == "0072"].iloc[0]
    when = pd.Timestamp(d["schedule_date"]).date()
    s_unit = _unit(con, "Sonoma", d["comparator_class_code"], when)
    s_hours = _time_off_hours(con, "Sonoma", s_unit, 5)
    pct = _deferred_pct(con, "Sonoma", s_unit, when)
    expected = d["pay_as_of"] * (1 + pct / 100) + s_hours * d["pay_as_of"] / 2080
    assert d["total_as_of"] == pytest.approx(expected, abs=0.02)
    assert own["market"] == pytest.approx(d["total_as_of"])  # one comparator class
    assert own["pct_below_market"] == pytest.approx(
        round((own["market"] - own["own_top_annual"]) / own["market"] * 100, 2)
    )


def test_each_side_its_own_items(con):
    on = market_total.total_gap(con, "Mendocino", ["Sonoma"], AS_OF)
    off = market_total.total_gap(con, "Mendocino", ["Sonoma"], AS_OF, common_only=False)
    assert "other_benefits" in off.items and "other_benefits" not in on.items
    housing = con.execute(
        "SELECT employee_amount FROM benefit_shares WHERE agency = 'Sonoma' AND "
        "benefit = 'housing_assistance' AND effective_date <= DATE '2007-06-19' "
        "ORDER BY effective_date DESC LIMIT 1"
    ).fetchone()[0]
    delta = off.detail["total_as_of"] - on.detail["total_as_of"]
    assert delta.round(2).unique().tolist() == [round(housing * 2080, 2)]
    assert any("one-sided item moves the gap" in n for n in off.notes)
    cov = off.coverage.set_index("agency")
    other = market_total.ITEMS["other_benefits"].capitalize()
    assert cov.loc["Mendocino", other] == "not in its agreement"
    assert cov.loc["Sonoma", "Retirement"].startswith("not priced")


def test_state_controller_costs_and_the_common_items(con):
    rows = _rows(_row("Napa County", "Account Clerk II", 2016, 44000, ret=4000, hdv=12000, dcp=500))
    when = date(2016, 7, 1)
    res = market_total.total_gap(con, "Mendocino", ["Napa County"], when, gcc_rows=rows)
    # Mendocino prices deferred compensation (none) and time off; the State Controller data
    # reports retirement, health and deferred compensation: only deferred compensation is common
    assert res.items == ["deferred_comp"]
    d = res.detail.set_index("subject_class_code").loc["S503"]
    assert d["total_as_of"] == pytest.approx(d["pay_as_of"] + 500)
    own = res.table.set_index("subject_class_code").loc["S503"]
    assert own["own_top_annual"] == own["own_pay_annual"]

    every = market_total.total_gap(
        con, "Mendocino", ["Napa County"], when, gcc_rows=rows, common_only=False
    )
    assert every.items == ["deferred_comp", "retirement", "health", "time_off"]
    d = every.detail.set_index("subject_class_code").loc["S503"]
    assert d["total_as_of"] == pytest.approx(d["pay_as_of"] + 4000 + 12000 + 500)
    # a year later the reported costs move with the pay, by the same CPI factor
    later = market_total.total_gap(
        con, "Mendocino", ["Napa County"], date(2017, 7, 1), gcc_rows=rows
    )
    d = later.detail.set_index("subject_class_code").loc["S503"]
    assert d["factor"] != 1
    assert d["total_as_of"] - d["pay_as_of"] == pytest.approx(round(500 * d["factor"], 2))
    assert "as its pay" in d["items_note"]


def test_nothing_in_common_compares_pay(con):
    rows = _rows(_row("Napa County", "Account Clerk II", 2016, 44000))  # no costs reported
    res = market_total.total_gap(con, "Mendocino", ["Napa County"], date(2016, 7, 1), gcc_rows=rows)
    assert res.items == []
    assert any(n.startswith("Total compensation = pay + nothing else") for n in res.notes)
    t = res.table.set_index("subject_class_code").loc["S503"]
    assert t["own_top_annual"] == t["own_pay_annual"]
    d = res.detail.set_index("subject_class_code").loc["S503"]
    assert d["total_as_of"] == d["pay_as_of"]
