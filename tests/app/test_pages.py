"""Every page renders, its main widgets change what it shows (asserted on values), the same
figure reads the same on every page and in the CLI, the sidebar's choices apply or say they
do not, no table shows a vocabulary code, and every table can be downloaded."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import bargain_cli
from app_pages.costing import results as costing_results
from etl import records
from tests.live_app import page_file

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = [
    "overview",
    "member",
    "schedules",
    "steps",
    "market_gap",
    "surveys",
    "premiums",
    "costing",
    "clauses",
    "sources",
    "your_data",
]
AS_OF = date(2004, 6, 22)


@pytest.fixture()
def app(isolated_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


TAB_KEYS = {
    "surveys": "surveys_tab",
    "premiums": "prem_tab",
    "sources": "src_tab",
    "steps": "steps_tab",
    "your_data": "data_tab",
    "costing": "cost_results_tab",
}
# Pages with other tabs beside their lazy ones: only these labels are opened by key.
LAZY_TABS = {"costing": costing_results.RESULT_TABS}


def _open(at: AppTest, page: str, agency: str | None = None, tab: str | None = None) -> AppTest:
    if agency:
        at.session_state["shared_agency"] = agency
    if tab:  # a page's tabs run only while open
        at.session_state[TAB_KEYS[page]] = tab
    at.switch_page(page_file(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, *columns: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


# Values ------------------------------------------------------------------------------------


def test_overview_lists_agreements_and_audit(app):
    at = _open(app, "overview")
    cov = _table(at, "Agency", "Union")
    assert set(cov["Agency"]) == {"Sonoma", "Mendocino", "Contra Costa"}
    sonoma = cov[cov["Union"] == "SEIU Local 707"].iloc[0]
    assert sonoma["Classes"] == 331
    # one row per check: what it explains and what it does not
    audit = _table(at, "Check", "Explained", "Not explained")
    sonoma = audit[audit["Agency"] == "Sonoma"].iloc[0]
    assert sonoma["Explained"] > 600 and sonoma["Not explained"] == 1
    assert not audit.duplicated(["Agency", "Check"]).any()
    telework = cov[cov["Union"].str.contains("coalition")].iloc[0]
    assert "telework" in telework["Title"].lower()  # a row of no classes says what it is


def test_the_sidebar_starts_inside_the_agreement_term(app):
    assert app.session_state["shared_agency"] == "Sonoma"  # first in the registry
    assert app.session_state["shared_as_of::Sonoma"] == AS_OF  # latest printed schedule
    at = _open(app, "schedules", "Mendocino")
    assert at.session_state["shared_as_of::Mendocino"] == date(2015, 7, 1)
    assert any("Selects Mendocino's schedule of 07/01/2015" in c.value for c in at.sidebar.caption)


def test_schedules_pay_basis_real_dollars_and_search(app):
    at = _open(app, "schedules", "Sonoma")
    at.text_input(key="sched_search").input("ACCOUNT CLERK I").run()
    # The 06/22/2004 schedule (the sidebar's default): range 1457 = $14.57 an hour.
    row = _table(at, "Class code").set_index("Class code").loc["0401"]
    assert row["A"] == pytest.approx(14.57)
    at.sidebar.radio[0].set_value("annual").run()
    row = _table(at, "Class code").set_index("Class code").loc["0401"]
    assert row["A"] == pytest.approx(14.57 * 2080)
    at.sidebar.radio[1].set_value("real").run()
    real = _table(at, "Class code").set_index("Class code").loc["0401", "A"]
    assert real > 14.57 * 2080 * 1.3  # 2004 dollars are worth more today
    assert any("real dollars of" in c.value for c in at.caption)
    at.sidebar.date_input(key="shared_as_of::Sonoma").set_value(date(2002, 8, 1)).run()
    at.sidebar.radio[1].set_value("nominal").run()
    row = _table(at, "Class code").set_index("Class code").loc["0401"]
    assert row["A"] == pytest.approx(13.60 * 2080)  # range 1360 of 07/23/2002


def test_schedules_contra_costa_explains(app):
    at = _open(app, "schedules", "Contra Costa")
    assert any("no salary table" in i.value for i in at.info)


def test_one_top_pay_on_every_page_and_in_the_cli(app, capsys, warehouse, monkeypatch):
    """Sonoma 0402's top step on 06/22/2004 reads the same wherever it is shown: Account
    Clerk II's A step is range 1646 (Appendix A), I = A x 1.025^8 to the cent."""
    expected = round(16.46 * 1.025**8, 2)
    at = _open(app, "schedules", "Sonoma")
    at.text_input(key="sched_search").input("0402").run()
    assert _table(at, "Class code").set_index("Class code").loc["0402", "I (derived)"] == expected

    at.session_state["steps_classes_Sonoma"] = ["Sonoma · ACCOUNT CLERK II (0402)"]
    at = _open(at, "steps")
    metric = next(m for m in at.metric if "0402" in m.label)
    assert f"${expected:,.2f}" in metric.delta and "06/22/2004" in metric.delta
    top = _table(at, "top step, hourly")
    assert top["top step, hourly"].iloc[0] == expected

    at.session_state["me_class_Sonoma"] = "0402"
    at.session_state["me_how"] = "my step"
    at.session_state["me_step_Sonoma"] = "I"
    at = _open(at, "member")
    assert f"${expected:,.2f}" in at.metric[0].value
    # in real dollars the headline stays what the schedule pays, said nominal, with its real
    # equivalent beside its source (derived, with the factor)
    at.session_state["shared_dollars"] = "real"
    at.run()
    assert not at.exception
    assert at.metric[0].label.endswith(", nominal") and f"${expected:,.2f}" in at.metric[0].value
    said = next(t for t in (c.value.replace("\\", "") for c in at.caption) if "Source:" in t)
    factor = float(re.search(r"derived: × ([0-9.]+)", said).group(1))
    assert f"${expected * factor:,.2f}" in said and factor > 1
    assert "derived: step I = step A x 1.025^8" in said  # only step A is printed

    monkeypatch.setenv("BARGAIN_DB", str(warehouse))
    bargain_cli.main(
        [
            "steps",
            "--agency",
            "Sonoma",
            "--class",
            "0402",
            "--as-of",
            "2004-06-22",
            "--format",
            "json",
        ]
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert next(r for r in rows if r["step"] == "I")["hourly"] == expected


def test_steps_time_to_top(app):
    at = _open(app, "steps", "Sonoma")
    sonoma = next(m for m in at.metric if "Sonoma" in m.label)
    assert sonoma.value.startswith("3.5 years to step I")
    table = _table(at, "months to top step")
    before = table.iloc[0, table.columns.get_loc("top step, hourly")]
    at.sidebar.radio[0].set_value("annual").run()
    after = _table(at, "months to top step")["top step, annual"].iloc[0]
    assert after == pytest.approx(before * 2080, rel=1e-3)


def test_market_gap_threshold_and_step_position(app):
    at = _open(app, "market_gap", "Mendocino")
    at.sidebar.date_input(key="shared_as_of::Mendocino").set_value(date(2016, 7, 1)).run()
    compared = int(at.metric[0].value)
    assert compared > 20
    table = _table(at, "% below market")
    assert list(table.columns[:2]) == ["% below market", "% increase to reach market"]
    ew2 = table.set_index("Class code").loc["S512"]
    assert ew2["% below market"] > 2
    at.number_input(key="gap_threshold").set_value(45.0).run()
    assert int(at.metric[1].value) < int((table["% below market"] > 2).sum())
    at.radio(key="gap_position").set_value("first").run()
    first = _table(at, "% below market").set_index("Class code")
    assert first.loc["S512", "Own step"] == "1"
    assert first.loc["S512", "% below market"] != pytest.approx(ew2["% below market"])


def test_market_gap_total_compensation(app):
    at = _open(app, "market_gap", "Mendocino")
    at.sidebar.date_input(key="shared_as_of::Mendocino").set_value(date(2016, 7, 1)).run()
    pay = _table(at, "% below market").set_index("Class code")
    at.radio(key="gap_measure").set_value("total compensation").run()
    assert not at.exception
    total = _table(at, "% below market").set_index("Class code")
    col = "Own total compensation (hourly, nominal)"
    # the basis follows the sidebar (hourly by default); pay + paid time off at 5 years
    row = total.loc["S512"]
    assert row["Own pay (hourly, nominal)"] == pytest.approx(
        pay.loc["S512", "Own pay (hourly, nominal)"]
    )
    assert row[col] == pytest.approx(
        row["Own pay (hourly, nominal)"]
        + row["Own deferred compensation (hourly, nominal)"]
        + row["Own paid time off (hourly, nominal)"],
        abs=0.02,
    )
    assert row["Own paid time off (hourly, nominal)"] > 0
    items = _table(at, "Priced from").set_index("Agency")
    assert items.loc["Sonoma", "Paid time off"] == "counted"
    notes = [c.value.replace("\\", "") for c in at.caption]  # captions are escaped Markdown
    assert any("Total compensation = pay + deferred compensation" in n for n in notes)
    at.number_input(key="gap_years").set_value(20).run()
    later = _table(at, "% below market").set_index("Class code").loc["S512"]
    assert later["Own paid time off (hourly, nominal)"] > row["Own paid time off (hourly, nominal)"]


def test_market_gap_comparators_default_from_the_survey_list(app):
    at = _open(app, "market_gap", "Mendocino")
    # Mendocino 7.2 surveys Sonoma, which has pay data: it is the default comparator.
    assert at.multiselect(key="gap_comparators_Mendocino").value == ["Sonoma"]
    at = _open(at, "market_gap", "Sonoma")
    # Sonoma's survey counties have no pay data here, and Mendocino's agreement (2015-2017)
    # is of another era than 2004: no default, and the page says why and what to do.
    assert at.multiselect(key="gap_comparators_Sonoma").value == []
    assert any("era" in i.value and "survey list" in i.value for i in at.info)


def test_market_gap_saving_a_match_decision(app):
    at = _open(app, "market_gap", "Mendocino")
    at.selectbox(key="gap_edit_class").set_value("S512").run()
    at.button(key="gap_edit_reject").click().run()
    assert not at.exception
    from userdata import class_matches, store

    saved = class_matches.listing()
    assert (saved["subject_class_code"] == "S512").any()
    assert "S512" not in set(_table(at, "% below market")["Class code"])
    log = store.changelog()
    assert log.iloc[0]["kind"] == "class_match" and log.iloc[0]["action"] == "rejected"


def test_surveys_coverage_counts(app):
    at = _open(app, "surveys", "Mendocino", tab="Coverage")
    assert any("have pay data from at least one comparator" in c.value for c in at.caption)
    cov = _table(at, "Comparators with pay")
    assert (cov["Comparators with pay"] > 0).all()


def test_premiums_who_pays_what(app):
    at = _open(app, "premiums", "Mendocino", tab="Who pays what")
    at.selectbox(key="prem_a").set_value("Mendocino").run()
    at.selectbox(key="prem_b_Mendocino").set_value("Sonoma").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Mendocino pays that Sonoma does not" in text
    who = _table(at, "category", "paid_by")
    shift = who.set_index("category").loc["shift differential"]
    assert (
        "$1.00 per hour" in shift["Mendocino: terms"] and "% of base pay" in shift["Sonoma: terms"]
    )
    assert shift["Mendocino: $ per hour"] and shift["Sonoma: $ per hour"]
    at = _open(at, "premiums", tab="Premiums")
    base = next(n for n in at.number_input if n.label == "Base $/hour")
    before = _table(at, "$ per hour", "Basis")
    base.set_value(base.value * 2).run()
    after = _table(at, "$ per hour", "Basis")
    pct = before["Basis"] == "% of base pay"
    assert after[pct]["$ per hour"].sum() == pytest.approx(
        2 * before[pct]["$ per hour"].sum(), rel=1e-3
    )


def test_sources_audit_and_documents(app):
    at = _open(app, "sources", tab="Arithmetic audit")
    audit = _table(at, "Expected")
    assert set(audit["Result"]) == {"unexplained"}
    assert "0048" in set(audit["Class code"])
    at.radio(key="aud_status").set_value("all").run()
    assert len(_table(at, "Expected")) > 1000
    at = _open(at, "sources", tab="Read a document")
    at.selectbox(key="src_doc").set_value("sonoma_seiu707_mou_2002_2008.txt").run()
    at.text_input(key="src_doc_search").input("merit increases within a range").run()
    assert any("658 | " in c.value and "Merit increases within a range" in c.value for c in at.code)


# Every page ------------------------------------------------------------------------------------

_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
# Codes are the snake_case values (single words such as 'dental' read as words already).
VOCABULARY = {
    v
    for vocab in (
        records.PREMIUM_BASES,
        records.BENEFITS,
        records.AMOUNT_PERIODS,
        records.PROVISION_TOPICS,
        records.WAGE_KINDS,
    )
    for v in vocab
    if "_" in v
}


def _visible_codes(df: pd.DataFrame) -> list[str]:
    found = []
    for col in df.columns:
        if "source" in str(col).lower() or str(col) in ("Agreement", "Document"):
            continue
        for v in df[col].dropna().astype(str).unique():
            if v in VOCABULARY or _CODE.match(v) or v in ("None", "nan", "NaT"):
                found.append(f"{col}: {v}")
    return found


@pytest.mark.parametrize("agency", ["Sonoma", "Mendocino", "Contra Costa"])
def test_every_page_labels_downloads_and_sidebar(app, agency):
    """Every page and every tab of it (tabs run only while open, so each is opened)."""
    at = app
    for page in PAGES:
        at = _open(at, page, agency)
        tabs = [t.label for t in at.tabs] if page in TAB_KEYS else []
        tabs = [t for t in tabs if t in LAZY_TABS.get(page, tabs)]
        for tab in tabs or [None]:
            at = _open(at, page, agency, tab)
            _check_shown(at, f"{page} / {tab}" if tab else page)


def _check_shown(at: AppTest, where: str) -> None:
    for d in at.dataframe:
        assert _visible_codes(d.value) == [], (where, d.value.columns.tolist())
    downloads = [b for b in at.get("download_button") if b.proto.label in ("CSV", "XLSX")]
    # Editable tables (the costing builder's) are inputs: the scenario JSON downloads them.
    tables = [d for d in at.dataframe if not re.search(r"_v\d+$", d.key or "")]
    page = where.split(" / ")[0]
    assert len(downloads) >= 2 * len(tables) - 2 * _undownloadable(page), where
    numbers = [d.value.select_dtypes("number").sum().sum() for d in at.dataframe]
    metrics = [m.value for m in at.metric]
    said = any("do not apply here" in c.value for c in at.caption)
    at.sidebar.radio[0].set_value("annual").run()
    assert not at.exception, where
    changed = numbers != [
        d.value.select_dtypes("number").sum().sum() for d in at.dataframe
    ] or metrics != [m.value for m in at.metric]
    assert changed or said or not at.dataframe, where
    at.sidebar.radio[0].set_value("hourly").run()


def _undownloadable(page: str) -> int:
    """Tables that list problems to fix or preview a change being edited."""
    return {"costing": 2}.get(page, 0)


def test_my_pay_refuses_a_hire_after_the_as_of_date_and_says_which_hire_it_shows(app):
    at = _open(app, "member", "Sonoma")
    at.session_state["me_how"] = "my hire date"
    at.run()
    as_of = at.sidebar.date_input(key="shared_as_of::Sonoma").value
    at.date_input(key="me_hire_Sonoma").set_value(date(as_of.year + 1, 3, 1)).run()
    assert not at.exception
    assert any("is after the as-of date" in w.value for w in at.warning)
    assert not at.metric  # no figures for a hire that has not happened
    at.date_input(key="me_hire_Sonoma").set_value(date(2003, 1, 15)).run()
    assert any("Figures for a hire on 01/15/2003" in c.value for c in at.caption)
    assert at.metric and "step" in at.metric[0].label
