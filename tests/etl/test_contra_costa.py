"""etl/sources/contra_costa/parser.py on the real AFSCME Local 2700 Letter of Understanding
(OCR text quoted)."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import PROVISION_TOPICS
from etl.sources.contra_costa.parser import (
    DOC,
    LevelIncrease,
    find_level_increases,
    level_factor,
    parse,
)

# Verbatim from the Tentative Agreement on Wages & Health Plan Adjustments (January 13, 1994).
WAGES = (
    "1. Wages Effective July 1, 1994, increase salary by 10 levels(1.0045%). Effective "
    "January 1, 1995, increase salary by 10 levels(1.0045%). Any net savings achieved by the "
    "County from the replacement of the 1st Choice Health Plan by the QuaDded Health Plan for "
    "those eligible to a salary increase as provided herein and which is above the cost of the "
    "20 level salary increase shall be added to the 1%salary increase effective January 1, 1995."
)
SUBVENTION = (
    "3. Health Plan Subvention Effective 2/1/94: CCHP = County share 98% QualMed/Kaiser HM0's = "
    "County Share 79% QualMed PPO = County share 77%to October 31, 1994. Delta Dental =Increase "
    "annual maximum benefit per member from $1,000 to $1,200. 4. Kaiser Co a s Effective "
    "February 1, 1994: Kaiser Office Visit= $3.00; Kaiser Drugs = $3.00 5. Future OualMed PPO "
    "Increases Effective November 1, 1994, the County and Coalition members will equally "
    "share(50/50) the amount of any premium increases."
)
HAZARD = (
    "Proposal #36-Hazard Pay May 12, 1994 Amend Section 47.1 in the MOU to read: HAZARD PAY. "
    "Employees who work in the following designated areas shall receive a five percent (5%) base "
    "pay salary differential for each hour worked in the hazardous area"
)
PTO = (
    'the temporary employee shall be credited with twenty (20) hours of"paid time off." For '
    "each additional 1040 hours of straight time worked. the temporary, emploM shall be credited "
    'with an additional 20 hours o_ f"paid 1, - time off." Forty (40) hours paid time off credit '
    "is the maximum amount an employee may have at any time."
)
CURATED = ("contra_costa_premiums.csv", "contra_costa_benefits.csv", "contra_costa_provisions.csv")


@pytest.fixture(scope="module")
def raw() -> RawDocument:
    return RawDocument.load(RAW_DIR / DOC)


@pytest.fixture(scope="module")
def result():
    return parse(RAW_DIR, REFERENCE_DIR)


def _text_at(raw: RawDocument, line: int, col: int | None) -> str:
    assert col is not None
    return raw.line(line)[col - 1 :]


# --- the level factor -------------------------------------------------------------------------


def test_level_factor_is_derived_from_the_quoted_wages_text():
    increases = find_level_increases(RawDocument("wages.txt", WAGES))
    assert [(i.effective_date, i.levels, i.pct) for i in increases] == [
        (date(1994, 7, 1), 10, 1.0045),
        (date(1995, 1, 1), 10, 1.0045),
    ]
    factor = level_factor(increases)
    # "10 levels (1.0045%)": the whole increase is a factor of 1 + 1.0045/100, and levels compound.
    assert factor == pytest.approx(1.010045 ** (1 / 10))
    # DOMAIN.md: one level is a factor of 1.001; the text agrees to the printed precision.
    assert factor == pytest.approx(1.001, abs=1e-7)
    ten_levels_pct = (1.001**10 - 1) * 100
    assert ten_levels_pct == pytest.approx(1.0045, abs=1e-4)


def test_the_two_increases_compound_to_twenty_levels():
    july = LevelIncrease(date(1994, 7, 1), 10, 1.0045, 1, 1)
    january = LevelIncrease(date(1995, 1, 1), 10, 1.0045, 1, 1)
    # "the 20 level salary increase" ~ 2.02%, not 2 x 1.0045%
    assert july.factor * january.factor == pytest.approx(1.001**20, rel=1e-6)
    assert (july.factor * january.factor - 1) * 100 == pytest.approx(2.0191, abs=1e-3)


@given(levels=st.integers(min_value=1, max_value=60), per_level=st.floats(1.0001, 1.01))
def test_level_factor_inverts_any_levels_sentence(levels, per_level):
    pct = round((per_level**levels - 1) * 100, 4)
    text = f"Effective July 1, 1994, increase salary by {levels} levels({pct}%)."
    (inc,) = find_level_increases(RawDocument("t.txt", text))
    assert inc.levels == levels
    assert inc.level_factor**levels == pytest.approx(1 + pct / 100)


def test_wage_increases_from_the_document(result, raw):
    rows = result.wage_increases
    assert [(w.effective_date, w.kind, w.pct, w.amount) for w in rows] == [
        (date(1994, 7, 1), "general", 1.0045, None),
        (date(1995, 1, 1), "general", 1.0045, None),
    ]
    for w in rows:
        assert w.agency == "Contra Costa"
        assert w.note.startswith("10 salary levels; 1 level = factor 1.001 (derived from the text")
        assert w.source.section.endswith("1. Wages")
    assert _text_at(raw, rows[0].source.line, rows[0].source.col).startswith(
        "Effective July 1, 1994, increase salary by 10 levels(1.0045%)"
    )
    assert _text_at(raw, rows[1].source.line, rows[1].source.col).startswith(
        "Effective January 1, 1995, increase salary by 10 levels(1.0045%)"
    )


def test_agreement_term_and_units_from_the_board_resolution(result):
    (agreement,) = result.agreements
    assert agreement.agreement_id == "contra-costa-afscme2700-1993-1995"
    assert agreement.union == "AFSCME Local 2700"
    assert (agreement.term_start, agreement.term_end) == (date(1993, 10, 1), date(1995, 9, 30))
    assert "2 bargaining units" in agreement.units
    assert "United Clerical, Technical & Specialized Employees" in agreement.units


def test_no_salary_table(result):
    assert result.classes == [] and result.salary_rates == [] and result.audit == []


# --- benefit shares ---------------------------------------------------------------------------


def test_health_plan_subvention(result, raw):
    assert raw.find(SUBVENTION) is not None
    shares = {(b.benefit, b.plan): b for b in result.benefit_shares}
    expected = {
        "Contra Costa Health Plan (CCHP)": 98,
        "Kaiser HMO": 79,
        "QualMed HMO": 79,
        "QualMed PPO": 77,
    }
    for plan, county in expected.items():
        row = shares[("medical", plan)]
        assert row.employer_pct == county
        assert row.employee_pct == 100 - county
        assert row.effective_date == date(1994, 2, 1)
        assert "derived as 100 − County share" in row.note
    assert "to October 31, 1994" in shares[("medical", "QualMed PPO")].note

    increase = shares[("medical_premium_increase", "QualMed PPO")]
    assert (increase.employer_pct, increase.employee_pct) == (50, 50)
    assert increase.effective_date == date(1994, 11, 1)


def test_kaiser_copays_and_delta_dental_maximum(result):
    copays = [b for b in result.benefit_shares if b.benefit == "medical_copay"]
    assert sorted((b.plan, b.employee_amount, b.amount_period) for b in copays) == [
        ("Kaiser", 3.00, "office_visit"),
        ("Kaiser", 3.00, "prescription"),
    ]
    (dental,) = [b for b in result.benefit_shares if b.benefit == "dental"]
    assert dental.plan == "Delta Dental"
    assert "$1,000 to $1,200" in dental.note
    assert dental.employer_pct is None and dental.employee_amount is None


# --- premiums ---------------------------------------------------------------------------------


def test_hazard_pay(result, raw):
    assert raw.find(HAZARD) is not None
    (hazard,) = result.premiums
    assert (hazard.premium, hazard.basis, hazard.value) == ("hazard pay", "pct_of_base", 5)
    assert hazard.source.section == "Proposal #36 (amending 47.1)"
    for area in (
        "Animal Services Department",
        "Reception Center of the County Hospital",
        "Mental Health Screening Unit",
        "Conservatorship Office in Martinez",
        "AIRS program at the Richmond Clinic",
        "inmate areas of the County Detention Facility",
        "reception and transportation areas of the Martinez Detention Facility",
        "Board of Supervisors",
    ):
        assert area in hazard.eligibility
    assert _text_at(raw, hazard.source.line, hazard.source.col).startswith(
        "Employees who work in the following designated areas shall receive a five percent (5%)"
    )


# --- provisions -------------------------------------------------------------------------------


def test_temporary_employee_pto(result, raw):
    assert raw.find(PTO) is not None
    (pto,) = [p for p in result.provisions if "paid time off" in p.summary]
    assert pto.topic == "leave"
    assert "20 hours" in pto.summary and "1,040" in pto.summary and "40 hours" in pto.summary
    assert pto.source.section.startswith("Proposal #20")
    assert _text_at(raw, pto.source.line, pto.source.col).startswith("VII B: Based on the")


def test_sdi_integration_and_reopener(result):
    topics = {p.topic for p in result.provisions}
    assert topics <= PROVISION_TOPICS
    sdi = [p for p in result.provisions if "SDI" in p.summary or "State Disability" in p.summary]
    assert any("cannot be waived" in p.summary for p in sdi)
    (reopener,) = [p for p in result.provisions if p.topic == "reopener"]
    assert "six-month SDI pilot" in reopener.summary


def test_every_curated_row_cites_its_quote_by_column(result, raw):
    rows = [*result.premiums, *result.benefit_shares, *result.provisions]
    assert len(result.provisions) >= 20
    for row in rows:
        assert row.source.doc == DOC
        assert row.source.line == 2  # line 1 is "Loading..."
        assert row.source.col is not None


@pytest.mark.parametrize("name", CURATED)
def test_every_curated_quote_occurs_in_the_raw_text(name, raw):
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert raw.find(row["quote"]) is not None, row["quote"][:80]


# --- malformed inputs -------------------------------------------------------------------------


@pytest.fixture()
def dirs(tmp_path) -> tuple[Path, Path]:
    raw_dir, ref_dir = tmp_path / "raw", tmp_path / "reference"
    raw_dir.mkdir()
    shutil.copy(RAW_DIR / DOC, raw_dir / DOC)
    shutil.copytree(REFERENCE_DIR, ref_dir)
    return raw_dir, ref_dir


def _edit_raw(raw_dir: Path, old: str, new: str) -> None:
    path = raw_dir / DOC
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edit_csv(ref_dir: Path, name: str, row_index: int, column: str, value: str) -> None:
    path = ref_dir / name
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    rows[row_index][column] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_missing_levels_sentence_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    _edit_raw(raw_dir, "Effective July 1, 1994, increase salary by 10 levels(1.0045%). ", "")
    with pytest.raises(SourceParseError, match=re.escape(DOC)) as err:
        parse(raw_dir, ref_dir)
    assert "20 level increase" in str(err.value) and "10 levels" in str(err.value)


def test_no_levels_sentence_at_all_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    _edit_raw(raw_dir, "increase salary by 10 levels", "increase salary by ten levels")
    with pytest.raises(SourceParseError, match=re.escape(DOC)) as err:
        parse(raw_dir, ref_dir)
    assert "increase salary by N levels" in str(err.value)


def test_disagreeing_level_factors_are_an_error(dirs):
    raw_dir, ref_dir = dirs
    january = "1995, increase salary by 10 levels(1.0045%)"
    _edit_raw(raw_dir, january, january.replace("1.0045", "2.0045"))
    with pytest.raises(SourceParseError, match=re.escape(DOC)) as err:
        parse(raw_dir, ref_dir)
    assert "1 level = factor" in str(err.value)


def test_missing_term_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    _edit_raw(raw_dir, "for the period October 1, 1993 through", "for the period through")
    with pytest.raises(SourceParseError, match=re.escape(DOC)):
        parse(raw_dir, ref_dir)


def test_missing_raw_file_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    (raw_dir / DOC).unlink()
    with pytest.raises(SourceParseError, match=re.escape(DOC)):
        parse(raw_dir, ref_dir)


def test_subvention_quote_no_longer_in_the_text_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    _edit_raw(raw_dir, "County share 77%to October 31", "County share 71%to October 31")
    with pytest.raises(SourceParseError, match="contra_costa_benefits.csv") as err:
        parse(raw_dir, ref_dir)
    assert f"quote not found in {DOC}" in str(err.value)


def test_curated_number_missing_from_its_quote_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    _edit_csv(ref_dir, "contra_costa_benefits.csv", 0, "employer_pct", "89")
    with pytest.raises(SourceParseError, match="contra_costa_benefits.csv") as err:
        parse(raw_dir, ref_dir)
    assert err.value.column == "employer_pct"


@pytest.mark.parametrize(
    ("name", "column", "value"),
    [
        ("contra_costa_premiums.csv", "basis", "percent"),
        ("contra_costa_premiums.csv", "value", "five"),
        ("contra_costa_benefits.csv", "amount_period", "per_visit"),
        ("contra_costa_provisions.csv", "topic", "pto"),
        ("contra_costa_provisions.csv", "summary", " "),
    ],
)
def test_bad_curated_cells_are_errors(dirs, name, column, value):
    raw_dir, ref_dir = dirs
    _edit_csv(ref_dir, name, 0, column, value)
    with pytest.raises(SourceParseError, match=name) as err:
        parse(raw_dir, ref_dir)
    assert err.value.column == column


def test_missing_curated_file_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    (ref_dir / "contra_costa_premiums.csv").unlink()
    with pytest.raises(SourceParseError, match="contra_costa_premiums.csv"):
        parse(raw_dir, ref_dir)
