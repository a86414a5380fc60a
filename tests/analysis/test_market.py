"""Market gap: figures a reader can re-derive by hand from the views."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import inflation, market

AS_OF = date(2016, 7, 1)


def _one(con, sql, params):
    return con.execute(sql, params).fetchone()[0]


def test_mendocino_eligibility_worker_ii_against_sonoma(con):
    res = market.run_gap(con, "Mendocino", ["Sonoma"], AS_OF)
    row = res.table.set_index("subject_class_code").loc["S512"]
    # Own top step: Mendocino S512 step 5 on the schedule in force on 7/1/2016 (the 3% of
    # 7/26/2015; the 2% comes 7/10/2016), in annual dollars.
    own = _one(
        con,
        "SELECT annual FROM salary_schedule WHERE agency='Mendocino' AND "
        "class_code='S512' AND step='5' AND effective_date = DATE '2015-07-26'",
        [],
    )
    assert row["own_top_annual"] == pytest.approx(own)
    # Sonoma's matched class, top step I of its last schedule (6/19/2007, derived), carried to
    # the as-of date by CPI-U SF because 2016 is outside Sonoma's 2002-2008 term.
    sonoma_top = _one(
        con,
        "SELECT annual FROM salary_schedule WHERE agency='Sonoma' AND "
        "class_code='0472' AND step='I' AND effective_date = DATE '2007-06-19'",
        [],
    )
    factor = inflation.adjust(1.0, date(2007, 6, 19), AS_OF, "CUURS49BSA0")
    mkt = round(sonoma_top * factor, 2)
    assert row["market"] == pytest.approx(mkt, abs=0.01)
    assert row["market_n"] == 1
    assert row["pct_below_market"] == pytest.approx(round((mkt - own) / mkt * 100, 2), abs=0.01)
    assert row["pct_increase_to_market"] == pytest.approx(
        round((mkt - own) / own * 100, 2), abs=0.01
    )
    assert bool(row["flag"]) is bool(row["pct_below_market"] > 2.0)
    assert any("CPI" in n for n in res.notes)


def test_nominal_comparison_says_so_and_uses_no_factor(con):
    res = market.run_gap(con, "Mendocino", ["Sonoma"], AS_OF, adjust="none")
    assert (res.detail["factor"] == 1.0).all()
    assert any("nominal" in n for n in res.notes)


def test_in_term_comparator_uses_its_own_schedule(con):
    # Sonoma against Mendocino inside Mendocino's term: no CPI, Mendocino's own 7/10/2016 schedule.
    res = market.run_gap(con, "Sonoma", ["Mendocino"], date(2016, 8, 1))
    assert set(res.detail["schedule_date"].astype(str)) == {"2016-07-10"}
    assert (res.detail["factor"] == 1.0).all()


def test_contra_costa_has_no_salary_table_and_says_what_it_has(con):
    res = market.run_gap(con, "Sonoma", ["Contra Costa"], date(2004, 7, 1))
    assert res.table.empty
    text = " ".join(res.notes)
    assert "no salary table" in text and "wage increases" in text and "hazard" in text


def test_median_differs_from_mean_with_two_comparators():
    vals = [100.0, 110.0, 150.0]
    assert market.market_value(vals, "mean") == pytest.approx((100 + 110 + 150) / 3)
    assert market.market_value(vals, "median") == 110.0


def test_gap_formulas_by_hand():
    assert market.pct_below_market(95.0, 100.0) == pytest.approx((100 - 95) / 100 * 100)
    assert market.pct_increase_to_market(95.0, 100.0) == pytest.approx((100 - 95) / 95 * 100)


@settings(max_examples=60, deadline=None)
@given(
    own=st.floats(10_000, 300_000),
    others=st.lists(st.floats(10_000, 300_000), min_size=1, max_size=6),
    bump=st.floats(0, 50_000),
    stat=st.sampled_from(["mean", "median"]),
)
def test_a_higher_comparator_never_lowers_the_gap(own, others, bump, stat):
    before = market.pct_below_market(own, market.market_value(others, stat))
    raised = [others[0] + bump, *others[1:]]
    after = market.pct_below_market(own, market.market_value(raised, stat))
    assert after >= before - 1e-9


def test_tied_classes_share_a_range(con):
    ties = market.tied_classes(con, "Sonoma")
    # ACCOUNT CLERK II (0402) and ADMISSIONS WORKER (0522) print the same A ranges 1536/1590/1646.
    assert "0522" in ties["0402"]


def test_wide_table_lets_a_reader_rederive_the_market(con):
    res = market.run_gap(con, "Mendocino", ["Sonoma"], AS_OF)
    wide = market.wide_table(res)
    r = wide.iloc[0]
    rederived = float(r["Sonoma: annual"]) * float(r["Sonoma: factor"])
    assert rederived == pytest.approx(r["market"], abs=0.01)
    assert isinstance(wide, pd.DataFrame) and len(wide) == len(res.table)
