"""Add an agreement's "Values recorded from an agreement's text", clicked through (AppTest):
Neighbor County's salary table and MOU imported, its bilingual premium recorded from the
line found by its words, then on Premiums and benefits with that line as its source; a bad
value refused naming the field, nothing stored."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP, _open
from tests.etl.test_recorded_values import LINE, _setup
from userdata import agreement_texts, recorded_values


@pytest.fixture()
def env(tmp_path, monkeypatch, warehouse):
    return _setup(tmp_path, warehouse, monkeypatch)


def _fill(at: AppTest, value: str) -> AppTest:
    at = _open(at, "agreements")
    at.radio(key="rec_kind").set_value("premium").run()
    at.text_input(key="rec_words").set_value("bilingual premium of").run()
    line = at.selectbox(key="rec_line")
    assert line.value.line_no == LINE["bilingual"]
    at.text_input(key="rec_premium_premium").set_value("Bilingual")
    at.selectbox(key="rec_premium_basis").set_value("usd_per_month")
    at.text_input(key="rec_premium_value").set_value(value)
    at.text_input(key="rec_premium_eligibility").set_value("designated employees")
    return at.button(key="rec_save").click().run()


def test_a_premium_recorded_from_the_mou_shows_with_its_line(env):
    db, user = env
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at = _fill(at, "-5")
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # Markdown-escaped on screen
    assert any("Value: -5 is outside 0 to 10000" in e for e in shown), shown
    assert recorded_values.listing(user).empty

    at = _fill(at, "$100")
    assert not at.exception
    assert any(
        "Recorded as value #1 of Neighbor County" in s.value.replace("\\", "") for s in at.success
    )
    assert len(recorded_values.listing(user)) == 1

    at.session_state["shared_agency"] = "Neighbor County"
    at = _open(at, "premiums", "Neighbor County")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Premium" in d.value.columns)
    row = table[table["Premium"] == "Bilingual"].iloc[0]
    assert float(str(row["Rate"]).strip("$")) == 100.0
    assert row["Source"] == f"text1-Neighbor_MOU_2016.txt:{LINE['bilingual']} §9.3"

    # the text the value cites cannot be removed on the page; the refusal says why
    at = _open(at, "agreements")
    at.checkbox(key="txt_remove_sure_1").check().run()
    at.button(key="txt_remove").click().run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any("cited by recorded value(s) #1" in e for e in shown), shown
    assert len(agreement_texts.listing(user)) == 1
