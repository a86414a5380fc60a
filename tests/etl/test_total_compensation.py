"""Total compensation: base pay at the step reached, priced employer benefits, the value of
paid time off; every part traced to its line, and what cannot be priced named."""

from __future__ import annotations

from datetime import date

import pytest

from analysis import agencies, total_comp
from etl import total_compensation as tc
from etl.parse import rule_from_spec
from etl.registry import MENDOCINO, SONOMA


def test_step_after_years_of_service():
    sonoma = rule_from_spec(SONOMA, SONOMA.step_rule)  # A, then +2 steps at 6, 18, 30, 42 months
    got = [tc.step_after(sonoma, y) for y in (0, 0.4, 0.5, 1.5, 2.5, 3.5, 10)]
    assert got == ["A", "A", "C", "E", "G", "I", "I"]
    mendo = rule_from_spec(MENDOCINO, MENDOCINO.step_rule)  # one step each 26 pay periods
    assert [tc.step_after(mendo, y) for y in (0, 1, 2, 3, 4, 20)] == ["1", "2", "3", "4", "5", "5"]


def test_sonoma_account_clerk_ii_at_five_years(con):
    row = (
        con.execute(
            "SELECT * FROM total_compensation WHERE class_code = '0402' "
            "AND effective_date = DATE '2004-06-22'"
        )
        .df()
        .iloc[0]
    )
    top = round(16.46 * 1.025**8, 2)  # step I of range 1646 (Appendix A, 06/22/04)
    assert row["step"] == "I" and row["years_of_service"] == 5
    assert row["base_annual"] == pytest.approx(top * 2080)
    # 17.14 (line 1495): "Additionally on this date [June 22, 2004], the employer-paid 1%
    # deferred compensation (457) contribution will cease": 0% on this schedule; 17.9: the
    # County matches the employee's 1 cent an hour to the housing fund.
    assert row["employer_benefits_annual"] == 20.80
    # 13.1 eleven holidays x 8 h, 14.3 vacation for 5-10 years 119.6 h (4.6 h per pay period
    # x 26), 13.2 floating 14 h + eve 3 h, 15.1 sick 3.68 h per 80 x 26.
    hours = 11 * 8 + 4.6 * 26 + 14 + 3 + 3.68 * 26
    assert row["time_off_hours"] == pytest.approx(hours)
    assert row["time_off_value_annual"] == pytest.approx(hours * top, abs=0.01)
    assert row["total_annual"] == pytest.approx(
        row["base_annual"] + row["employer_benefits_annual"] + row["time_off_value_annual"]
    )
    assert "medical: the employer's share (86%) is stated, not the premium" in row["missing"]
    for ref in ("§Appendix A", "§17.14", "§17.9", "§13.1", "§14.3", "§15.1"):
        assert ref in row["source_refs"], ref


def test_every_cited_line_holds_its_number(con):
    """Each source line of a total-compensation row is a line of the cited document."""
    rows = con.execute(
        "SELECT source_refs FROM total_compensation WHERE class_code IN ('0402', 'S512')"
    ).fetchall()
    for (refs,) in rows:
        for ref in refs.split("; "):
            doc, rest = ref.split(":", 1)
            line = int(rest.split(":")[0].split(" ")[0])
            n = con.execute(
                "SELECT count(*) FROM source_lines WHERE doc = ? AND line_no = ?", [doc, line]
            ).fetchone()[0]
            assert n == 1, ref


def test_mendocino_prices_no_benefit_and_says_why(con):
    t = total_comp.for_agency(con, "Mendocino", date(2016, 7, 10), 5)
    row = t[t["class_code"] == "S512"].iloc[0]
    assert row["step"] == "5" and row["employer_benefits_annual"] == 0
    assert "medical, dental and vision: the employer's share (75%) is stated" in row["missing"]
    hours = 11 * 8 + 4.616 * 26 + 4.616 * 26 + 30  # 12.1 holidays, 13.1, 14.2.A, 15.2.A
    assert row["time_off_hours"] == pytest.approx(hours, abs=0.01)


def test_more_service_never_lowers_total_compensation(con):
    for agency in agencies.names(con, salary_table=True):
        when = agencies.default_as_of(con, agency)
        totals = [
            total_comp.for_agency(con, agency, when, y).set_index(
                ["class_code", "bargaining_unit"]
            )["total_annual"]
            for y in (0, 1, 5, 10, 20)
        ]
        for a, b in zip(totals, totals[1:], strict=False):
            assert (b >= a - 0.01).all(), agency


def test_time_off_by_service_side_by_side(con):
    t = total_comp.time_off_by_service(con, ["Sonoma", "Mendocino"])
    sonoma = t[(t["agency"] == "Sonoma") & (t["kind"] == "vacation")].iloc[0]
    assert sonoma["1 years"] == pytest.approx(3.07 * 26, abs=0.1)  # 14.3, under 2 years
    mendo = t[(t["agency"] == "Mendocino") & (t["kind"] == "all paid time off")].iloc[0]
    assert mendo["20 years"] > mendo["1 years"]
