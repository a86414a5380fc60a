"""Premiums normalized to $/hour and % of base, computed by hand from the agreements."""

from __future__ import annotations

from datetime import date

import pytest

from analysis import compensation


def _row(df, agency, premium):
    return df[(df["agency"] == agency) & (df["premium"] == premium)].iloc[0]


def test_per_pay_period_and_per_hour_premiums(con):
    df = compensation.premiums_normalized(con, 20.0, date(2016, 7, 1))
    bil = _row(df, "Mendocino", "bilingual pay")  # $40 per pay period (9.3.A)
    assert bil["usd_per_hour"] == pytest.approx(40 / 80)
    assert bil["pct_of_base"] == pytest.approx(40 / 80 / 20.0 * 100)
    swing = _row(df, "Mendocino", "swing shift differential")  # $1.00 per hour
    assert swing["usd_per_hour"] == 1.0 and swing["pct_of_base"] == pytest.approx(5.0)
    tools = _row(df, "Mendocino", "tool reimbursement")  # $225 a year
    assert tools["usd_per_hour"] == pytest.approx(225 / 2080, abs=1e-4)


def test_reference_rate_premium_uses_the_named_class_top_step(con):
    as_of = date(2004, 7, 1)
    df = compensation.premiums_normalized(con, 20.0, as_of, agency="Sonoma")
    standby = _row(df, "Sonoma", "standby")  # 12% of the I step of Maintenance Supervisor I
    i_step = con.execute(
        "SELECT hourly FROM salary_schedule WHERE agency='Sonoma' AND class_code='5050' "
        "AND step='I' AND effective_date = DATE '2004-06-22'"
    ).fetchone()[0]
    assert standby["usd_per_hour"] == pytest.approx(0.12 * i_step, abs=1e-4)


def test_dated_premiums_keep_the_rate_in_force(con):
    early = compensation.premiums_normalized(con, 20.0, date(2002, 8, 1), agency="Sonoma")
    late = compensation.premiums_normalized(con, 20.0, date(2004, 8, 1), agency="Sonoma")
    assert _row(early, "Sonoma", "bilingual")["value"] == pytest.approx(0.80)  # 9.8
    assert _row(late, "Sonoma", "bilingual")["value"] == pytest.approx(0.90)


def test_who_pays_what(con):
    df = compensation.premiums_normalized(con, 20.0, date(2016, 7, 1))
    only = compensation.paid_by_only(df, "Mendocino", "Sonoma")
    assert set(only["category"]) == {"tool allowance"}
    assert "hazard" in set(compensation.paid_by_only(df, "Sonoma", "Mendocino")["category"])


def test_categories():
    assert compensation.category("on-call, weekends and holidays") == "standby / on-call"
    assert compensation.category("graveyard shift differential") == "shift differential"
    assert compensation.category("sexual_assault_exam_day_shift") != "shift differential"
