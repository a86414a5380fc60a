"""Every page renders, and its main widgets change what it shows (asserted on values)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def app(isolated_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def _open(at: AppTest, page: str, agency: str | None = None) -> AppTest:
    if agency:
        at.session_state["shared_agency"] = agency
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_lists_agreements_and_audit(app):
    at = _open(app, "overview")
    cov = at.dataframe[0].value
    assert set(cov["agency"]) == {"Sonoma", "Mendocino", "Contra Costa"}
    sonoma = cov[cov["union_name"] == "SEIU Local 707"].iloc[0]
    assert sonoma["classes"] == 331
    assert any("unexplained" in m.value for m in at.metric)


def test_schedules_pay_basis_and_search(app):
    at = _open(app, "schedules", "Sonoma")
    at.text_input(key="sched_search").input("ACCOUNT CLERK I").run()
    wide = at.dataframe[0].value
    row = wide[wide["class_code"] == "0401"].iloc[0]
    assert row["A"] == pytest.approx(13.60)  # range 1360 = cents per hour
    at.sidebar.radio[0].set_value("annual").run()
    row = at.dataframe[0].value.set_index("class_code").loc["0401"]
    assert row["A"] == pytest.approx(13.60 * 2080)
    assert set(at.dataframe[0].value["class_code"]) <= {"0401", "0402", "0403"}


def test_schedules_contra_costa_explains(app):
    at = _open(app, "schedules", "Contra Costa")
    assert any("no salary table" in i.value for i in at.info)


def test_steps_time_to_top_and_todays_dollars(app):
    at = _open(app, "steps")
    labels = [m.label for m in at.metric]
    assert any("ACCOUNT CLERK II (0402)" in lab for lab in labels)
    sonoma = next(m for m in at.metric if "0402" in m.label)
    assert sonoma.value.startswith("3.5 years to step I")
    assert "dollars" in sonoma.delta
    before = at.dataframe[1].value["value"].sum()
    at.sidebar.radio[0].set_value("annual").run()
    after = at.dataframe[1].value["value"].sum()
    assert after == pytest.approx(before * 2080, rel=1e-3)


def test_market_gap_threshold_changes_flags(app):
    at = _open(app, "market_gap", "Mendocino")
    at.date_input(key="gap_asof_Mendocino").set_value("2016-07-01").run()
    compared = int(at.metric[0].value)
    assert compared > 20
    table = at.dataframe[0].value
    ew2 = table.set_index("subject_class_code").loc["S512"]
    assert ew2["pct_below_market"] > 2
    at.number_input(key="gap_threshold").set_value(45.0).run()
    assert int(at.metric[1].value) < int((table["pct_below_market"] > 2).sum())


def test_market_gap_saving_a_match_decision(app):
    at = _open(app, "market_gap", "Mendocino")
    at.selectbox(key="gap_edit_class").set_value("S512").run()
    at.button(key="gap_edit_reject").click().run()
    assert not at.exception
    from userdata import class_matches

    saved = class_matches.listing()
    assert (saved["subject_class_code"] == "S512").any()
    assert "S512" not in set(at.dataframe[0].value["subject_class_code"])


def test_surveys_coverage_counts(app):
    at = _open(app, "surveys", "Mendocino")
    assert any("have pay data from at least one comparator" in c.value for c in at.caption)
    cov = at.dataframe[1].value
    assert (cov["comparators_with_pay"] > 0).all()


def test_premiums_who_pays_what(app):
    at = _open(app, "premiums", "Mendocino")
    text = " ".join(m.value for m in at.markdown)
    assert "Mendocino pays that Sonoma does not" in text and "tool allowance" in text
    at.selectbox(key="prem_a").set_value("Sonoma").run()
    at.selectbox(key="prem_b").set_value("Mendocino").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Sonoma pays that Mendocino does not" in text and "hazard" in text
    base = next(n for n in at.number_input if n.label == "Base $/hour")
    assert base.value > 0
    before = next(d.value for d in at.dataframe if "usd_per_hour" in d.value.columns)
    base.set_value(base.value * 2).run()
    after = next(d.value for d in at.dataframe if "usd_per_hour" in d.value.columns)
    pct = before["basis"] == "pct_of_base"
    assert after[pct]["usd_per_hour"].sum() == pytest.approx(
        2 * before[pct]["usd_per_hour"].sum(), rel=1e-3
    )


def test_sources_audit_lists_the_unexplained_row(app):
    at = _open(app, "sources")
    audit = next(d.value for d in at.dataframe if "expected" in d.value.columns)
    assert set(audit["status"]) == {"unexplained"}
    assert "0048" in set(audit["class_code"])
    at.radio(key="aud_status").set_value("all").run()
    audit = next(d.value for d in at.dataframe if "expected" in d.value.columns)
    assert len(audit) > 1000
