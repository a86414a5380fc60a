"""Benefit rate files on the Premiums and benefits page (AppTest): a bad file's problems listed
by row and column with nothing stored; the sample read, previewed, saved and listed; the total
compensation table then pricing health at the tier chosen; the file removed."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP, _open, _table
from userdata import benefit_rates

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "illustrative_benefit_rates.csv"
HEAD = b"agency,benefit,plan,tier,monthly_premium,pct_of_pay,effective_date,source\n"


def _page(isolated_env) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return _open(at, "premiums", "Sonoma", tab="Total compensation")


def _sonoma_row(at: AppTest):
    t = _table(at, "Employer benefits", "Not priced", "Note")
    return t[t["Agency"] == "Sonoma"].iloc[0]


def test_rates_uploaded_priced_at_the_tier_chosen_and_removed(isolated_env):
    at = _page(isolated_env)
    bad = HEAD + b"Sonoma,medical,Kaiser,Family,-5,,2004-01-01,p. 1\n"
    at.file_uploader(key="br_upload").set_value(("bad.csv", bad, "text/csv")).run()
    at.button(key="br_read").click().run()
    assert not at.exception
    assert any("1 problem(s) in bad" in e.value for e in at.error)
    problems = _table(at, "row", "column", "problem")
    assert problems.iloc[0][["row", "column"]].tolist() == [2, "monthly_premium"]
    assert benefit_rates.imports().empty

    data = SAMPLE.read_bytes()
    at.file_uploader(key="br_upload").set_value((SAMPLE.name, data, "text/csv")).run()
    at.button(key="br_read").click().run()
    assert not at.exception
    at.button(key="br_save").click().run()
    assert not at.exception
    assert len(benefit_rates.rows()) == 42
    at.selectbox(key="prem_class_Sonoma").set_value("0402").run()
    family = _sonoma_row(at)
    assert "medical: County Health Plan, Family" in family["Note"]
    assert "medical" not in family["Not priced"]
    at.selectbox(key="tc_tier").set_value("employee_only").run()
    assert not at.exception
    single = _sonoma_row(at)
    assert "medical: County Health Plan, Employee only, $455.10 a month" in single["Note"]
    assert single["Employer benefits"] < family["Employer benefits"]

    at.checkbox(key="br_delete_sure_1").check().run()
    at.button(key="br_delete").click().run()
    assert not at.exception
    assert benefit_rates.imports().empty
