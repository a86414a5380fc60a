"""The Costing page's helpers: builder tables round-trip the scenario JSON, blank editor rows
are dropped and half-filled ones are reported with their builder row, market gaps and moves,
the pay-calendar hint, and saved scenarios compared."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.costing import compare as cc
from analysis.market import gap as market
from analysis.roster.reader import RosterError, illustrative_roster, valid_positions
from analysis.scenario import ScenarioError, scenario_from_dict
from figures import charts

FULL = {
    "agency": "Sonoma",
    "start": "2004-06-22",
    "years": 2,
    "step_movement": True,
    "rollups": {"retirement": {"pct": 20.0, "excludes": ["overtime"]}, "medicare": 1.45},
    "overtime": {"0401": 40.0, "*": 10.0},
    "changes": [
        {"type": "across_the_board", "effective": "2004-06-22", "pct": 2.0, "label": "yr 1"},
        {"type": "targeted", "effective": "2005-06-21", "pct": 1.5, "classes": ["0401"]},
        {
            "type": "to_market",
            "gaps": {"0401": 6.2, "0402": 1.0},
            "threshold": 2.0,
            "gap_basis": "below_market",
            "stages": [
                {"effective": "2004-06-22", "share": 0.5},
                {"effective": "2005-06-21", "share": 0.5},
            ],
        },
        {
            "type": "premium",
            "flag": "bilingual",
            "basis": "usd_per_pay_period",
            "value": 50.0,
            "current": 40.0,
            "effective": "2004-06-22",
            "share": 0.5,
            "classes": ["0402"],
        },
        {"type": "one_time", "effective": "2004-07-06", "amount": 500.0, "per": "head"},
        {"type": "one_time", "effective": "2004-07-06", "amount": 250.0, "periods": 4},
        {"type": "add_top_step", "effective": "2005-06-21", "pct": 5.0, "after_periods_at_top": 26},
    ],
}


def _builder_round_trip(scenario: dict) -> dict:
    state = cc.changes_to_tables(scenario["changes"])
    changes, _ = cc.tables_to_changes(state)
    return {
        **scenario,
        "rollups": cc.table_to_rollups(cc.rollups_to_table(scenario["rollups"])),
        "overtime": cc.table_to_overtime(cc.overtime_to_table(scenario["overtime"])),
        "changes": changes,
    }


def test_builder_tables_round_trip_the_json():
    assert _builder_round_trip(FULL) == FULL
    # ... and the JSON is what the scenario module writes for it
    assert scenario_from_dict(FULL).to_dict() == FULL


def test_changes_are_regrouped_by_type_and_a_second_to_market_is_kept():
    tm = FULL["changes"][2]
    second = {**tm, "gaps": {"0403": 9.0}}
    mixed = [FULL["changes"][4], second, FULL["changes"][0], tm]
    state = cc.changes_to_tables(mixed)
    assert state.to_market == second and state.kept == [tm]
    changes, origins = cc.tables_to_changes(state)
    assert [c["type"] for c in changes] == [
        "across_the_board",
        "to_market",
        "one_time",
        "to_market",
    ]
    assert origins == [
        "Across-the-board increases, row 1",
        "Bring classes to market",
        "One-time payments, row 1",
        "kept from the JSON (edit it there)",
    ]


def test_editor_rows_blank_dropped_half_filled_reported_with_their_row():
    atb = pd.DataFrame(
        [
            # what st.data_editor hands back: Timestamps, NaN for an empty number
            {"effective": pd.Timestamp("2004-06-22"), "pct": 3.0, "label": None},
            {"effective": None, "pct": float("nan"), "label": ""},  # a row added, left empty
            {"effective": "2005-06-21", "pct": float("nan"), "label": None},
        ]
    )
    targeted = cc.empty_change_table("targeted")
    targeted.loc[0] = [date(2004, 6, 22), 2.0, [], None]  # no classes chosen yet
    state = cc.BuilderState({"across_the_board": atb, "targeted": targeted})
    changes, origins = cc.tables_to_changes(state)
    assert changes == [
        {"type": "across_the_board", "effective": "2004-06-22", "pct": 3.0},
        {"type": "across_the_board", "effective": "2005-06-21", "pct": None},
        {"type": "targeted", "effective": "2004-06-22", "pct": 2.0},
    ]
    scenario = {"agency": "Sonoma", "start": "2004-06-22", "years": 1, "changes": changes}
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(scenario)
    table = cc.scenario_problems(exc.value, origins)
    assert list(table["field"]) == ["changes[1].pct", "changes[2].classes"]
    assert list(table["in the builder"]) == [
        "Across-the-board increases, row 3",
        "Targeted increases, row 1",
    ]


def test_rollups_and_overtime_tables():
    df = pd.DataFrame(
        [
            {"name": "retirement", "pct": 22.5, "excludes": ["overtime", "one_time"]},
            {"name": None, "pct": 1.0, "excludes": None},  # a rate without a name keeps it
            {"name": None, "pct": float("nan"), "excludes": []},  # blank: dropped
        ]
    )
    assert cc.table_to_rollups(df) == {
        "retirement": {"pct": 22.5, "excludes": ["overtime", "one_time"]},
        "rollup 2": 1.0,
    }
    ot = pd.DataFrame([{"class_code": None, "hours": 12.0}, {"class_code": None, "hours": None}])
    assert cc.table_to_overtime(ot) == {"*": 12.0}


def test_default_scenario_is_valid_and_for_agency_keeps_assumptions():
    d = cc.default_scenario("Sonoma", date(2002, 7, 23))
    s = scenario_from_dict(d)
    assert s.rollups["social security"].pct == 6.2 and s.rollups["medicare"].pct == 1.45
    assert s.rollups["retirement"].excludes == ("overtime", "one_time")
    moved = cc.for_agency({**d, "years": 5, "step_movement": True}, "Mendocino", date(2015, 7, 1))
    assert (moved["agency"], moved["start"], moved["years"]) == ("Mendocino", "2015-07-01", 5)
    assert moved["step_movement"] is True
    assert moved["changes"][0]["effective"] == "2015-07-01"


def test_market_gaps_and_moves(con):
    res = market.run_gap(con, "Mendocino", ["Sonoma"], date(2015, 7, 1))
    gaps = cc.gaps_from_market(res.table)
    row = res.table.iloc[0]
    assert gaps[row["subject_class_code"]] == round(row["pct_below_market"], 2)
    moves = cc.market_moves(gaps, 2.0, "below_market")
    assert set(moves.loc[moves["moved"], "class_code"]) == {c for c, g in gaps.items() if g > 2}
    # 10% below market: the raise that reaches it is 10 / 90 = 11.11%
    m = cc.market_moves({"A": 10.0, "B": 1.5, "C": -3.0}, 2.0, "below_market")
    assert m.set_index("class_code").loc["A", "increase_pct"] == pytest.approx(10 / 90 * 100, 0.01)
    assert list(m["moved"]) == [True, False, False]
    m = cc.market_moves({"A": 10.0}, 2.0, "increase_to_market")
    assert m["increase_pct"].iloc[0] == 10.0


def test_stages_as_percent_of_the_gap():
    stages = [{"effective": "2004-06-22", "share": 0.5}, {"effective": "2005-06-21", "share": 0.25}]
    table = cc.stages_to_table(stages)
    assert list(table["share_pct"]) == [50.0, 25.0]
    assert cc.table_to_stages(table) == stages


def test_pay_period_hint():
    # Mendocino: 07/26/2015 and 07/10/2016 are 25 periods apart; 07/01/2015 is off that grid.
    dates = [date(2015, 7, 1), date(2015, 7, 26), date(2016, 7, 10)]
    hint = cc.pay_period_hint(dates, date(2015, 7, 1))
    assert hint is not None and "07/12/2015" in hint and "07/26/2015" in hint
    assert cc.pay_period_hint(dates, date(2015, 7, 12)) is None
    sonoma = [date(2002, 7, 23), date(2003, 6, 24), date(2004, 6, 22)]
    assert cc.pay_period_hint(sonoma, date(2002, 7, 23)) is None
    assert cc.pay_period_hint([date(2004, 6, 22)], date(2004, 7, 1)) is None


def test_roster_summary_and_problems(con):
    roster = illustrative_roster(valid_positions(con))
    s = cc.roster_summary(roster).set_index("agency")
    assert s.loc["Total", "heads"] == roster.heads
    assert s.loc["Total", "fte"] == pytest.approx(roster.fte, abs=0.01)
    assert s.loc["Sonoma", "heads"] + s.loc["Mendocino", "heads"] == roster.heads
    err = RosterError("x.csv", [(3, "fte", "fte 2 is outside (0, 1]"), (None, "agency", "no")])
    assert cc.roster_problems(err).to_dict("records") == [
        {"row": "3", "column": "fte", "problem": "fte 2 is outside (0, 1]"},
        {"row": "the whole file", "column": "agency", "problem": "no"},
    ]


def test_compare_saved_scenarios(con):
    def scen(pct: float) -> str:
        d = cc.default_scenario("Sonoma", date(2004, 6, 22), 2)
        d["changes"][0]["pct"] = pct
        return scenario_from_dict(d).to_json()

    results = {n: cc.cost_scenario(con, None, "", scen(p)) for n, p in (("3%", 3.0), ("1%", 1.0))}
    long = cc.compare_by_year(results)
    assert list(long["scenario"]) == ["3%", "3%", "1%", "1%"]
    totals = cc.compare_totals(results).set_index("scenario")
    assert totals.loc["3%", "increment_over_term"] == pytest.approx(
        results["3%"].cumulative_increment
    )
    # on one roster and horizon, the base-wage part is linear in the percent
    parts = {n: r.by_year["increment_base_wages"].sum() for n, r in results.items()}
    assert parts["3%"] == pytest.approx(3 * parts["1%"], abs=0.05)
    fig = charts.compare_bars(long, "Increment by scenario")
    assert [t.name for t in fig.data] == ["3%", "1%"]
    assert list(fig.data[0].x) == list(results["3%"].by_year["fiscal_year"])
    assert fig.layout.yaxis.title.text.startswith("Increment over the baseline, $")
    # other horizons: grouped by year of the term
    other = cc.cost_scenario(
        con,
        None,
        "",
        scenario_from_dict(cc.default_scenario("Mendocino", date(2015, 7, 26), 2)).to_json(),
    )
    fig = charts.compare_bars(cc.compare_by_year({"S": results["3%"], "M": other}), "t")
    assert list(fig.data[1].x) == ["Year 1", "Year 2"]


def test_increment_parts_term_summary_and_cautions(con):
    d = cc.default_scenario("Sonoma", date(2004, 6, 22), 5)  # past the last schedule, 2007
    r = cc.cost_scenario(con, None, "", scenario_from_dict(d).to_json())
    parts = cc.increment_parts(r.by_year)
    assert parts.sum() == pytest.approx(r.cumulative_increment, abs=0.05)
    assert parts["Base wages"] > 0 and parts["Roll-ups"] > 0
    t = cc.term_summary(r)
    assert t["increment_pct_of_baseline"] == pytest.approx(
        r.cumulative_increment / r.by_year["baseline_cost"].sum() * 100, abs=0.001
    )
    flat = [n for n in r.notes if "baseline rates stay flat" in n]
    assert flat and all(cc.is_caution(n) for n in flat)
    assert not cc.is_caution("Money is in nominal dollars of each year.")
    assert cc.file_stem({"name": "LBFO 3/2/2"}) == "costing_LBFO_3_2_2"
    assert "2 across_the_board" in cc.describe({"changes": [{"type": "across_the_board"}] * 2})


def test_notes_name_the_builder_row():
    notes = ["changes[1] (targeted) names classes with no one in the roster: 0403.", "Other."]
    origins = ["Across-the-board increases, row 1", "Targeted increases, row 1"]
    assert cc.annotate_notes(notes, origins) == [
        "changes[1] (targeted; Targeted increases, row 1) names classes with no one in the "
        "roster: 0403.",
        "Other.",
    ]
    assert cc.annotate_notes(notes, None) == notes


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("LBFO 3/2/2", "costing_LBFO_3_2_2"),
        ("x" * 100_000, "costing_" + "x" * 60),
        ("../../etc/passwd", "costing_etc_passwd"),
        ("..", "costing_scenario"),
        ("Café offer", "costing_Cafe_offer"),
        ("offer \ud800\u202e\x00", "costing_offer"),
        ("組合の提案", "costing_scenario"),
    ],
)
def test_download_file_names_are_capped_and_safe(name, stem):
    got = cc.file_stem({"name": name})
    assert got == stem
    assert len(got) <= len("costing_") + 60
    got.encode("ascii")


def test_an_edited_table_goes_back_into_its_editor_as_typed():
    """What the editor hands back (dates as text or Timestamps, class lists as arrays, a
    half-filled row) in the types it takes again, no row dropped or filled in."""
    import numpy as np

    edited = pd.DataFrame(
        {
            "effective": ["2004-07-01", pd.Timestamp("2005-01-02"), None],
            "pct": [2.0, "3.5", None],
            "classes": [np.array(["0098", "0100"]), None, []],
            "label": ["a", None, None],
        }
    )
    out = cc.edited_table("targeted", edited)
    assert list(out.columns) == list(cc.CHANGE_TABLES["targeted"])
    assert out["effective"].tolist()[:2] == [date(2004, 7, 1), date(2005, 1, 2)]
    assert out["effective"].isna().tolist()[2]
    assert out["pct"].tolist()[:2] == [2.0, 3.5] and np.isnan(out["pct"].iloc[2])
    assert out["classes"].tolist() == [["0098", "0100"], None, None]
    assert len(out) == 3
