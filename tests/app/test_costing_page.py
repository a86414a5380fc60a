"""The Costing page: the illustrative roster costs and follows the builder, a bad roster is
refused with every problem listed, the JSON editor names the change at fault and round-trips,
scenarios are saved, listed, loaded, compared and deleted, and a bring-to-market change is
filled from the market comparison. Values are checked against the engine run directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.costing import engine as costing
from analysis.roster.reader import illustrative_roster, valid_positions
from app_pages.show import md_escape
from etl import labels
from userdata import scenarios

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def app(isolated_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def _open(at: AppTest, agency: str | None = None) -> AppTest:
    if agency:
        at.session_state["shared_agency"] = agency
    at.switch_page("app_pages/costing/page.py").run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _raw(df):
    """A shown table with its columns named as the engine names them (the page shows words)."""
    return df.rename(columns={labels.header(c): c for c in RAW})


RAW = [
    "fiscal_year",
    "incremental_cost",
    "value_of_1pct",
    "baseline_cost",
    *(f"increment_{p}" for p in costing.PARTS),
    "heads",
    "agency",
    "scenario",
    "increment_over_term",
    "class_code",
]


def _tables(at: AppTest):
    return [_raw(d.value) for d in at.dataframe]


def _by_year(at: AppTest):
    return next(
        d for d in _tables(at) if {"fiscal_year", "incremental_cost", "value_of_1pct"} <= set(d)
    )


def _has_by_year(at: AppTest) -> bool:
    return any("value_of_1pct" in d.columns for d in _tables(at))


def _key(at: AppTest, name: str) -> str:
    """A builder widget's key (it carries the builder's version)."""
    return f"cost_{name}_v{at.session_state['cost_v']}"


def _set_atb(at: AppTest, pct: float) -> AppTest:
    """Edit the first across-the-board row's percent, as a user typing in the table would."""
    at.session_state[_key(at, "across_the_board")] = {
        "edited_rows": {0: {"pct": pct}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    _ok(at)
    return at


def test_illustrative_roster_costs_and_follows_the_increase(app, con):
    at = _open(app, "Sonoma")
    assert any("SYNTHETIC" in w.value for w in at.warning)
    summary = next(d for d in _tables(at) if "heads" in d.columns)
    assert set(summary["agency"]) >= {"Sonoma", "Mendocino"}

    # The page's numbers are the engine's, for the scenario the builder shows.
    scenario = at.session_state["cost_scenario"]
    # A new proposal starts on the sidebar's date for the agency (its latest printed schedule
    # inside the term).
    assert scenario["agency"] == "Sonoma" and scenario["start"] == "2004-06-22"
    assert scenario["changes"][0] == {
        "type": "across_the_board",
        "effective": "2004-06-22",
        "pct": 3.0,
        "label": "example: edit or delete",
    }
    direct = costing.cost(con, illustrative_roster(valid_positions(con)), scenario).by_year
    before = _by_year(at)
    assert len(before) == 3
    assert list(before["incremental_cost"]) == pytest.approx(list(direct["incremental_cost"]))
    assert before["incremental_cost"].iloc[0] > 0
    total = next(m for m in at.metric if m.label.startswith("Increment over the term"))
    assert total.value == f"${direct['incremental_cost'].sum():,.0f}"
    # Notes are Markdown-escaped (user text is made inert); read them without the escapes.
    notes = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "not costed: the scenario is for Sonoma" in notes  # the Mendocino rows

    # 3% -> 5% across the board from the first period: with no step movement, the base-wage
    # increment is the baseline's wages times the percent, so it scales by 5 / 3 exactly.
    _set_atb(at, 5.0)
    after = _by_year(at)
    assert at.session_state["cost_scenario"]["changes"][0]["pct"] == 5.0
    for b, a in zip(before["increment_base_wages"], after["increment_base_wages"], strict=True):
        assert a == pytest.approx(b * 5 / 3, abs=0.02)
    assert (after["incremental_cost"] > before["incremental_cost"]).all()
    assert list(after["baseline_cost"]) == pytest.approx(list(before["baseline_cost"]))
    labels = {b.label for b in at.get("download_button")}
    assert {"⬇ By year (CSV)", "⬇ Workbook: all tables + assumptions (XLSX)"} <= labels


def test_bad_roster_upload_lists_every_problem_and_costs_nothing(app):
    at = _open(app, "Sonoma")
    at.radio(key="cost_roster_mode").set_value("Upload a roster (CSV or XLSX)").run()
    bad = (
        b"agency,class_code,step,fte,count\n"
        b"Sonoma,0401,B,1.0,2\n"
        b"Sonoma,9999,A,1.0,1\n"
        b"Sonoma,0402,C,1.5,1\n"
    )
    at.file_uploader(key="cost_roster_file").set_value(("team.csv", bad, "text/csv")).run()
    _ok(at)
    assert any("cannot be costed" in e.value and "2 problems" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert list(zip(problems["row"], problems["column"], strict=True)) == [
        ("3", "class_code"),
        ("4", "fte"),
    ]
    assert not _has_by_year(at)
    assert any("Nothing is costed until the roster is valid" in i.value for i in at.info)

    good = b"agency,class_code,step,fte,count\nSonoma,0401,B,1.0,2\n"
    at.file_uploader(key="cost_roster_file").set_value(("team.csv", good, "text/csv")).run()
    _ok(at)
    assert not at.error
    assert _by_year(at)["incremental_cost"].iloc[0] > 0
    assert not any("SYNTHETIC" in w.value for w in at.warning)


def test_json_editor_names_the_change_and_round_trips(app):
    at = _open(app, "Sonoma")
    bad = {
        "agency": "Sonoma",
        "start": "2002-07-23",
        "years": 2,
        "changes": [
            {
                "type": "premium",
                "flag": "bilingual",
                "basis": "usd_per_week",
                "value": 50,
                "effective": "2002-07-23",
            }
        ],
    }
    at.text_area(key="cost_json_text").input(json.dumps(bad))
    at.button(key="cost_json_apply").click().run()
    _ok(at)
    err = " ".join(e.value for e in at.error) + " ".join(c.value for c in at.code)
    assert "Not applied" in err and "changes[0] (premium), field 'basis'" in err
    assert at.session_state["cost_scenario"]["years"] == 3  # the builder is unchanged

    good = {
        "agency": "Sonoma",
        "start": "2003-06-24",
        "years": 2,
        "step_movement": True,
        "rollups": {"medicare": 1.45},
        "changes": [
            {"type": "across_the_board", "effective": "2003-06-24", "pct": 2.0},
            {
                "type": "targeted",
                "effective": "2004-06-22",
                "pct": 4.0,
                "classes": ["0401", "0402"],
            },
            {
                "type": "premium",
                "flag": "bilingual",
                "basis": "usd_per_pay_period",
                "value": 50.0,
                "current": 40.0,
                "effective": "2003-06-24",
            },
        ],
    }
    at.text_area(key="cost_json_text").input(json.dumps(good))
    at.button(key="cost_json_apply").click().run()
    _ok(at)
    assert not at.error
    assert at.session_state["cost_scenario"] == good  # builder -> JSON gives it back
    assert json.loads(at.text_area(key="cost_json_text").value) == good
    assert at.number_input(key=_key(at, "years")).value == 2
    assert len(_by_year(at)) == 2
    assert _by_year(at)["increment_premiums"].iloc[0] > 0


def test_save_list_load_compare_and_delete(app):
    at = _open(app, "Sonoma")
    at.text_input(key="cost_save_name").input("ATB 3%")
    at.button(key="cost_save").click().run()
    _ok(at)
    three = _by_year(at)["incremental_cost"].tolist()
    _set_atb(at, 5.0)
    at.text_input(key="cost_save_name").input("ATB 5%")
    at.button(key="cost_save").click().run()
    _ok(at)
    assert list(scenarios.listing()["name"]) == ["ATB 3%", "ATB 5%"]
    listing = next(d.value for d in at.dataframe if "saved_at" in d.value.columns)
    assert list(listing["name"]) == ["ATB 3%", "ATB 5%"]

    at.multiselect(key="cost_compare").set_value(["ATB 3%", "ATB 5%"]).run()
    _ok(at)
    totals = next(d for d in _tables(at) if "increment_over_term" in d.columns)
    totals = totals.set_index("scenario")["increment_over_term"]
    assert totals["ATB 3%"] == pytest.approx(sum(three), abs=0.05)
    assert totals["ATB 5%"] > totals["ATB 3%"]
    per_year = next(d for d in _tables(at) if {"scenario", "fiscal_year"} <= set(d.columns))
    assert len(per_year) == 6
    assert len(at.get("plotly_chart")) >= 3  # cost bars, waterfall, the comparison

    at.selectbox(key="cost_pick").set_value("ATB 3%").run()
    at.button(key="cost_load").click().run()
    _ok(at)
    assert _by_year(at)["incremental_cost"].tolist() == pytest.approx(three)
    assert at.session_state["cost_scenario"]["name"] == "ATB 3%"

    at.selectbox(key="cost_pick").set_value("ATB 5%").run()
    at.button(key="cost_delete").click().run()
    _ok(at)
    assert list(scenarios.listing()["name"]) == ["ATB 3%"]


def test_contra_costa_is_explained_not_costed(app):
    at = _open(app, "Contra Costa")
    assert any("no salary table" in w.value for w in at.warning)
    assert not _has_by_year(at)


def test_bring_to_market_fills_gaps_from_the_comparison(app):
    at = _open(app, "Mendocino")
    before = _by_year(at)["incremental_cost"].sum()
    at.toggle(key=_key(at, "mkt_on")).set_value(True).run()
    at.button(key=_key(at, "mkt_fill")).click().run()
    _ok(at)
    assert any("Gaps filled" in s.value for s in at.success)
    change = at.session_state["cost_scenario"]["changes"][-1]
    assert change["type"] == "to_market" and change["gap_basis"] == "below_market"
    moved = {c for c, g in change["gaps"].items() if g > change["threshold"]}
    assert len(moved) > 10
    shown = next(d.value for d in at.dataframe if "increase_pct" in d.value.columns)
    assert set(shown["class_code"]) == moved
    # the raise that reaches market, from % below market: g / (100 - g)
    row = shown.iloc[0]
    assert row["increase_pct"] == pytest.approx(row["gap_pct"] / (100 - row["gap_pct"]) * 100, 0.01)
    assert _by_year(at)["incremental_cost"].sum() > before


def test_edits_survive_a_visit_to_another_page(app):
    at = _open(app, "Sonoma")
    _set_atb(at, 4.0)
    at.switch_page("app_pages/overview.py").run()
    _ok(at)
    at.switch_page("app_pages/costing/page.py").run()
    _ok(at)
    assert at.session_state["cost_scenario"]["changes"][0]["pct"] == 4.0
    assert _by_year(at)["increment_base_wages"].iloc[0] > 0


def test_import_scenario_json_is_validated_then_loaded(app):
    at = _open(app, "Sonoma")
    bad = b'{"agency": "Sonoma", "start": "2004-06-22", "years": 11, "changes": []}'
    at.file_uploader(key="cost_import").set_value(("s.json", bad, "application/json")).run()
    _ok(at)
    assert any("not a valid scenario" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "in the builder" in d.value.columns)
    assert list(problems["field"]) == ["years"]

    good = {
        "agency": "Mendocino",
        "start": "2015-07-26",
        "years": 2,
        "step_movement": False,
        "rollups": {"medicare": 1.45},
        "changes": [
            {"type": "one_time", "effective": "2015-08-09", "amount": 1000.0, "per": "head"}
        ],
        "description": "lump sum",
    }
    data = json.dumps(good).encode()
    at.file_uploader(key="cost_import").set_value(("s.json", data, "application/json")).run()
    at.button(key="cost_import_load").click().run()
    _ok(at)
    assert at.session_state["cost_scenario"] == good
    by_year = _by_year(at)
    # $1,000 a head to the 113 Mendocino employees of the roster, plus the roll-up on it
    assert by_year["increment_one_time"].iloc[0] == pytest.approx(113 * 1000.0, abs=0.01)
    assert by_year["incremental_cost"].iloc[0] == pytest.approx(113 * 1000.0 * 1.0145, abs=0.01)


# Hostile text: refused with a clear message, and the page keeps working -----------------------


def _still_costs(at: AppTest) -> None:
    """The session is not broken: the page reruns and still costs the builder's proposal."""
    at.run()
    _ok(at)
    assert _by_year(at)["incremental_cost"].iloc[0] > 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "offer \ud800"), ("label", "ATB \udcff"), ("description", "x\u0000y")],
)
def test_json_editor_refuses_undecodable_text(app, field, value):
    at = _open(app, "Sonoma")
    scenario = json.loads(at.text_area(key="cost_json_text").value)
    if field == "label":
        scenario["changes"][0]["label"] = value
    else:
        scenario[field] = value
    text = json.dumps(scenario)  # JSON escapes: "\ud800" arrives as a lone surrogate
    assert "\\u" in text
    at.text_area(key="cost_json_text").input(text)
    at.button(key="cost_json_apply").click().run()
    _ok(at)
    shown = " ".join(e.value for e in at.error) + " ".join(c.value for c in at.code)
    assert "Not applied" in shown
    assert "undecodable character" in shown or "control character" in shown
    shown.encode("utf-8")  # what the page shows can be sent to the browser
    assert field not in at.session_state["cost_scenario"] or field == "label"
    _still_costs(at)


def test_saving_under_a_name_too_long_to_be_one(app):
    at = _open(app, "Sonoma")
    at.text_input(key="cost_save_name").input("x" * 100_000)
    at.button(key="cost_save").click().run()
    _ok(at)
    assert any("Not saved" in e.value and "more than 100" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert scenarios.listing().empty
    assert at.text_input(key="cost_save_name").value == ""  # the refused name is cleared
    _still_costs(at)
    at.text_input(key="cost_save_name").input("Union first offer")
    at.button(key="cost_save").click().run()
    _ok(at)
    assert list(scenarios.listing()["name"]) == ["Union first offer"]


@pytest.mark.parametrize("field", ["name", "description", "rollups"])
def test_an_imported_scenario_with_undecodable_text_is_refused(app, field):
    """A scenario file whose name (or any text) holds a lone surrogate: refused with a clear
    message instead of breaking the page and, later, the save."""
    at = _open(app, "Sonoma")
    body = {"agency": "Sonoma", "start": "2004-06-22", "years": 1, "changes": []}
    body[field] = {"medicare \ud800": 1.45} if field == "rollups" else "offer \ud800"
    data = json.dumps(body).encode()
    at.file_uploader(key="cost_import").set_value(("s.json", data, "application/json")).run()
    _ok(at)
    assert any("not a valid scenario" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "in the builder" in d.value.columns)
    assert "undecodable character (U+D800)" in " ".join(problems["problem"])
    " ".join(problems["field"]).encode("utf-8")  # the field path is shown escaped
    assert not any(b.key == "cost_import_load" for b in at.button)
    _still_costs(at)


def test_a_typed_agency_costs_as_the_app_and_the_cli_name_it(app, con, tmp_path, capsys):
    """ " sonoma " in the JSON is Sonoma, in the app and in `bargain cost`."""
    at = _open(app, "Mendocino")
    scenario = {
        "agency": " sonoma ",
        "start": "2004-06-22",
        "years": 1,
        "changes": [{"type": "across_the_board", "effective": "2004-06-22", "pct": 2.0}],
    }
    at.text_area(key="cost_json_text").input(json.dumps(scenario))
    at.button(key="cost_json_apply").click().run()
    _ok(at)
    assert at.session_state["cost_scenario"]["agency"] == "Sonoma"
    in_app = _by_year(at)["incremental_cost"].iloc[0]
    direct = costing.cost(con, illustrative_roster(valid_positions(con)), scenario)
    assert direct.scenario.agency == "Sonoma"
    assert in_app == pytest.approx(direct.by_year["incremental_cost"].iloc[0], abs=0.01)

    from bargain_cli import main
    from etl.defaults import DATA_DIR

    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario))
    roster = DATA_DIR / "samples" / "illustrative_roster.csv"
    assert main(["cost", "--roster", str(roster), "--scenario", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows[0]["incremental_cost"] == pytest.approx(in_app, abs=0.01)


def test_a_closed_changes_table_keeps_its_edits(app):
    """A kind of change whose expander is closed is not drawn (its editor costs time on every
    run) but counts as last edited: a one-time payment added, its expander closed, then opened
    again, is in the scenario once throughout, and the editor shows it."""
    at = _open(app, "Sonoma")
    one_time = [c for c in at.session_state["cost_scenario"]["changes"] if c["type"] == "one_time"]
    assert one_time == []
    assert _key(at, "one_time") not in at.session_state  # collapsed: not drawn
    at.session_state[f"{_key(at, 'one_time')}::open"] = True
    at.run()
    _ok(at)
    at.session_state[_key(at, "one_time")] = {
        "edited_rows": {},
        "added_rows": [{"effective": "2004-07-01", "amount": 500.0, "per": "head", "periods": 1}],
        "deleted_rows": [],
    }
    at.run()
    _ok(at)

    def paid():
        return [c for c in at.session_state["cost_scenario"]["changes"] if c["type"] == "one_time"]

    assert [c["amount"] for c in paid()] == [500.0]
    at.session_state[f"{_key(at, 'one_time')}::open"] = False
    at.run()
    _ok(at)
    assert [c["amount"] for c in paid()] == [500.0]
    assert _key(at, "one_time") not in at.session_state
    at.session_state[f"{_key(at, 'one_time')}::open"] = True
    at.run()
    _ok(at)
    assert [c["amount"] for c in paid()] == [500.0]
    shown = [d.value for d in at.data_editor if "amount" in d.value.columns]
    assert shown and shown[0]["amount"].tolist() == [500.0]


def test_rollups_and_overtime_are_closed_with_their_values_said_and_keep_edits(app):
    """The roll-ups and overtime tables start closed (not drawn: each editor costs time on
    every run, the overtime one with an option per class), their values said beneath; a
    roll-up edited in the opened table changes the cost, and stays when the table is closed."""
    at = _open(app, "Sonoma")
    rollups = at.session_state["cost_scenario"]["rollups"]
    assert rollups  # the placeholder assumptions
    assert _key(at, "rollups") not in at.session_state and _key(at, "overtime") not in (
        at.session_state
    )
    captions = [c.value for c in at.caption]
    applied = next(c for c in captions if c.startswith("Applied: ") and "%" in c)
    for name, spec in rollups.items():
        pct = spec["pct"] if isinstance(spec, dict) else spec
        assert md_escape(f"{name} {pct:g}%") in applied
    assert "Applied: none" in captions  # no overtime in the starting scenario
    assert md_escape("retirement 20% (not on overtime, one-time)") in applied
    before = _by_year(at)["incremental_cost"].iloc[0]

    at.session_state[f"{_key(at, 'rollups')}::open"] = True
    at.run()
    _ok(at)
    shown = [d for d in at.data_editor if "excludes" in d.value.columns]
    assert len(shown) == 1 and len(shown[0].value) == len(rollups)
    at.session_state[_key(at, "rollups")] = {
        "edited_rows": {},
        "added_rows": [{"name": "extra", "pct": 10.0}],
        "deleted_rows": [],
    }
    at.run()
    _ok(at)
    assert at.session_state["cost_scenario"]["rollups"]["extra"] == 10.0
    after = _by_year(at)["incremental_cost"].iloc[0]
    assert after > before  # 10% more on every dollar of the increment

    at.session_state[f"{_key(at, 'rollups')}::open"] = False
    at.run()
    _ok(at)
    assert _key(at, "rollups") not in at.session_state
    assert at.session_state["cost_scenario"]["rollups"]["extra"] == 10.0
    assert _by_year(at)["incremental_cost"].iloc[0] == pytest.approx(after, abs=0.01)
    assert any(md_escape("extra 10%") in c.value for c in at.caption)


def test_the_roster_preview_is_drawn_when_opened(app):
    at = _open(app, "Sonoma")
    n = len(at.dataframe)
    assert not any(len(d.value) > 50 for d in at.dataframe)
    at.session_state["cost_roster_preview_open"] = True
    at.run()
    _ok(at)
    assert len(at.dataframe) == n + 1
    assert any(len(d.value) > 50 for d in at.dataframe)  # the illustrative roster's lines


def test_saving_over_a_saved_name_is_asked_first(app):
    at = _open(app, "Sonoma")
    at.text_input(key="cost_save_name").input("Offer")
    at.button(key="cost_save").click().run()
    _set_atb(at, 5.0)
    at.text_input(key="cost_save_name").input("Offer").run()
    at.button(key="cost_save").click().run()
    _ok(at)
    assert any("Not saved" in e.value and "already saved" in e.value for e in at.error)
    assert scenarios.load("Offer")["changes"][0]["pct"] != 5.0  # the earlier one kept
    at.checkbox(key="cost_save_replace").check().run()
    at.button(key="cost_save").click().run()
    _ok(at)
    assert any("Replaced" in s.value for s in at.success)
    assert scenarios.load("Offer")["changes"][0]["pct"] == 5.0
    assert list(scenarios.listing()["name"]) == ["Offer"]
