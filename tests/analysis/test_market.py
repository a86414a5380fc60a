"""Market gap: figures a reader can re-derive by hand from the views."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import inflation
from analysis.market import gap as market
from analysis.market import tables as market_tables

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


def _survey(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "agency": a,
                "class_title": title,
                "pay": annual,
                "pay_period": "annual",
                "annual": annual,
                "effective_date": "2016-07-01",
                "source": "test survey",
                "row_no": i + 2,
            }
            for i, (a, title, annual) in enumerate(rows)
        ]
    )


def test_mean_and_median_over_warehouse_and_survey_comparators(con):
    # Two survey agencies and Sonoma price Mendocino's Account Clerk II: the market mean is
    # the mean of the three values, the median the middle one.
    survey = _survey(
        [
            ("Napa County", "ACCOUNT CLERK II", 40_000.0),
            ("Lake County", "ACCOUNT CLERK II", 90_000.0),
        ]
    )
    comps = ["Sonoma", "Napa County", "Lake County"]
    mean = market.run_gap(con, "Mendocino", comps, AS_OF, survey_rows=survey)
    median = market.run_gap(con, "Mendocino", comps, AS_OF, survey_rows=survey, stat="median")
    row = mean.table.set_index("subject_title").loc["ACCOUNT CLERK II"]
    d = mean.detail[mean.detail["subject_class_code"] == row["subject_class_code"]]
    values = d.groupby("comparator_agency")["annual_as_of"].mean()
    assert sorted(values.index) == sorted(comps)
    assert row["market_n"] == 3
    assert row["market"] == pytest.approx(values.mean(), abs=0.01)
    med = median.table.set_index("subject_title").loc["ACCOUNT CLERK II"]
    assert med["market"] == pytest.approx(sorted(values)[1], abs=0.01)
    assert med["market"] != pytest.approx(row["market"])


def test_an_unknown_comparator_is_named(con):
    with pytest.raises(ValueError, match="no pay data for Marin County"):
        market.run_gap(con, "Mendocino", ["Marin County"], AS_OF)


def test_gap_formulas_by_hand():
    assert market.pct_below_market(95.0, 100.0) == pytest.approx((100 - 95) / 100 * 100)
    assert market.pct_increase_to_market(95.0, 100.0) == pytest.approx((100 - 95) / 95 * 100)


@settings(max_examples=60, deadline=None)
@given(
    own=st.floats(10_000, 300_000),
    market_pay=st.floats(10_000, 300_000),
    bump=st.floats(0, 50_000),
)
def test_a_higher_market_never_lowers_the_gap(own, market_pay, bump):
    before = market.pct_below_market(own, market_pay)
    after = market.pct_below_market(own, market_pay + bump)
    assert after >= before - 1e-9
    assert (
        market.pct_increase_to_market(own, market_pay + bump)
        >= market.pct_increase_to_market(own, market_pay) - 1e-9
    )


def test_tied_classes_share_a_range(con):
    ties = market.tied_classes(con, "Sonoma")
    # ACCOUNT CLERK II (0402) and ADMISSIONS WORKER (0522) print the same A ranges 1536/1590/1646.
    assert "0522" in ties["0402"]


def test_wide_table_lets_a_reader_rederive_the_market(con):
    res = market.run_gap(con, "Mendocino", ["Sonoma"], AS_OF)
    wide = market_tables.wide_table(res)
    r = wide.iloc[0]
    rederived = float(r["Sonoma: annual"]) * float(r["Sonoma: factor"])
    assert rederived == pytest.approx(r["market"], abs=0.01)
    assert isinstance(wide, pd.DataFrame) and len(wide) == len(res.table)
