"""Values recorded by hand from an imported agreement's text (issue 21.3): a premium, a
benefit share and a time-off rule of an imported salary table's agency, each citing a line
of its imported MOU, land in the warehouse views with that line as their source_ref (and the
line in source_lines, so every page shows it like a published citation); bad fields, lines
and texts are refused naming the field, nothing stored; a cited text cannot be removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.warehouse import connect, query
from bargain_cli import main
from etl.errors import BargainError, InputError
from userdata import agreement_texts, recorded_values
from userdata import warehouse as user_warehouse

SCHEDULES = Path(__file__).resolve().parents[1] / "data" / "schedules"
MOU = """MEMORANDUM OF UNDERSTANDING
NEIGHBOR COUNTY AND NEIGHBOR EMPLOYEES ASSOCIATION

ARTICLE 9 - SPECIAL PAY
9.3 Bilingual Premium. An employee designated to use a second language shall be
paid a bilingual premium of one hundred dollars a month.

ARTICLE 12 - HEALTH AND WELFARE
12.1 Medical. The County shall pay eighty-five percent of the Kaiser premium.

ARTICLE 14 - VACATION
14.2 Accrual. Employees with less than five years of service accrue 80 hours a year.
"""
LINE = {"bilingual": 6, "medical": 9, "accrue 80 hours": 12}


def _setup(tmp: Path, warehouse: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the session warehouse, Neighbor County's salary table and its MOU imported."""
    db, user = tmp / "w.duckdb", tmp / "user.sqlite"
    shutil.copy(warehouse, db)
    mp.setenv("BARGAIN_DB", str(db))
    mp.setenv("BARGAIN_USER_DB", str(user))
    argv = ["import-schedule", str(SCHEDULES / "neighbor_county.csv"), "--agency"]
    argv += ["Neighbor County", "--effective", "2016-07-01", "--period", "hourly"]
    assert main(argv) == 0
    mou = tmp / "Neighbor MOU 2016.txt"
    mou.write_text(MOU, encoding="cp1252")
    assert main(["import-text", str(mou), "--agency", "neighbor county"]) == 0
    return db, user


@pytest.fixture()
def env(tmp_path, monkeypatch, warehouse, capsys):
    got = _setup(tmp_path, warehouse, monkeypatch)
    capsys.readouterr()
    return got


@pytest.fixture(scope="module")
def shared(tmp_path_factory, warehouse):
    """One imported setup for the refusals (a refusal stores nothing, so they can share)."""
    mp = pytest.MonkeyPatch()
    yield _setup(tmp_path_factory.mktemp("recorded"), warehouse, mp)
    mp.undo()


AGREEMENT = "imported-neighbor-county-1"


def _record(kind: str, typed: dict, line: int, text_id: int = 1, agency="Neighbor County"):
    return user_warehouse.record(AGREEMENT, agency, kind, typed, text_id, line)


def test_recorded_values_cite_their_line_in_every_view(env):
    db, user = env
    doc = "text1-Neighbor_MOU_2016.txt"
    assert [MOU.splitlines()[n - 1] for n in LINE.values()][0].startswith("paid a bilingual")
    _record(
        "premium",
        {
            "premium": "Bilingual",
            "basis": "usd_per_month",
            "value": "$100",
            "eligibility": "employees designated to use a second language",
        },
        LINE["bilingual"],
    )
    _record(
        "benefit_share",
        {"benefit": "medical", "plan": "Kaiser", "employer_pct": "85%"},
        LINE["medical"],
    )
    _, report = _record(
        "time_off",
        {
            "kind": "vacation",
            "service_years_min": "0",
            "service_years_max": "5",
            "hours_per_year": "80",
            "note": "full-time accrual",
        },
        LINE["accrue 80 hours"],
    )
    con = connect(db)
    prem = query(con, "SELECT * FROM premiums WHERE agency = 'Neighbor County'")
    assert len(prem) == 1 and prem["value"].iloc[0] == 100.0
    assert prem["source_ref"].iloc[0] == f"{doc}:{LINE['bilingual']} §9.3"
    share = query(con, "SELECT * FROM benefit_shares WHERE agency = 'Neighbor County'")
    assert share["employer_pct"].tolist() == [85.0]
    assert share["source_ref"].iloc[0] == f"{doc}:{LINE['medical']} §12.1"
    leave = query(con, "SELECT * FROM time_off WHERE agency = 'Neighbor County'")
    assert leave["hours_per_year"].tolist() == [80.0]
    # the cited lines are in source_lines, as a published line is
    for word, n in LINE.items():
        (text,) = con.execute(
            "SELECT text FROM source_lines WHERE doc = ? AND line_no = ?", [doc, n]
        ).fetchone()
        assert word in text.lower()
    # and survive a rebuild (the user's data is read again)
    user_warehouse.build(db, user_db=user)
    assert len(query(connect(db), "SELECT * FROM premiums WHERE agency = 'Neighbor County'")) == 1
    assert len(recorded_values.listing(user)) == 3


@pytest.mark.parametrize(
    ("kind", "typed", "line", "field", "words"),
    [
        (
            "premium",
            {"premium": "Bilingual", "basis": "usd_a_month", "value": "100", "eligibility": "x"},
            6,
            "Basis",
            "did you mean",
        ),
        (
            "premium",
            {"premium": "Bilingual", "basis": "usd_per_month", "value": "-100", "eligibility": "x"},
            6,
            "Value",
            "outside 0 to 10000",
        ),
        (
            "premium",
            {"premium": "B", "basis": "usd_per_month", "value": "1e9", "eligibility": "x"},
            6,
            "Value",
            "outside",
        ),
        (
            "premium",
            {"premium": "", "basis": "usd_per_month", "value": "1", "eligibility": "x"},
            6,
            "Premium",
            "is required",
        ),
        (
            "premium",
            {"premium": "A\u202eB", "basis": "usd_per_month", "value": "1", "eligibility": "x"},
            6,
            "Premium",
            "",
        ),
        (
            "benefit_share",
            {"benefit": "medical", "employer_pct": "185%"},
            9,
            "Employer share (%)",
            "outside 0 to 100",
        ),
        ("benefit_share", {"benefit": "medical"}, 9, "Employer share (%)", "a share or"),
        (
            "time_off",
            {"kind": "vacation", "service_years_min": "5", "service_years_max": "2", "note": "x"},
            12,
            "Before year of service",
            "not after",
        ),
        (
            "premium",
            {"premium": "B", "basis": "usd_per_month", "value": "1", "eligibility": "x"},
            3,
            "Line",
            "no line 3 with words",
        ),
        (
            "premium",
            {"premium": "B", "basis": "usd_per_month", "value": "1", "eligibility": "x"},
            999,
            "Line",
            "no line 999",
        ),
        (
            "premium",
            {
                "premium": "B",
                "basis": "usd_per_month",
                "value": "1",
                "effective_date": "2016-02-30",
                "eligibility": "x",
            },
            6,
            "Effective date",
            "",
        ),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(shared, kind, typed, line, field, words):
    db, user = shared
    with pytest.raises(InputError) as exc:
        _record(kind, typed, line)
    assert any(p.column == field for p in exc.value.problems), str(exc.value)
    assert words in str(exc.value)
    assert recorded_values.listing(user).empty


def test_a_text_of_another_agency_or_agreement_is_refused(shared):
    db, user = shared
    typed = {"premium": "B", "basis": "usd_per_month", "value": "1", "eligibility": "x"}
    with pytest.raises(InputError, match="not an agreement Sonoma imported"):
        _record("premium", typed, 6, agency="Sonoma")
    with pytest.raises(InputError, match="there is no agreement text #7"):
        _record("premium", typed, 6, text_id=7)
    assert recorded_values.listing(user).empty


def test_a_cited_text_is_kept_until_its_values_go(env):
    db, user = env
    typed = {"premium": "B", "basis": "usd_per_month", "value": "1", "eligibility": "x"}
    value_id, _ = _record("premium", typed, 6)
    with pytest.raises(BargainError, match=f"cited by recorded value\\(s\\) #{value_id}"):
        agreement_texts.delete(1, user)
    assert len(agreement_texts.listing(user)) == 1
    user_warehouse.unrecord(value_id, db=db, user_db=user)
    assert query(connect(db), "SELECT * FROM premiums WHERE agency = 'Neighbor County'").empty
    agreement_texts.delete(1, user)


def test_removing_the_agreement_leaves_its_values_out_with_a_note(env, capsys):
    db, user = env
    typed = {"premium": "B", "basis": "usd_per_month", "value": "1", "eligibility": "x"}
    _record("premium", typed, 6)
    report = user_warehouse.remove(1, db=db, user_db=user)
    assert any("Recorded value #1" in n and "no longer imported" in n for n in report.notes)
    assert query(connect(db), "SELECT * FROM premiums WHERE agency = 'Neighbor County'").empty
