"""The survey network, benchmark coverage and title matching of survey agencies (template
uploads and imported State Controller positions), with the user's decisions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import coverage as cv
from analysis import survey_network as net
from analysis.market import survey_matches as sm
from etl import agency_names
from etl.gcc.reader import read_gcc

DATA = Path(__file__).resolve().parent.parent / "data"
SCO_SAMPLE = DATA / "sco_gcc_sample.csv"


def gcc_rows(path: Path = SCO_SAMPLE, import_id: int = 1, **kw) -> pd.DataFrame:
    """A State Controller file's positions as userdata.gcc.rows() gives them."""
    rows = read_gcc(path, path.name, **kw).rows
    return rows.assign(import_id=import_id, file_name=path.name, imported_at="2026-01-01")


def _template(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "agency": a,
                "class_title": t,
                "pay": v,
                "pay_period": "annual",
                "annual": v,
                "effective_date": "2016-07-01",
                "source": "test",
                "row_no": i + 2,
            }
            for i, (a, t, v) in enumerate(rows)
        ]
    )


# Survey network and coverage -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sonoma County", "Sonoma"),
        ("County of Sonoma", "Sonoma"),
        ("sonoma", "Sonoma"),
        ("Contra Costa County", "Contra Costa"),
        ("Mendocino County", "Mendocino"),
        ("City of Santa Rosa", None),  # a city in Sonoma County is not the county
        ("Napa County", None),
        ("Sonoma County Water Agency", None),
    ],
)
def test_loaded_agency_for(name, expected):
    assert agency_names.resolve_typed(name, ["Sonoma", "Mendocino", "Contra Costa"]) == expected


def test_same_agency():
    assert agency_names.same_agency("Napa County", "County of Napa")
    assert agency_names.same_agency("Napa", "napa county")
    assert not agency_names.same_agency("City of Napa", "Napa County")


def test_survey_network(con):
    edges = net.survey_network(con)
    assert {"agency", "survey_agency", "purpose", "source_ref"} <= set(edges.columns)
    mendo = edges[edges["agency"] == "Mendocino"]
    # 7.2: ten agencies, Sonoma County among them and loaded with its salary table
    assert mendo["survey_agency"].nunique() == 10
    sonoma = mendo[mendo["survey_agency"] == "Sonoma County"].iloc[0]
    assert sonoma["loaded_agency"] == "Sonoma" and sonoma["has_salary_data"]
    assert sonoma["source_ref"].startswith("mendocino_seiu1021_mou_2015_2017.txt:")
    cc = edges[edges["survey_agency"] == "Contra Costa County"]
    assert set(cc["agency"]) == {"Sonoma"} and not cc["has_salary_data"].any()
    assert edges.loc[edges["survey_agency"] == "City of Ukiah", "loaded_agency"].iloc[0] is None

    nodes = net.network_nodes(con).set_index("node")
    assert nodes.loc["Sonoma", "surveyed_by"] == "Mendocino"
    assert nodes.loc["Mendocino", "surveys"] == 10
    assert nodes.loc["Contra Costa", "kind"] == "loaded agreement"
    assert not nodes.loc["Contra Costa", "has_salary_data"]
    assert nodes.loc["Contra Costa", "has_wage_increases"]
    assert nodes.loc["Napa County", "surveyed_by"] == "Mendocino, Sonoma"
    assert nodes.loc["Napa County", "kind"] == "survey agency"


def test_network_nodes_with_imported_agencies(con):
    rows = gcc_rows(DATA / "2016_SuperiorCourt.zip", agencies=["Mendocino County Superior Court"])
    from analysis.market.gcc import agencies_summary

    rows = pd.concat([rows, gcc_rows(import_id=2)], ignore_index=True)
    nodes = net.network_nodes(con, agencies_summary(rows), ("City of Santa Rosa",))
    nodes = nodes.set_index("node")
    # Napa County is on both lists and imported: filled, with its import described
    assert nodes.loc["Napa County", "kind"] == "survey agency"
    assert "State Controller GCC 2009, 2016" in nodes.loc["Napa County", "gcc"]
    assert "sco_gcc_sample.csv (import #2)" in nodes.loc["Napa County", "gcc"]
    # the court is named by no survey list: a node of its own, with its 31 positions
    court = nodes.loc["Mendocino County Superior Court"]
    assert court["kind"] == "imported survey agency" and court["surveys"] == 0
    assert "31 positions in 2016" in court["gcc"] and "2016_SuperiorCourt.zip" in court["gcc"]
    assert nodes.loc["City of Santa Rosa", "uploaded"]
    assert net.nodes_with_pay(nodes.reset_index()) >= {
        "Sonoma",
        "Napa County",
        "City of Ukiah",
        "City of Santa Rosa",
        "Mendocino County Superior Court",
    }
    assert "Lake County" not in net.nodes_with_pay(nodes.reset_index())


def test_match_uploaded(con):
    up = _template(
        [
            ("City of Ukiah", "Account Clerk II", 47000.0),
            ("Napa County", "Office Assistant II", 51000.0),
            ("Napa County", "Planner II", 75000.0),
            ("Napa County", "Accountant I", 56000.0),
            ("Napa County", "Protégé Program Coordinator", 55000.0),
        ]
    )
    m = sm.match_uploaded(con, "Mendocino", up)
    assert len(m) == len(up)
    got = {r.class_title: (r.subject_class_code, r.method) for r in m.itertuples()}
    assert got["Account Clerk II"] == ("S503", "exact")
    assert got["Office Assistant II"] == ("S535", "exact")
    assert got["Planner II"] == ("2032", "exact")
    # Accountant I: Mendocino has ACCOUNTANT without a level; the level guard says no
    assert got["Accountant I"] == (None, "none")
    assert got["Protégé Program Coordinator"][1] == "none"
    empty = sm.match_uploaded(con, "Mendocino", up.iloc[0:0])
    assert empty.empty and "subject_class_code" in empty.columns


def test_gcc_positions_match_like_the_crosswalk(con):
    rows = gcc_rows()
    p = sm.gcc_pairs(con, "Mendocino", rows)
    got = {(r.agency, r.position, r.year): (r.subject_class_code, r.method) for r in p.itertuples()}
    assert got[("City of Ukiah", "Account Clerk II", 2016)] == ("S503", "exact")
    assert got[("Napa County", "Office Assistant II", 2016)] == ("S535", "exact")
    assert got[("Napa County", "Office Assistant II", 2009)] == ("S535", "exact")
    assert ("Napa County", "Accountant I", 2009) not in got  # the level guard
    assert len(p) == 4  # the 2009 and 2016 Office Assistant II, Planner II, Account Clerk II


def _decision(code, agency, title, decision, reason=""):
    return (("Mendocino", code, agency, title, decision, reason, "2026-01-01", "me"),)


def _decisions(*rows) -> pd.DataFrame:
    cols = [
        "subject_agency",
        "subject_class_code",
        "comparator_agency",
        "comparator_class_code",
        "decision",
        "reason",
        "saved_at",
        "saved_by",
    ]
    return pd.DataFrame([r for group in rows for r in group], columns=cols)


def test_user_decisions_apply_to_survey_agencies(con):
    rows = gcc_rows()
    decisions = _decisions(
        _decision("S535", "Napa County", None, "rejected", "duties differ"),
        # ACCOUNTANT has no level: the user says Napa's Accountant I is comparable
        _decision("0120", "Napa County", "accountant  i", "manual", "same duties"),
        _decision("S503", "City of Ukiah", "Account Clerk II", "confirmed"),
    )
    p = sm.gcc_pairs(con, "Mendocino", rows, decisions)
    got = {(r.agency, r.subject_class_code): (r.position, r.method) for r in p.itertuples()}
    assert ("Napa County", "S535") not in got
    assert got[("Napa County", "0120")] == ("Accountant I", "user_manual")
    assert got[("City of Ukiah", "S503")] == ("Account Clerk II", "user_confirmed")
    reason = p.loc[p["subject_class_code"] == "0120", "reason"].iloc[0]
    assert reason == "manual by the user (same duties)"
    # the same decisions on template rows of the same agencies
    up = _template(
        [("Napa County", "Office Assistant II", 1.0), ("Napa County", "Accountant I", 2.0)]
    )
    t = sm.uploaded_pairs(con, "Mendocino", up, decisions)
    assert t[["class_title", "subject_class_code", "method"]].values.tolist() == [
        ["Accountant I", "0120", "user_manual"]
    ]


def test_review_rows_and_decisions(con):
    rows = gcc_rows()
    decisions = _decisions(_decision("S535", "Napa County", None, "rejected"))
    review = sm.review_rows(
        con, "Mendocino", "Napa County", gcc_rows=rows, user_decisions=decisions
    )
    by = review.set_index("subject_class_code")
    assert by.loc["S535", "decision"] == "rejected" and by.loc["S535", "comparator_title"] is None
    assert by.loc["S535", "automatic_title"] == "Office Assistant II"
    assert by.loc["2032", ["comparator_title", "method"]].tolist() == ["Planner II", "exact"]
    assert sm.survey_titles("Napa County", rows, None) == [
        "Accountant I",
        "Office Assistant II",
        "Planner II",
        "Protégé Program Coordinator",
    ]
    edited = review.assign(action="", note="")
    edited.loc[edited["subject_class_code"] == "2032", "action"] = "confirm"
    edited.loc[edited["subject_class_code"] == "S535", ["action", "comparator_title"]] = [
        "confirm",
        "Protégé Program Coordinator",
    ]
    saved = sm.review_decisions("Mendocino", "Napa County", edited, "reviewed")
    assert saved == [
        ("Mendocino", "2032", "Napa County", "Planner II", "confirmed", "reviewed"),
        ("Mendocino", "S535", "Napa County", "Protégé Program Coordinator", "manual", "reviewed"),
    ]
    every = sm.review_rows(con, "Mendocino", "Napa County", gcc_rows=rows, include_unmatched=True)
    assert len(every) == len(sm.subject_classes(con, "Mendocino"))


def test_coverage(con):
    rows = gcc_rows()
    comps = ["Sonoma County", "Napa County", "City of Ukiah", "Lake County"]
    cov = cv.coverage(con, "Mendocino", comps, gcc_rows=rows).set_index("subject_class_code")
    assert list(cov.columns) == ["subject_title", *comps, "comparators_with_pay"]
    # S502 ACCOUNT CLERK I: Sonoma's 0401 has a salary table; nobody imported it
    assert cov.loc["S502", "Sonoma County"] and not cov.loc["S502", "Napa County"]
    # S503 ACCOUNT CLERK II: Sonoma (warehouse) and Ukiah (State Controller)
    assert cov.loc["S503", ["Sonoma County", "City of Ukiah"]].all()
    assert cov.loc["S503", "comparators_with_pay"] == 2
    assert cov.loc["2032", "Napa County"]  # PLANNER II, imported
    assert not cov["Lake County"].any()
    # SR ENVIRONMENTAL HEALTH SPECIALIST: the override says Sonoma has no comparable class
    assert not cov.loc["4041", "Sonoma County"]
    detail = cv.coverage_detail(con, "Mendocino", ["Sonoma County", "City of Ukiah"], gcc_rows=rows)
    ukiah = detail[(detail["comparator"] == "City of Ukiah") & detail["has_pay"]]
    assert ukiah[["subject_class_code", "where", "comparator_title"]].values.tolist() == [
        ["S503", "State Controller", "Account Clerk II"]
    ]
    up = _template([("Lake County", "PLANNER II", 70000.0)])
    both = cv.coverage(con, "Mendocino", ["Lake County"], up, gcc_rows=rows)
    assert both.set_index("subject_class_code").loc["2032", "Lake County"]
    assert cv.coverage(con, "Contra Costa", ["Sonoma County"]).empty
