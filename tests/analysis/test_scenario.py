"""Scenarios: the documented JSON form is valid as written, round-trips, and every mistake is
reported with the change index and the field."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import scenario as scenario_module
from analysis.scenario import (
    CHANGE_TYPES,
    AcrossTheBoard,
    AddTopStep,
    OneTime,
    PremiumChange,
    ScenarioError,
    Stage,
    Targeted,
    ToMarket,
    parse_scenario,
    scenario_from_dict,
    scenario_from_json,
)
from etl.errors import BargainError
from tests.analysis.scenario_example import EXAMPLE_JSON
from userdata import scenarios

FULL = {
    "agency": "Sonoma",
    "start": "2004-07-01",
    "years": 3,
    "step_movement": True,
    "rollups": {
        "medicare": 1.45,
        "retirement": {"pct": 22.5, "excludes": ["overtime", "one_time"]},
    },
    "overtime": {"0401": 40, "*": 10},
    "changes": [
        {"type": "across_the_board", "effective": "2005-07-01", "pct": 3.0, "label": "ATB"},
        {"type": "targeted", "effective": "2005-07-01", "pct": 2.0, "classes": ["0401", "0402"]},
        {
            "type": "to_market",
            "gaps": {"0401": 6.2, "0153": 1.1},
            "threshold": 2.0,
            "stages": [
                {"effective": "2004-07-01", "share": 0.5},
                {"effective": "2005-07-01", "share": 0.5},
            ],
        },
        {
            "type": "premium",
            "flag": "bilingual",
            "basis": "usd_per_hour",
            "value": 1.0,
            "current": 0.9,
            "effective": "2004-07-01",
        },
        {"type": "one_time", "effective": "2005-07-01", "amount": 1000.0, "per": "head"},
        {"type": "add_top_step", "effective": "2005-07-01", "pct": 5.0, "after_periods_at_top": 26},
    ],
    "name": "Union first offer",
}


def test_the_documented_example_is_valid_exactly_as_written():
    s = scenario_from_json(EXAMPLE_JSON)
    assert s.agency == "Sonoma"
    assert s.start == date(2004, 6, 22)
    assert s.years == 2
    assert s.step_movement is False
    assert s.rollups["medicare"].pct == 1.45
    assert s.changes == (AcrossTheBoard(date(2004, 6, 22), 1.0),)


def test_every_json_snippet_in_the_docstring_parses_as_a_change():
    doc = scenario_module.__doc__
    changes_part = doc.split("Changes (the", 1)[1]
    snippets = re.findall(r'^(\{"type".*?\})\n    [A-Z]', changes_part, flags=re.M | re.S)
    assert len(snippets) == 6
    for text in snippets:
        change = json.loads(text.replace("\n", " "))
        s = scenario_from_dict(
            {"agency": "Sonoma", "start": "2004-07-01", "years": 2, "changes": [change]}
        )
        assert s.changes[0].type == change["type"]


def test_full_scenario_parses_into_typed_changes():
    s = scenario_from_dict(FULL)
    kinds = [type(c) for c in s.changes]
    assert kinds == [AcrossTheBoard, Targeted, ToMarket, PremiumChange, OneTime, AddTopStep]
    assert s.changes[2].stages == (Stage(date(2004, 7, 1), 0.5), Stage(date(2005, 7, 1), 0.5))
    assert s.rollups["retirement"].excludes == ("overtime", "one_time")
    assert s.overtime == {"0401": 40.0, "*": 10.0}
    assert s.periods == 3 * 26
    assert s.end == date(2004, 7, 1).fromordinal(date(2004, 7, 1).toordinal() + 3 * 364 - 1)


@pytest.mark.parametrize("data", [json.loads(EXAMPLE_JSON), FULL])
def test_round_trip_through_json(data):
    s = scenario_from_dict(data)
    again = scenario_from_json(s.to_json())
    assert again == s
    assert scenario_from_dict(json.loads(json.dumps(s.to_dict()))) == s
    # what the user wrote is kept (to_dict may add the defaults it did not write)
    out = s.to_dict()
    for key, value in data.items():
        if key != "changes":
            assert out[key] == value
    assert len(out["changes"]) == len(data["changes"])


def test_round_trip_through_the_user_store(tmp_path):
    s = scenario_from_dict(FULL)
    scenarios.save("offer", s.to_dict(), tmp_path / "u.sqlite")
    assert scenario_from_dict(scenarios.load("offer", tmp_path / "u.sqlite")) == s


def test_parse_accepts_object_dict_or_text():
    s = scenario_from_json(EXAMPLE_JSON)
    assert parse_scenario(s) is s
    assert parse_scenario(json.loads(EXAMPLE_JSON)) == s
    assert parse_scenario(EXAMPLE_JSON) == s


def test_stages_close_the_dollar_gap_in_cumulative_shares():
    tm = ToMarket(
        gaps={"A": 10.0, "B": 1.5, "C": -4.0},
        stages=(Stage(date(2004, 7, 1), 0.5), Stage(date(2005, 7, 1), 0.5)),
        threshold=2.0,
    )
    assert tm.increase_to_market() == {"A": 0.10}  # B is within the threshold, C above market
    (d1, f1), (d2, f2) = tm.stage_factors()
    assert f1["A"] == pytest.approx(1 + 0.10 * 0.5)
    assert f2["A"] == pytest.approx((1 + 0.10) / (1 + 0.05))
    assert f1["A"] * f2["A"] == pytest.approx(1.10)


def test_below_market_gaps_convert_to_the_increase_that_reaches_market():
    tm = ToMarket(
        gaps={"A": 10.0}, stages=(Stage(date(2004, 7, 1), 1.0),), gap_basis="below_market"
    )
    # 10% below market: own = 0.9 market, so the increase is 0.1 / 0.9
    assert tm.increase_to_market()["A"] == pytest.approx(0.1 / 0.9)


# Errors ------------------------------------------------------------------------------------


def _found(err: ScenarioError) -> list[tuple[str, str]]:
    """(field path, message) of each problem ('' for the whole scenario)."""
    return [(p.column or "", p.message) for p in err.problems]


def _problems(data) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return info.value


def _with(*changes, **top):
    base = {"agency": "Sonoma", "start": "2004-07-01", "years": 2, "changes": list(changes)}
    base.update(top)
    return base


@pytest.mark.parametrize(
    ("change", "path", "text"),
    [
        (
            {"type": "across_the_board", "effective": "2004-07-01", "pct": "three"},
            "changes[1].pct",
            "must be a number",
        ),
        ({"type": "across_the_board", "pct": 3.0}, "changes[1].effective", "is required"),
        (
            {"type": "across_the_board", "effective": "07/01/2004", "pct": 3.0},
            "changes[1].effective",
            "YYYY-MM-DD",
        ),
        (
            {"type": "across_the_board", "effective": "2004-07-01", "pct": -100},
            "changes[1].pct",
            "more than -100",
        ),
        (
            {"type": "across_the_board", "effective": "2004-07-01", "pct": 3, "pcts": 3},
            "changes[1].pcts",
            "unknown field",
        ),
        ({"type": "raise", "effective": "2004-07-01"}, "changes[1].type", "must be one of"),
        (
            {"type": "targeted", "effective": "2004-07-01", "pct": 1.0},
            "changes[1].classes",
            "list of class codes",
        ),
        (
            {"type": "targeted", "effective": "2004-07-01", "pct": 1.0, "classes": []},
            "changes[1].classes",
            "non-empty list",
        ),
        ({"type": "to_market", "gaps": {"0401": 5}}, "changes[1].effective", "either"),
        (
            {
                "type": "to_market",
                "gaps": {"0401": 5},
                "effective": "2004-07-01",
                "stages": [{"effective": "2004-07-01", "share": 1}],
            },
            "changes[1].effective",
            "not both",
        ),
        (
            {
                "type": "to_market",
                "gaps": {"0401": 5},
                "stages": [
                    {"effective": "2004-07-01", "share": 0.6},
                    {"effective": "2005-07-01", "share": 0.6},
                ],
            },
            "changes[1].stages",
            "more than 1",
        ),
        (
            {
                "type": "to_market",
                "gaps": {"0401": 5},
                "stages": [
                    {"effective": "2005-07-01", "share": 0.5},
                    {"effective": "2004-07-01", "share": 0.5},
                ],
            },
            "changes[1].stages",
            "in order",
        ),
        (
            {"type": "to_market", "gaps": {"0401": "x"}, "effective": "2004-07-01"},
            "changes[1].gaps.0401",
            "must be a number",
        ),
        (
            {"type": "to_market", "gaps": {}, "effective": "2004-07-01"},
            "changes[1].gaps",
            "class code: percent",
        ),
        (
            {
                "type": "premium",
                "flag": "bilingual",
                "basis": "usd_per_week",
                "value": 1,
                "effective": "2004-07-01",
            },
            "changes[1].basis",
            "must be one of",
        ),
        (
            {
                "type": "premium",
                "flag": "bilingual",
                "basis": "pct_of_base",
                "value": 5,
                "effective": "2004-07-01",
                "share": 1.5,
            },
            "changes[1].share",
            "at most 1",
        ),
        (
            {"type": "premium", "basis": "pct_of_base", "value": 5, "effective": "2004-07-01"},
            "changes[1].flag",
            "is required",
        ),
        (
            {"type": "one_time", "effective": "2004-07-01", "amount": 100, "per": "person"},
            "changes[1].per",
            "must be one of",
        ),
        (
            {"type": "one_time", "effective": "2004-07-01", "amount": 100, "periods": 0},
            "changes[1].periods",
            "1 to",
        ),
        (
            {"type": "one_time", "effective": "2004-07-01", "amount": -5},
            "changes[1].amount",
            "at least 0",
        ),
        (
            {"type": "add_top_step", "effective": "2004-07-01", "pct": 0},
            "changes[1].pct",
            "more than 0",
        ),
        (
            {
                "type": "add_top_step",
                "effective": "2004-07-01",
                "pct": 5,
                "after_periods_at_top": 1.5,
            },
            "changes[1].after_periods_at_top",
            "whole number",
        ),
        ("not an object", "changes[1]", "must be an object"),
    ],
)
def test_each_change_error_names_the_index_and_field(change, path, text):
    ok = {"type": "across_the_board", "effective": "2004-07-01", "pct": 1.0}
    err = _problems(_with(ok, change))
    assert any(p == path and text in m for p, m in _found(err)), err.problems
    # the message a person reads names the change index, its type and the field
    kind = change.get("type") if isinstance(change, dict) else None
    prefix = f"changes[1] ({kind})" if kind in CHANGE_TYPES else "changes[1]"
    if "." in path:
        assert f"{prefix}, field {path.split('.', 1)[1]!r}" in str(err)
    else:
        assert prefix in str(err)


def test_message_reads_change_index_type_and_field():
    err = _problems(
        _with({"type": "targeted", "effective": "2004-07-01", "pct": "x", "classes": ["0401"]})
    )
    assert "changes[0] (targeted), field 'pct': must be a number, got 'x'" in str(err)
    assert isinstance(err, BargainError)


@pytest.mark.parametrize(
    ("top", "path", "text"),
    [
        ({"years": 0}, "years", "1 to 10"),
        ({"years": "2"}, "years", "whole number"),
        ({"start": "2004-13-01"}, "start", "YYYY-MM-DD"),
        ({"agency": ""}, "agency", "non-empty"),
        ({"step_movement": "yes"}, "step_movement", "true or false"),
        ({"rollups": {"medicare": "1.45"}}, "rollups.medicare", "must be a number"),
        (
            {"rollups": {"pers": {"pct": 20, "excludes": ["wages"]}}},
            "rollups.pers.excludes",
            "drawn from",
        ),
        ({"rollups": {"medicare": -1}}, "rollups.medicare", "at least 0"),
        ({"overtime": {"0401": -3}}, "overtime.0401", "at least 0"),
        ({"changes": {"type": "across_the_board"}}, "changes", "must be a list"),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_top_level_errors_name_the_field(top, path, text):
    err = _problems(_with(**top))
    assert any(p == path and text in m for p, m in _found(err)), err.problems


def test_all_problems_are_collected_into_one_error():
    err = _problems(
        _with(
            {"type": "across_the_board", "effective": "bad", "pct": "bad"},
            {"type": "targeted", "pct": 1},
            years=99,
        )
    )
    paths = {p for p, _ in _found(err)}
    assert {
        "years",
        "changes[0].effective",
        "changes[0].pct",
        "changes[1].effective",
        "changes[1].classes",
    } <= paths


def test_one_added_top_step_per_class():
    step = {"type": "add_top_step", "effective": "2004-07-01", "pct": 5.0}
    err = _problems(_with(step, {**step, "classes": ["0401"]}))
    assert _found(err) == [
        (
            "changes[1].classes",
            "changes[0] already adds a top step to these classes (one per class)",
        )
    ]
    ok = scenario_from_dict(_with({**step, "classes": ["0402"]}, {**step, "classes": ["0401"]}))
    assert len(ok.changes) == 2


def test_not_json_and_not_an_object():
    with pytest.raises(ScenarioError, match="not valid JSON"):
        scenario_from_json("{agency: Sonoma")
    with pytest.raises(ScenarioError, match="must be a JSON object"):
        scenario_from_json("[1, 2]")


# Text by the cell parser's rules; plausible amounts and dates --------------------------------

_EFF = {"effective": "2004-07-01"}


@pytest.mark.parametrize(
    ("top", "path", "text"),
    [
        ({"name": "offer \ud800"}, "name", "undecodable character (U+D800)"),
        ({"name": "x" * 100_000}, "name", "more than 100"),
        ({"description": "y" * 2_001}, "description", "more than 2000"),
        ({"description": "a\u202eb"}, "description", "text-direction control"),
        ({"agency": "Sonoma\x00"}, "agency", "control character (NUL)"),
        ({"start": "2101-01-01"}, "start", "between 1900-01-01 and 2100-12-31"),
        ({"start": "20040701"}, "start", "YYYY-MM-DD"),
        ({"rollups": {"\ud800": 1.0}}, "rollups.'\\ud800'", "undecodable"),
        ({"overtime": {"04\u202e01": 10}}, "overtime.'04\\u202e01'", "text-direction"),
        ({"overtime": {"0401": 5000}}, "overtime.0401", "at most 4,000"),
    ],
)
def test_text_and_bounds_of_top_level_fields(top, path, text):
    err = _problems(_with(**top))
    assert any(p == path and text in m for p, m in _found(err)), err.problems
    str(err).encode("utf-8")  # the message can be shown and stored


@pytest.mark.parametrize(
    ("change", "path", "text"),
    [
        ({"type": "across_the_board", "effective": "2004-07-01", "pct": 101}, "pct", "at most"),
        (
            {"type": "one_time", "effective": "2004-07-01", "amount": 10**300},
            "amount",
            "at most 1,000,000, got 1e+300",
        ),
        (
            {"type": "premium", "flag": "shift", "basis": "pct_of_base", "value": 150, **_EFF},
            "value",
            "at most 100",
        ),
        (
            {"type": "premium", "flag": "shift", "basis": "usd_per_pay_period", **_EFF}
            | {"value": 1e9},
            "value",
            "at most 160,000",
        ),
        (
            {"type": "premium", "flag": "shift\ud800", "basis": "usd_per_hour", "value": 1, **_EFF},
            "flag",
            "undecodable",
        ),
        (
            {"type": "targeted", "pct": 1, "classes": ["0401", "04\x0002"], **_EFF},
            "classes[1]",
            "control character",
        ),
        (
            {"type": "across_the_board", "effective": "2004-07-01", "pct": 1, "label": "\udcff"},
            "label",
            "undecodable",
        ),
        (
            {"type": "to_market", "gaps": {"0401": 500}, "effective": "2004-07-01"},
            "gaps.0401",
            "at most 100",
        ),
        ({"type": "across_the_board", "effective": "1899-12-31", "pct": 1}, "effective", "between"),
    ],
)
def test_text_and_bounds_of_changes(change, path, text):
    err = _problems(_with(change))
    assert any(p == f"changes[0].{path}" and text in m for p, m in _found(err)), err.problems


def test_text_is_kept_as_the_cell_parser_reads_it():
    s = scenario_from_dict(_with(name="  County   LBFO\t3-2-2 ", description="Line one\nline two"))
    assert s.name == "County LBFO 3-2-2" and s.description == "Line one line two"
    assert scenario_from_dict(s.to_dict()) == s


def test_a_saved_name_is_checked_like_a_typed_name():
    from analysis.scenario import scenario_name

    assert scenario_name("  Union   first offer ") == "Union first offer"
    for bad, text in [("\ud800", "undecodable"), ("x" * 101, "more than 100"), ("", "is empty")]:
        with pytest.raises(ScenarioError, match=text):
            scenario_name(bad)


_any_text = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from("\ud800\udfff\u202e\x00\t\n \u200b\ufeffé")
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(name=_any_text, label=_any_text, key=_any_text)
def test_any_text_is_read_as_the_cell_parser_reads_it_or_refused_printably(name, label, key):
    """Whatever text arrives in a name, a label or a roll-up's name, the scenario is built with
    exactly what etl.cells.text makes of it, or refused with a message that can be shown."""
    from etl import cells

    body = _with(
        {"type": "across_the_board", "effective": "2004-07-01", "pct": 1, "label": label},
        name=name,
        rollups={key: 1.0},
    )
    try:
        s = scenario_from_dict(body)
    except ScenarioError as exc:
        str(exc).encode("utf-8")
        for p in exc.problems:
            (p.column or "").encode("utf-8")
        return
    assert s.name == (cells.text(name, 100) or None)
    assert s.changes[0].label == (cells.text(label) or None)
    assert list(s.rollups) == [cells.text(key, 100)]
    s.to_json().encode("utf-8")
