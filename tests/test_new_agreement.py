"""Adding a published agreement is one parser module and one registry entry, nothing else:
register a small agreement (tests/fixtures/tiny_agreement.py) and it appears on every page and
in every CLI command, with no other code changed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import bargain_cli
from etl import parse, registry
from tests.fixtures import tiny_agreement as tiny
from tests.live_app import page_file
from userdata.warehouse import build

ROOT = Path(__file__).resolve().parent.parent
ENTRY = registry.Entry(
    agreement_id=tiny.AGREEMENT_ID,
    agency=tiny.AGENCY,
    union="Employees Association",
    title="Tiny County MOU",
    documents=(registry.Document(tiny.DOC, "Tiny County MOU, 2016-2018"),),
    parser="tests.fixtures.tiny_agreement",
    has_salary_table=True,
    step_rule=registry.StepRuleSpec(
        steps=("1", "2", "3"),
        step_pct=5.0,
        hire_step="1",
        first_advance_hours=2080,
        advance_hours=2080,
        steps_per_advance=1,
        automatic=False,
        condition="satisfactory service",
        quotes=(registry.Quote("Article 4", "Each step is five percent above the one before it."),),
    ),
)
PAGES = [
    "overview",
    "member",
    "schedules",
    "steps",
    "market_gap",
    "surveys",
    "premiums",
    "costing",
    "agreements",
    "clauses",
    "sources",
    "your_data",
]


@pytest.fixture(scope="module")
def tiny_env(tmp_path_factory):
    """A raw folder with the published agreements plus the tiny one, and its warehouse."""
    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("tiny")
    raw = tmp / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    (raw / tiny.DOC).write_text(tiny.TEXT)
    published = (*registry.PUBLISHED, ENTRY)
    mp.setattr(registry, "PUBLISHED", published)
    mp.setattr(parse, "PUBLISHED", published)
    mp.setattr("etl.defaults.RAW_DIR", raw)
    db = tmp / "tiny.duckdb"
    build(db, raw_dir=raw, user_db=None)
    mp.setenv("BARGAIN_DB", str(db))
    mp.setenv("BARGAIN_USER_DB", str(tmp / "user.sqlite"))
    yield db
    mp.undo()


def _texts(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in ("markdown", "caption", "text", "info", "metric", "title")
        for e in getattr(at, kind)
    ]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(s.options) + str(s.value) for s in at.selectbox]
    parts += [str(m.options) + str(m.value) for m in at.multiselect]
    return " ".join(parts)


def test_it_appears_on_every_page(tiny_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert tiny.AGENCY in at.sidebar.selectbox[0].options
    at.session_state["shared_agency"] = tiny.AGENCY
    for page in PAGES:
        at.switch_page(page_file(page)).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        text = _texts(at)
        assert tiny.AGENCY in text or "T100" in text, page
    # its own figures, from its own text: T100 step 3 is $19.85 an hour on 07/01/2016
    at.switch_page("app_pages/schedules.py").run()
    row = next(d.value for d in at.dataframe if "Class code" in d.value.columns)
    assert row.set_index("Class code").loc["T100", "3"] == pytest.approx(19.85)


def test_it_appears_in_every_cli_command(tiny_env, capsys):
    assert bargain_cli.main(["build", "--db", str(tiny_env)]) == 0
    built = capsys.readouterr().out
    assert re.search(r"agreements\s+5\n", built)  # the four published and the tiny one
    assert (
        bargain_cli.main(
            ["steps", "--agency", "tiny county", "--class", "T100", "--format", "json"]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["hourly"] for r in rows] == [18.00, 18.90, 19.85]
    assert (
        bargain_cli.main(
            [
                "gap",
                "--agency",
                "Mendocino",
                "--against",
                tiny.AGENCY,
                "--as-of",
                "2016-07-01",
                "--format",
                "json",
            ]
        )
        == 0
    )
    gap = json.loads(capsys.readouterr().out)
    assert {r["subject_title"] for r in gap["rows"]} >= {
        "ACCOUNT CLERK II",
        "ELIGIBILITY WORKER II",
    }
    roster = tiny_env.parent / "roster.csv"
    roster.write_text("agency,class_code,step,fte,count\nTiny County,T100,1,1,3\n")
    scenario = tiny_env.parent / "s.json"
    scenario.write_text(
        json.dumps(
            {
                "agency": tiny.AGENCY,
                "start": "2016-07-01",
                "years": 1,
                "changes": [{"type": "across_the_board", "effective": "2016-07-01", "pct": 2.0}],
            }
        )
    )
    assert (
        bargain_cli.main(
            ["cost", "--roster", str(roster), "--scenario", str(scenario), "--format", "json"]
        )
        == 0
    )
    cost = json.loads(capsys.readouterr().out)
    assert cost["cumulative_increment"] == pytest.approx(3 * 18.00 * 2080 * 0.02, abs=0.05)


def test_an_imported_agreement_appears_on_every_page(tmp_path, monkeypatch, warehouse):
    """A salary table brought in with the generic reader is an agency on every page."""
    from etl import schedule_import
    from etl.schedule_import.stored import ImportedFile
    from userdata import warehouse as user_warehouse

    db, user = tmp_path / "w.duckdb", tmp_path / "user.sqlite"
    shutil.copy(warehouse, db)
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(user))
    data = (ROOT / "tests" / "data" / "schedules" / "neighbor_county.csv").read_bytes()
    got = schedule_import.read(
        [ImportedFile("schedule", "neighbor_county.csv", data)],
        {"agency": "Neighbor County", "effective": "2016-07-01", "period": "hourly"},
    )
    user_warehouse.store(got, db=db, user_db=user)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert "Neighbor County" in at.sidebar.selectbox[0].options
    at.session_state["shared_agency"] = "Neighbor County"
    for page in PAGES:
        at.switch_page(page_file(page)).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert "Neighbor County" in _texts(at), page
    # and as a comparator of Mendocino, matched by title
    at.session_state["shared_agency"] = "Mendocino"
    at.session_state["gap_comparators_Mendocino"] = ["Neighbor County"]
    at.switch_page("app_pages/market_gap.py").run()
    assert int(at.metric[0].value) > 0
