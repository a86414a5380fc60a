"""One definition of what a member sees (analysis/member/class_figures.py): the figures the site
prints are the ones the My pay page computes; the pieces checked against the agreements by
hand; which premiums a class can earn, read from the premium's own words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import premium_eligibility, steps
from analysis import warehouse as wh
from analysis.member import class_figures as member_class
from analysis.member import pay as member
from tests.site.dom import parse

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2004, 6, 22)


def test_the_ladder_is_pay_by_step_with_the_rule_s_next_step(con):
    f = member_class.class_figures(con, "Sonoma", "0402", as_of=AS_OF)
    by_step = steps.pay_by_step(con, "Sonoma", "0402", AS_OF)
    pd.testing.assert_frame_equal(
        f.ladder[by_step.columns].reset_index(drop=True), by_step, check_dtype=False
    )
    ladder = f.ladder.set_index("step")
    # Art. 3.2 / 8.16: the first merit after 1,040 hours moves A two steps (about 5%) to C,
    # later ones every 2,080 hours; H stops at I, the top.
    assert (ladder.loc["A", "next_step"], ladder.loc["A", "hours_to_next"]) == ("C", 1040)
    assert (ladder.loc["C", "next_step"], ladder.loc["C", "hours_to_next"]) == ("E", 2080)
    assert ladder.loc["H", "next_step"] == "I" and pd.isna(ladder.loc["I", "next_step"])
    assert ladder.loc["I", "hourly"] == 20.05
    assert ladder.loc["A", "next_pct"] == pytest.approx((17.29 / 16.46 - 1) * 100)


def test_increases_over_the_term_by_hand(con):
    f = member_class.class_figures(con, "Sonoma", "0402", as_of=AS_OF)
    inc = f.increases.set_index("date")
    assert list(inc.index) == [
        date(2002, 7, 23), date(2003, 6, 24), date(2004, 6, 22),
        date(2005, 6, 21), date(2006, 6, 20), date(2007, 6, 19),
    ]  # fmt: skip
    row = inc.loc[date(2005, 6, 21)]
    assert row["what"] == ["3.5% general increase"]
    assert row["what_refs"] == ["sonoma_seiu707_mou_2002_2008.txt:619 §8.1"]
    assert row["top_hourly"] == 20.76 and row["basis"] == "derived"
    assert row["change_pct"] == pytest.approx((20.76 / 20.05 - 1) * 100)
    assert inc["in_force"].tolist() == [False, False, True, False, False, False]
    # real dollars: the class's annual × CPI(target month) / CPI(that month), named
    from analysis import inflation

    factor = inflation.factor(date(2005, 6, 1), f.real_month)
    assert row["top_annual_real"] == round(20.76 * 2080 * factor)
    assert "CUURS49BSA0" in f.real_label


def test_one_time_payments_and_no_empty_increases(con):
    m = member_class.class_figures(con, "Mendocino", "S503", as_of=date(2015, 7, 1))
    whats = dict(zip(m.increases["date"], m.increases["what"], strict=True))
    assert whats[date(2015, 7, 26)] == ["3% general increase", "$1,200.00 one-time payment"]
    assert whats[date(2015, 7, 1)] == []  # the printed chart: nothing is said to change


def test_my_pay_and_the_site_share_the_class_elsewhere_and_the_next_step(con):
    me = member.my_pay(con, "Sonoma", "0402", AS_OF, step="I")
    f = member_class.class_figures(con, "Sonoma", "0402", as_of=AS_OF)
    top = f.elsewhere[f.elsewhere["share"] == 1.0].reset_index(drop=True)
    cols = ["agency", "class_code", "step", "annual", "annual_real", "source_ref"]
    pd.testing.assert_frame_equal(me.others[cols], top[cols])
    at_a = member.my_pay(con, "Sonoma", "0402", AS_OF, step="A")
    assert at_a.next_step == f.ladder.set_index("step").loc["A", "next_step"] == "C"
    assert "6 months" in " ".join(at_a.notes)  # the first merit: 1,040 hours (Art. 8.16.2)


def test_kept_rows_give_the_same_figures(con, warehouse):
    """The site reads an agency's rows once per connection (warehouse.connect); a plain
    connection reads them each time: the figures are the same."""
    kept = wh.connect(warehouse)
    a = member_class.class_figures(kept, "Sonoma", "0402", as_of=AS_OF)
    b = member_class.class_figures(con, "Sonoma", "0402", as_of=AS_OF)
    for name in ("ladder", "increases", "premiums", "elsewhere"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def _titles(con, agency):
    rows = con.execute(
        "SELECT DISTINCT class_code, class_title FROM job_classes WHERE agency = ?", [agency]
    ).fetchall()
    return premium_eligibility.Titles(rows)


def _codes(con, *titles: str) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT class_code FROM job_classes WHERE agency = 'Sonoma' AND class_title "
        f"IN ({', '.join('?' * len(titles))})",
        list(titles),
    ).fetchall()
    assert len(rows) >= len(titles), titles
    return {c for (c,) in rows}


def test_which_classes_a_premium_names(con):
    t = _titles(con, "Sonoma")
    heavy = (
        "Maintenance Worker I/II, Water Agency Maintenance Worker I/II, fairgrounds, parks and "
        "Disposal Worker I operating heavy construction equipment at least one-half hour a "
        "day; reference rate: I step of Maintenance Worker II (class 5015)"
    )
    named = t.named(heavy)
    earn = ("MAINTENANCE WORKER I", "MAINTENANCE WORKER II", "DISPOSAL WORKER I",
            "WATER AGENCY MAINT WORKER I", "WATER AGENCY MAINT WORKER II")  # fmt: skip
    assert _codes(con, *earn) <= named
    assert not _codes(con, "MAINTENANCE WORKER III", "DISPOSAL WORKER II") & named
    # the reference class of a standby premium is what it is priced on, not who earns it
    assert t.named("Any employee assigned to standby; reference rate: I step of Maintenance "
                   "Supervisor I (class 5050)") == frozenset()  # fmt: skip
    ranges = t.named("Building Inspector I-III and Supervising Building Inspector")
    assert ranges == _codes(con, "BUILDING INSPECTOR I", "BUILDING INSPECTOR II",
                            "BUILDING INSPECTOR III", "SUPERVISING BUILDING INSPECTOR")  # fmt: skip
    assert premium_eligibility.named_units("Nursing Services Bargaining Unit (0080) employees",
                                           ["0001", "0080"]) == {"0080"}  # fmt: skip


def test_premiums_open_to_a_class(con):
    f = member_class.class_figures(con, "Sonoma", "0402", as_of=AS_OF)  # unit 0001
    by = dict(zip(f.premiums["premium"], f.premiums["applies"], strict=False))
    assert by["tuition_textbook_benefit"] == "its unit"
    assert by["shift_evening"] == "any class" and by["bilingual"] == "any class"
    assert "shift_night_nursing" not in by  # unit 0080 only
    assert "heavy_equipment" not in by  # named for maintenance classes
    evening = f.premiums[f.premiums["premium"] == "shift_evening"].iloc[0]
    assert evening["usd_per_hour_first"] == pytest.approx(16.46 * 0.05)
    assert evening["usd_per_hour_top"] == pytest.approx(20.05 * 0.05)
    (code,) = _codes(con, "MARINA SUPERVISOR")
    marina = member_class.class_figures(con, "Sonoma", code, as_of=AS_OF)
    housing = marina.premiums[marina.premiums["premium"].str.contains("housing_allowance")]
    assert housing["applies"].tolist() == ["this class"]


def test_my_pay_links_to_the_published_page(site, isolated_env, monkeypatch):
    monkeypatch.setenv("BARGAIN_SITE_DIR", str(site.dir))
    monkeypatch.setenv("BARGAIN_SITE_URL", "https://pay.example.org/")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state["shared_agency"] = "Sonoma"
    at.session_state["me_class_Sonoma"] = "0402"
    at.switch_page("app_pages/member.py").run()
    assert not at.exception
    links = [b for b in at.get("link_button")]
    assert len(links) == 1
    url = links[0].proto.url
    assert url == "https://pay.example.org/" + site.page_of("Sonoma", "0402")
    # the page the link opens shows the figure My pay shows for the same step
    page = parse(site.read(site.page_of("Sonoma", "0402")))
    assert "$16.46" in page.all("table", class_="pay")[0].text()
    assert "$16.46" in at.metric[0].value  # hired today: step A
    monkeypatch.delenv("BARGAIN_SITE_URL")
    at.switch_page("app_pages/member.py").run()
    assert not at.get("link_button")  # no address, no link
