"""Benefit rate files (etl/uploads/benefit_rates.py, userdata/benefit_rates.py) and the total
compensation they price (analysis/total_comp.py): the sample file imported, each figure
checked by hand against the file's rows and the agreement's shares, the tier and plan
chosen, every bad row named by row and column with nothing stored, and the audit's four
errors fixed (each checked against the agreement's text)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analysis import agencies, total_comp
from bargain_cli import main
from etl.uploads import benefit_rates as reader
from userdata import benefit_rates

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "illustrative_benefit_rates.csv"
AS_OF = date(2004, 6, 22)
HEAD = "agency,benefit,plan,tier,monthly_premium,pct_of_pay,effective_date,source\n"


@pytest.fixture()
def rates(isolated_env, con):
    got = reader.read_rates(SAMPLE.read_bytes(), SAMPLE.name, agencies.names(con))
    benefit_rates.save(got, SAMPLE.read_bytes())
    return benefit_rates.rows()


def _clerk(con, **kw):
    t = total_comp.for_agency(con, "Sonoma", AS_OF, 5, **kw)
    return t[t["class_code"] == "0402"].iloc[0]


# What the rates price --------------------------------------------------------------------


def test_without_rates_health_and_retirement_are_named_as_not_priced(con):
    r = _clerk(con)
    # the housing match of 17.14 ($0.01 an hour) is all the employer pays that is priced
    assert r["employer_benefits_annual"] == pytest.approx(20.80)
    assert "medical: the employer's share (86%) is stated, not the premium" in r["missing"]
    assert "import the retirement system's employer rate" in r["missing"]


def test_the_sample_rates_price_health_at_the_agreements_shares(con, rates):
    r = _clerk(con, rates=rates)
    # by hand, from the sample's rows and Sonoma 12.4-12.9 (Family tier, the dearest plan)
    medical = round(1287.85 * 12 * 0.86, 2)  # County Health Plan, 86%
    dental = round(138.60 * 12 - 9.00 * 26, 2)  # the employee pays $9.00 a pay period
    vision = round(24.15 * 12, 2)
    ltd = round(21.30 * 12, 2)
    retirement = round(41704.00 * 0.1172, 2)  # SCERA General 11.72% of base pay
    housing = 20.80
    expected = medical + dental + vision + ltd + retirement + housing
    assert r["employer_benefits_annual"] == pytest.approx(expected, abs=0.05)
    assert f"= ${medical:,.2f} a year" in r["note"]
    assert "the plan with the largest employer cost at Family, of 3" in r["note"]
    # the rate file's rows are cited beside the agreement's lines
    refs = r["source_refs"]
    assert "illustrative_benefit_rates.csv, row" in refs and "§12.4" in refs
    assert "medical" not in r["missing"] and "life insurance" in r["missing"]


def test_the_tier_and_the_plan_change_what_is_priced(con, rates):
    family = _clerk(con, rates=rates)["employer_benefits_annual"]
    single = _clerk(con, rates=rates, tier="Employee only")
    assert "County Health Plan, Employee only, $455.10 a month" in single["note"]
    assert single["employer_benefits_annual"] < family
    kaiser = _clerk(con, rates=rates, plan="Kaiser")
    assert (
        "Kaiser, Family, $1,166.95 a month" in kaiser["note"]
        and "the plan chosen" in kaiser["note"]
    )
    assert family - kaiser["employer_benefits_annual"] == pytest.approx(
        (1287.85 - 1166.95) * 12 * 0.86, abs=0.02
    )


def test_cli_import_list_gap_with_tier_and_remove(isolated_env, capsys):
    assert main(["benefits", "import", str(SAMPLE)]) == 0
    assert "Saved as benefit rates #1: 42 rows" in capsys.readouterr().out
    assert main(["benefits", "list", "--format", "json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["rows"]
    assert listed["import_id"] == 1
    gap = [
        "gap",
        "--agency",
        "Sonoma",
        "--against",
        "Mendocino",
        "--as-of",
        "2004-06-22",
        "--total",
        "--format",
        "json",
    ]
    assert main([*gap, "--tier", "Employee only"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows and all("Employee only" in r["own_items_note"] for r in rows)
    assert main(["benefits", "remove", "1"]) == 0
    assert "Removed benefit rates #1" in capsys.readouterr().out
    assert benefit_rates.rows().empty


def test_rates_survive_a_rebuild(isolated_env, con, tmp_path):
    from userdata.warehouse import build

    got = reader.read_rates(SAMPLE.read_bytes(), SAMPLE.name, agencies.names(con))
    benefit_rates.save(got, SAMPLE.read_bytes())
    build(tmp_path / "again.duckdb")
    assert len(benefit_rates.rows()) == 42


# Bad files: one message per row and column, nothing stored -------------------------------


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (
            "Sonoma,medical,Kaiser,Family,-5,,2004-01-01,p. 1",
            "row 2, column 'monthly_premium': -5.00 is negative",
        ),
        (
            'Sonoma,medical,Kaiser,Family,"14,000",,2004-01-01,p. 1',
            "is more than $10,000 a month (is it a yearly figure?",
        ),
        (
            "Sonoma,retirement,SCERA,,,140,2004-01-01,p. 1",
            "row 2, column 'pct_of_pay': 140.00 is more than 100",
        ),
        ("Sonoma,medicall,Kaiser,Family,400,,2004-01-01,p. 1", "'medical'"),
        ("Sonoma Cnty,medical,Kaiser,Family,400,,2004-01-01,p. 1", "Sonoma"),
        ("Sonoma,medical,Kaiser,Family,400,,2004-02-30,p. 1", "row 2, column 'effective_date'"),
        ("Sonoma,medical,Kaiser,Family,400,,2004-01-01,", "row 2, column 'source'"),
        ("Sonoma,medical,Kaiser,Family,400,11,2004-01-01,p. 1", "row 2"),
    ],
    ids=[
        "negative",
        "absurd",
        "pct over 100",
        "benefit typo",
        "unknown agency",
        "feb 30",
        "no source",
        "both amounts",
    ],
)
def test_a_bad_row_is_named_and_nothing_is_stored(isolated_env, con, capsys, tmp_path, row, said):
    bad = tmp_path / "rates.csv"
    bad.write_text(HEAD + row + "\n")
    assert main(["benefits", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "rates.csv" in err and said in err, err
    assert "Traceback" not in err
    assert benefit_rates.imports().empty


def test_a_repeated_plan_tier_and_date_with_another_amount_is_refused(
    isolated_env, capsys, tmp_path
):
    bad = tmp_path / "rates.csv"
    bad.write_text(
        HEAD
        + "Sonoma,medical,Kaiser,Family,400,,2004-01-01,p. 1\n"
        + "Sonoma,medical,Kaiser,Family,410,,2004-01-01,p. 2\n"
    )
    assert main(["benefits", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 3, column 'monthly_premium': repeats row 2" in err and "which is right?" in err
    assert benefit_rates.imports().empty


# The audit's four errors, checked against the text ---------------------------------------


def test_sonoma_17_14_deferred_comp_has_ceased_by_the_schedule_of_06_22_2004(con):
    line = con.execute(
        "SELECT text FROM source_lines WHERE doc = 'sonoma_seiu707_mou_2002_2008.txt' "
        "AND line_no = 1495"
    ).fetchone()[0]
    assert "cease" in line.lower()
    t = total_comp.for_agency(con, "Sonoma", AS_OF, 5)
    assert "deferred compensation 0% of pay" in _clerk(con)["note"]
    # before June 22, 2004 the 1% was paid
    before = total_comp.for_agency(con, "Sonoma", date(2003, 6, 24), 5)
    assert (
        before[before["class_code"] == "0402"]["note"].iloc[0].count("deferred compensation 1%")
        == 1
    )
    assert len(t) > 300


def test_sonoma_2007_names_the_regular_plans_share_not_extra_helps(con):
    t = total_comp.for_agency(con, "Sonoma", date(2007, 6, 19), 5)
    missing = t.iloc[0]["missing"]
    assert "medical: the employer's share (85%) is stated" in missing
    assert "80%" not in missing


def test_sonoma_18_8_marina_supervisor_allowance_counts_for_that_class_only(con):
    t = total_comp.for_agency(con, "Sonoma", date(2004, 6, 22), 5).set_index("class_code")
    supervisor, attendant = t.loc["5510"], t.loc["5506"]
    # $450 a month from 07/01/2003 (the $50 a year steps of 18.8): on 06/22/2004, $5,400 a
    # year, beside the housing match and the supervisory unit's 0.5% deferred compensation
    assert "Marina supervisor housing allowance $450.00 a month × 12" in supervisor["note"]
    assert supervisor["employer_benefits_annual"] == pytest.approx(
        20.80 + round(supervisor["base_annual"] * 0.005, 2) + 450 * 12, abs=0.02
    )
    assert "Marina" not in attendant["note"]
    assert "§18.8" in supervisor["source_refs"]


def test_contra_costa_vdt_basic_vision_plan_is_at_county_expense(con):
    pct, note = con.execute(
        "SELECT employer_pct, note FROM benefit_shares WHERE agency = 'Contra Costa' "
        "AND benefit = 'vision'"
    ).fetchone()
    assert pct == 100.0 and "at County expense" in note
