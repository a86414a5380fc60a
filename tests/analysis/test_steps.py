"""Step rules read from the agreements, and careers followed through the salary schedules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import agencies, steps, trajectory
from etl.defaults import RAW_DIR
from etl.rawtext import RawDocument


def step(a: float, k: int) -> float:
    """Sonoma step k above A: A x 1.025^k, to the cent (Art. 3.2, README 'Derived values')."""
    return round(a * 1.025**k, 2)


# Account Clerk II (0402), Appendix A line 1821: "0402 ACCOUNT CLERK II 1536 1590 1646".
A_2002, A_2003, A_2004 = 15.36, 15.90, 16.46
A_2005 = round(A_2004 * 1.035, 2)  # 8.1 general increases, derived schedules
A_2006 = round(A_2005 * 1.035, 2)
A_2007 = round(A_2006 * 1.035, 2)


# Rules ---------------------------------------------------------------------------------------


AGENCIES_WITH_RULES = ("Sonoma", "Mendocino")


@pytest.fixture(scope="module")
def rules(con):
    return {a: agencies.step_rule(con, a) for a in AGENCIES_WITH_RULES}


def test_every_agency_with_a_salary_table_has_a_rule(con):
    assert sorted(r.agency for r in agencies.rules(con)) == sorted(AGENCIES_WITH_RULES)


@pytest.mark.parametrize("agency", AGENCIES_WITH_RULES)
def test_every_quote_is_at_its_cited_line(rules, agency):
    rule = rules[agency]
    assert len(rule.citations) == 4
    for ref, quote in rule.citations:
        doc_name, rest = ref.split(":", 1)
        line = int(rest.split(" ", 1)[0])
        doc = RawDocument.load(RAW_DIR / doc_name)
        found = doc.find(quote, start_line=line)
        assert found is not None and found[0] == line, ref


def test_sonoma_timeline_two_steps_per_merit(rules):
    # 8.16.2: first merit after 1,040 in-service hours, then one per 2,080 hours at each step.
    t = steps.step_timeline(rules["Sonoma"])
    assert t["step"].tolist() == ["A", "C", "E", "G", "I"]
    assert t["months_from_hire"].tolist() == [0, 1040 / 2080 * 12, 6 + 12, 6 + 24, 6 + 36]
    assert t["months_at_step"].tolist()[:-1] == [6, 12, 12, 12]
    assert t["hours_at_step"].tolist()[:-1] == [1040, 2080, 2080, 2080]
    assert t["months_at_step"].isna().tolist() == [False] * 4 + [True]
    assert t["is_top"].tolist() == [False] * 4 + [True]
    assert steps.time_to_top(rules["Sonoma"]) == 42  # 3.5 years


def test_sonoma_from_b_caps_at_the_top_step(rules):
    assert steps.step_timeline(rules["Sonoma"], "B")["step"].tolist() == ["B", "D", "F", "H", "I"]
    assert steps.time_to_top(rules["Sonoma"], "H") == 6
    assert steps.time_to_top(rules["Sonoma"], "I") == 0


def test_step_at_answers_between_and_on_the_months_and_refuses_a_disordered_timeline(rules):
    t = steps.step_timeline(rules["Sonoma"])  # A at 0, C at 6, E at 18, G at 30, I at 42
    at = steps.stepper(t)
    assert [at(m) for m in (0, 5.99, 6, 17, 18, 41.9, 42, 400)] == list("AACCEGII")
    assert steps.step_at(t, 30) == "G"
    with pytest.raises(ValueError, match="must not be negative"):
        at(-0.5)
    with pytest.raises(ValueError, match="must not decrease"):
        steps.stepper(t.iloc[::-1])


@pytest.mark.parametrize("agency", AGENCIES_WITH_RULES)
def test_total_compensations_step_and_the_timelines_step_are_one_walk(rules, agency):
    from etl.total_compensation import step_after

    rule = rules[agency]
    at = steps.stepper(steps.step_timeline(rule))
    for years in [y / 4 for y in range(0, 81)]:
        assert step_after(rule, years) == at(years * 12), years


def test_mendocino_timeline_one_step_per_26_pay_periods(rules):
    t = steps.step_timeline(rules["Mendocino"])
    assert t["step"].tolist() == ["1", "2", "3", "4", "5"]
    assert t["hours_at_step"].tolist()[:-1] == [26 * 80] * 4
    assert t["months_from_hire"].tolist() == [0, 12, 24, 36, 48]
    assert steps.time_to_top(rules["Mendocino"]) == 48  # 4 years


def test_rules_table(con):
    table = steps.rules_table(agencies.rules(con)).set_index("agency")
    assert table.loc["Sonoma", "months_to_top"] == 42
    assert table.loc["Mendocino", "months_to_top"] == 48
    assert not table["automatic"].any()


def test_no_table_and_unknown_agencies(con, rules):
    with pytest.raises(steps.NoSalaryTableError, match="no salary table"):
        agencies.step_rule(con, "Contra Costa")
    with pytest.raises(ValueError, match="unknown agency"):
        agencies.step_rule(con, "Marin")
    with pytest.raises(ValueError, match="steps are A, B"):
        steps.step_timeline(rules["Sonoma"], "J")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(AGENCIES_WITH_RULES), st.data())
def test_time_at_each_step_is_positive(rules, agency, data):
    rule = rules[agency]
    start = data.draw(st.sampled_from(rule.steps))
    t = steps.step_timeline(rule, start)
    assert (t["months_at_step"].iloc[:-1] > 0).all()
    assert t["months_from_hire"].is_monotonic_increasing
    assert t["step"].iloc[-1] == rule.top_step and t["step"].iloc[0] == start
    order = [rule.steps.index(s) for s in t["step"]]
    assert order == sorted(set(order))


# Classes and schedules -----------------------------------------------------------------------


def test_find_class(con):
    assert steps.find_class(con, "Sonoma", "0402") == "0402"
    assert steps.find_class(con, "Sonoma", "account clerk ii") == "0402"
    assert steps.find_class(con, "Sonoma", "  Account Clerk II ") == "0402"
    with pytest.raises(ValueError, match="0401 ACCOUNT CLERK I; 0402 ACCOUNT CLERK II"):
        steps.find_class(con, "Sonoma", "account clerk")
    with pytest.raises(ValueError, match="no Sonoma class"):
        steps.find_class(con, "Sonoma", "astronaut")
    with pytest.raises(steps.NoSalaryTableError, match="Contra Costa.*no salary table"):
        steps.find_class(con, "Contra Costa", "clerk")


def test_pay_by_step(con):
    rows = steps.pay_by_step(con, "Sonoma", "0402", date(2005, 1, 1))
    assert rows["schedule_date"].unique().tolist() == [date(2004, 6, 22)]
    assert rows["step"].tolist() == list("ABCDEFGHI")
    assert rows["hourly"].tolist() == [step(A_2004, k) for k in range(9)]
    assert rows["annual"].iloc[8] == round(step(A_2004, 8) * 2080, 2)
    assert rows["basis"].tolist() == ["printed"] + ["derived"] * 8
    with pytest.raises(ValueError, match="before the first"):
        steps.pay_by_step(con, "Sonoma", "0402", date(2002, 7, 1))
    with pytest.raises(steps.NoSalaryTableError):
        steps.pay_by_step(con, "Contra Costa", "x", date(1994, 1, 1))


def test_account_clerk_ii_career(con):
    path = trajectory.trajectory(con, "Sonoma", "0402", date(2002, 7, 23), 84)
    t = path.drop_duplicates("month_index").set_index("month_index")  # the monthly rows
    expect = {
        # month: (date, step, hourly, schedule)
        0: (date(2002, 7, 23), "A", A_2002, date(2002, 7, 23)),
        5: (date(2002, 12, 23), "A", A_2002, date(2002, 7, 23)),
        6: (date(2003, 1, 23), "C", step(A_2002, 2), date(2002, 7, 23)),
        11: (date(2003, 6, 23), "C", step(A_2002, 2), date(2002, 7, 23)),  # 6/24/03 not yet
        12: (date(2003, 7, 23), "C", step(A_2003, 2), date(2003, 6, 24)),
        18: (date(2004, 1, 23), "E", step(A_2003, 4), date(2003, 6, 24)),
        23: (date(2004, 6, 23), "E", step(A_2004, 4), date(2004, 6, 22)),
        30: (date(2005, 1, 23), "G", step(A_2004, 6), date(2004, 6, 22)),
        35: (date(2005, 6, 23), "G", step(A_2005, 6), date(2005, 6, 21)),
        42: (date(2006, 1, 23), "I", step(A_2005, 8), date(2005, 6, 21)),
        47: (date(2006, 6, 23), "I", step(A_2006, 8), date(2006, 6, 20)),
        71: (date(2008, 6, 23), "I", step(A_2007, 8), date(2007, 6, 19)),
    }
    for month, (when, st_, hourly, sched) in expect.items():
        row = t.loc[month]
        assert (row["date"], row["step"], row["hourly"], row["schedule_date"]) == (
            when,
            st_,
            hourly,
            sched,
        ), month
        assert row["annual"] == round(hourly * 2080, 2)
    assert t.loc[0, "basis"] == "printed" and t.loc[6, "basis"] == "derived"
    assert t.loc[6, "event"] == "merit to step C"
    # Each new schedule is paid from its own date, a row between two months, at the step held
    # then: 6/24/2003 between 6/23 and 7/23, at step C; the merit to G (1/23/2005) stays on its
    # month and the 6/21/2005 schedule comes on its day, not merged into a monthly row
    between = path[~path.index.isin(path.drop_duplicates("month_index").index)]
    assert list(zip(between["date"], between["step"], between["event"], strict=True)) == [
        (d, s_, f"schedule of {d}")
        for d, s_ in [
            (date(2003, 6, 24), "C"),
            (date(2004, 6, 22), "E"),
            (date(2005, 6, 21), "G"),
            (date(2006, 6, 20), "I"),
            (date(2007, 6, 19), "I"),
        ]
    ]
    assert between.iloc[0]["hourly"] == step(A_2003, 2)
    assert between["month_index"].tolist() == [11, 22, 34, 46, 58]
    assert path["date"].is_monotonic_increasing
    # No schedule after the term (6/30/2008): the rows stop and the notes say why.
    assert t.index.max() == 71
    assert "shown to 2008-06-30, the end of the agreement" in t.attrs["notes"][0]


def test_projection_after_the_term(con):
    t = trajectory.trajectory(con, "Sonoma", "0402", date(2002, 7, 23), 84, project_pct=3.0)
    t = t.set_index("month_index")
    top_2007 = step(A_2007, 8)
    assert t.loc[71, "basis"] == "derived"
    # Anniversaries of the last general increase (6/19/2007): the 6/19/2008 one applies from
    # the first month after the term, the 6/19/2009 one from the June 2009 row.
    assert t.loc[72, ["basis", "hourly"]].tolist() == ["projected", round(top_2007 * 1.03, 2)]
    assert t.loc[82, "hourly"] == round(top_2007 * 1.03, 2)
    assert t.loc[83, "hourly"] == round(top_2007 * 1.03**2, 2)
    assert t.loc[84, "schedule_date"] == date(2007, 6, 19)
    assert any("projected" in n for n in t.attrs["notes"])


def test_pinned_schedule_shows_steps_only(con):
    t = trajectory.trajectory(
        con, "Sonoma", "0402", date(2002, 7, 23), 90, as_of_schedule=date(2002, 7, 23)
    )
    assert t["schedule_date"].unique().tolist() == [date(2002, 7, 23)]
    assert t.set_index("month_index").loc[[0, 6, 18, 30, 42, 90], "hourly"].tolist() == [
        step(A_2002, k) for k in (0, 2, 4, 6, 8, 8)
    ]
    with pytest.raises(ValueError, match="cannot be combined"):
        trajectory.trajectory(con, "Sonoma", "0402", date(2002, 7, 23), 12, 3.0, date(2002, 7, 23))


def test_mendocino_career_reaches_step_5_after_four_years(con):
    code = steps.find_class(con, "Mendocino", "account specialist ii")
    t = trajectory.trajectory(con, "Mendocino", code, date(2015, 7, 1), 48, project_pct=2.0)
    # the 7/26/2015 schedule on its day, in month 0; then the monthly rows
    assert t.iloc[1][["date", "step", "event"]].tolist() == [
        date(2015, 7, 26),
        "1",
        "schedule of 2015-07-26",
    ]
    t = t.drop_duplicates("month_index").set_index("month_index")
    assert t.loc[[0, 11, 12, 24, 36, 48], "step"].tolist() == ["1", "1", "2", "3", "4", "5"]
    # Month 0 uses the printed chart; the 3% (7/26/2015) and 2% (7/10/2016) schedules follow.
    assert t.loc[0, "basis"] == "printed"
    assert t.loc[1, "schedule_date"] == date(2015, 7, 26)
    assert t.loc[13, "schedule_date"] == date(2016, 7, 10)
    sched_2016 = steps.pay_by_step(con, "Mendocino", code, date(2016, 7, 10)).set_index("step")
    assert t.loc[13, "hourly"] == sched_2016.loc["2", "hourly"]
    # After 6/30/2017: projected from the 2016 schedule on each 7/10 anniversary.
    assert t.loc[24, ["basis", "hourly"]].tolist() == ["projected", sched_2016.loc["3", "hourly"]]
    assert t.loc[25, "hourly"] == round(sched_2016.loc["3", "hourly"] * 1.02, 2)
    # 7/1/2019 is after two anniversaries (7/10/2017, 7/10/2018), not yet the third.
    assert t.loc[48, "hourly"] == round(sched_2016.loc["5", "hourly"] * 1.02**2, 2)


def test_trajectory_errors(con):
    with pytest.raises(ValueError, match="before the first"):
        trajectory.trajectory(con, "Sonoma", "0402", date(2001, 1, 1), 12)
    with pytest.raises(steps.NoSalaryTableError, match="no salary table"):
        trajectory.trajectory(con, "Contra Costa", "x", date(1994, 1, 1), 12)
    with pytest.raises(ValueError, match="no salary schedule for class"):
        trajectory.trajectory(con, "Sonoma", "9999x", date(2003, 1, 1), 12)


@pytest.fixture(scope="module")
def class_codes(con):
    from analysis.warehouse import query

    return {
        a: query(con, "SELECT DISTINCT class_code FROM salary_schedule WHERE agency = ?", [a])[
            "class_code"
        ].tolist()
        for a in AGENCIES_WITH_RULES
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    agency=st.sampled_from(AGENCIES_WITH_RULES),
    data=st.data(),
    months=st.integers(0, 120),
    project_pct=st.one_of(st.none(), st.floats(0, 10)),
)
def test_trajectory_never_falls_without_a_negative_increase(
    con, rules, class_codes, agency, data, months, project_pct
):
    code = data.draw(st.sampled_from(class_codes[agency]))
    first = {"Sonoma": date(2002, 7, 23), "Mendocino": date(2015, 7, 1)}[agency]
    hire = data.draw(st.dates(first, first + timedelta(days=6 * 365)))
    t = trajectory.trajectory(con, agency, code, hire, months, project_pct=project_pct)
    assert t["hourly"].is_monotonic_increasing
    assert t["annual"].is_monotonic_increasing
    order = [rules[agency].steps.index(s) for s in t["step"]]
    assert order == sorted(order)
    projected = t["basis"] == "projected"
    assert (t.loc[projected, "date"] > t.attrs["known_end"]).all()
    assert (t.loc[~projected, "date"] <= t.attrs["known_end"]).all()
    if project_pct is None:
        assert not projected.any()
