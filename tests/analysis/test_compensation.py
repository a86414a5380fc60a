"""Premiums normalized to $/hour and % of base, computed by hand from the agreements."""

from __future__ import annotations

from datetime import date

import numpy as np
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


# --- the bases added for issue 13 ---------------------------------------------------------------


def _top_step(con, agency, code, on):
    return con.execute(
        "SELECT hourly FROM salary_schedule WHERE agency = ? AND class_code = ? "
        "AND step = ? AND effective_date = ?",
        [agency, code, "I" if agency == "Sonoma" else "5", on],
    ).fetchone()[0]


def test_overtime_hours_per_pay_period_use_the_overtime_rate(con):
    df = compensation.premiums_normalized(con, 20.0, date(2004, 7, 1), agency="Sonoma")
    hunter = _row(df, "Sonoma", "hunter_trapper_dog_care")  # 10.4: 3.5 OT hours a pay period
    # 3.5 overtime hours at 1-1/2 (7.17) over an 80-hour pay period
    assert hunter["usd_per_hour"] == pytest.approx(20.0 * 3.5 * 1.5 / 80, abs=1e-4)
    assert hunter["pct_of_base"] == pytest.approx(3.5 * 1.5 / 80 * 100, abs=1e-3)
    assert "1.5" in hunter["computed_as"]


def test_hours_of_reference_rate_per_day(con):
    df = compensation.premiums_normalized(con, 20.0, date(2004, 7, 1), agency="Sonoma")
    row = _row(df, "Sonoma", "no_rest_break_transfer_station")  # 9.26
    i_step = _top_step(con, "Sonoma", "5155", date(2004, 6, 22))
    assert row["usd_per_hour"] == pytest.approx(0.25 * i_step / 8, abs=1e-4)


def test_gap_to_reference_rate(con):
    df = compensation.premiums_normalized(con, 20.0, date(2015, 7, 1), agency="Mendocino")
    row = _row(df, "Mendocino", "social worker underfill differential")  # 9.4, to S552
    top = _top_step(con, "Mendocino", "S552", date(2015, 7, 1))
    assert top == 28.79  # "S36A 23.69 24.87 26.11 27.42 28.79"
    assert row["usd_per_hour"] == pytest.approx(0.5 * (28.79 - 20.0), abs=1e-4)
    high = compensation.premiums_normalized(con, 40.0, date(2015, 7, 1), agency="Mendocino")
    assert _row(high, "Mendocino", "social worker underfill differential")["usd_per_hour"] == 0


@pytest.mark.parametrize(
    ("premium", "words"),
    [
        ("mileage_reimbursement", "per mile"),
        ("tuition_textbook_rollover", "a ceiling"),
        ("transit_fares", "100% of a cost"),
        ("minimum_work_time", "a minimum of 2 hours"),
        ("nursing_degree_in_lieu_range_adjustment", "already built into the salary range"),
        ("erp_standby_telephone_calls", "1 h × base = $20.00 per occurrence"),
    ],
)
def test_bases_without_an_hourly_equivalent_say_why(con, premium, words):
    df = compensation.premiums_normalized(con, 20.0, date(2004, 7, 1), agency="Sonoma")
    row = df[df["premium"] == premium].iloc[0]
    assert np.isnan(row["usd_per_hour"]) and np.isnan(row["pct_of_base"])
    assert words in row["computed_as"]


def test_derived_later_year_amounts_are_the_rate_in_force(con):
    early = compensation.premiums_normalized(con, 20.0, date(2002, 8, 1), agency="Sonoma")
    later = compensation.premiums_normalized(con, 20.0, date(2006, 1, 1), agency="Sonoma")
    day = "sexual_assault_exam_day_shift"
    assert (early["premium"] == day).sum() == (later["premium"] == day).sum() == 1
    assert _row(early, "Sonoma", day)["value"] == 100
    assert _row(later, "Sonoma", day)["value"] == pytest.approx(110.87)  # the 6/21/05 amount
    housing = _row(later, "Sonoma", "marina_supervisor_housing_allowance")
    assert housing["value"] == 550
    assert housing["usd_per_hour"] == pytest.approx(550 * 12 / 2080, abs=1e-4)
    tuition = later[later["premium"] == "tuition_textbook_benefit"]
    assert len(tuition) == 6  # one per unit group x FTE tier, the FY 2004-05 amounts
    assert sorted(tuition["value"]) == [250, 300, 325, 500, 600, 650]


def test_new_premiums_fall_in_comparable_categories():
    assert compensation.category("call back minimum") == "overtime / holiday / callback"
    assert compensation.category("mileage_reimbursement") == "mileage / transit / moving"
    assert compensation.category("tuition_textbook_benefit") == "education / certification"
    assert compensation.category("marina_supervisor_housing_allowance") == "housing"
    underfill = "social worker supervisor underfill differential"
    assert compensation.category(underfill) == "out-of-class / acting"
