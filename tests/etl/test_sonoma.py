"""etl/sources/sonoma/parser.py on the real County of Sonoma - SEIU Local 707 MOU, 2002-2008
(lines quoted)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.curated import load_curated
from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import ParseResult
from etl.sources.sonoma.appendix import find_heading
from etl.sources.sonoma.parser import AGENCY, AGREEMENT_ID, DOC, parse, step_rates

# Appendix A, unit 0001 (line 1820) and unit 0010 (line 2020: the `*` follows the code).
ACCOUNT_CLERK_I = "0401\tACCOUNT CLERK I\t1360\t1408\t1457"
JANITOR_DETENTION = "5321 *\tJANITOR-DETENTION\t1396\t1445\t1496"
ASSISTANT_COOK_JAIL = "6227\t* ASSISTANT COOK - JAIL\t1476\t1528\t1582"
SOCIAL_WORK_ASSISTANT = "3353\tSOCIAL WORK ASSISTANT\t1531\t1562\t1618\t1675"
SENIOR_OSS = "0009\tSENIOR OFFICE SUPPORT SUPERVISOR\t1905\t2031\t2146"
# Appendix B (line 2316): the only non-zero 1/7/2003 adjustment.
SOCIAL_WORK_ASSISTANT_B = "3353\tSOCIAL WORK ASSISTANT\t3.00%\t2.00%\t0.09%\t0.00%"
# 8.1 (line 619).
SALARIES_8_1 = (
    "Salary ranges shown in Appendix A reflect the following increases at the \u201cA\u201d "
    "step, on the following effective dates: 4% on 7/23/02; 3.5% on 6/24/03; 3.5% on 6/22/04; "
    "3.5% on 6/21/05; 3.5% on 6/20/06; and 3.5% on 6/19/07."
)
# Art. 3.2 (line 388).
SALARY_RANGE_3_2 = (
    "The salary range shall consist of nine salary steps, each approximately 2-1/2% apart and "
    'identified with the letters "A" through "I".'
)
# 8.21.2 deferred compensation table (lines 691-692), garbled by an overlaid note.
DEFERRED_COMP = (
    "Clerical 01 Services & Tech 05 Maintenance 10 Social Services 25 Nursing 80\t1%\t1%\t"
    "0% 1% re\t0% directed tow\t0%\t1 ,ard 3% at 60\t0%"
)
CURATED = ("sonoma_premiums.csv", "sonoma_benefits.csv", "sonoma_provisions.csv")


@pytest.fixture(scope="module")
def raw() -> RawDocument:
    return RawDocument.load(RAW_DIR / DOC)


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse(RAW_DIR, REFERENCE_DIR)


def line_of(raw: RawDocument, text: str) -> int:
    found = raw.find(text)
    assert found is not None, text
    return found[0]


def rate(result: ParseResult, code: str, when: date, step: str = "A"):
    (hit,) = [
        r
        for r in result.salary_rates
        if r.class_code == code and r.effective_date == when and r.step == step
    ]
    return hit


# --- the quoted lines are really in the agreement ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [ACCOUNT_CLERK_I, JANITOR_DETENTION, ASSISTANT_COOK_JAIL, SOCIAL_WORK_ASSISTANT, SENIOR_OSS]
    + [SOCIAL_WORK_ASSISTANT_B, SALARIES_8_1, SALARY_RANGE_3_2, DEFERRED_COMP],
)
def test_quoted_lines_are_in_the_agreement(raw, text):
    assert raw.find(text) is not None


# --- agreement ---------------------------------------------------------------------------------


def test_agreement_term_and_units(result):
    (agreement,) = result.agreements
    assert agreement.agreement_id == AGREEMENT_ID
    assert agreement.agency == AGENCY
    assert agreement.union == "SEIU Local 707"
    assert agreement.units == "0001, 0005, 0010, 0025, 0080, 0095"
    # Article 1: "effective July 23, 2002 ... terminated at 11:59 p.m., June 30, 2008"
    assert agreement.term_start == date(2002, 7, 23)
    assert agreement.term_end == date(2008, 6, 30)


# --- Appendix A classes ------------------------------------------------------------------------


def test_class_counts(result):
    assert len(result.classes) == 331
    by_unit = {}
    for c in result.classes:
        by_unit[c.bargaining_unit] = by_unit.get(c.bargaining_unit, 0) + 1
    assert sorted(by_unit) == ["0001", "0005", "0010", "0025", "0080", "0095"]
    assert sum(by_unit.values()) == 331
    assert by_unit["0025"] == 28


def test_class_row_source_and_unit(result, raw):
    (clerk,) = [c for c in result.classes if c.class_code == "0401"]
    assert clerk.class_title == "ACCOUNT CLERK I"
    assert clerk.bargaining_unit == "0001"
    assert not clerk.payroll_only
    assert clerk.source.line == line_of(raw, ACCOUNT_CLERK_I)
    assert clerk.source.section == "Appendix A (unit 0001)"


def test_codes_keep_leading_zeros(result):
    (sr_oss,) = [c for c in result.classes if c.class_code == "0009"]
    assert sr_oss.class_title == "SENIOR OFFICE SUPPORT SUPERVISOR"
    assert sr_oss.bargaining_unit == "0095"
    assert all(len(c.class_code) == 4 for c in result.classes)


def test_payroll_only_star_before_title_and_after_code(result):
    by_code = {c.class_code: c for c in result.classes}
    assert by_code["5321"].payroll_only  # "5321 *\tJANITOR-DETENTION"
    assert by_code["5321"].class_title == "JANITOR-DETENTION"
    assert by_code["6227"].payroll_only  # "6227\t* ASSISTANT COOK - JAIL"
    assert by_code["6227"].class_title == "ASSISTANT COOK - JAIL"
    assert not by_code["5320"].payroll_only
    assert sum(c.payroll_only for c in result.classes) == 16


# --- salary rates ------------------------------------------------------------------------------


def test_range_numbers_are_cents_per_hour(result):
    # "0401 ACCOUNT CLERK I 1360 1408 1457": range 1360 is $13.60 an hour at step A.
    printed = [(date(2002, 7, 23), 1360), (date(2003, 6, 24), 1408), (date(2004, 6, 22), 1457)]
    for when, cents in printed:
        a = rate(result, "0401", when)
        assert a.hourly == cents / 100
        assert not a.is_derived
        assert a.derivation is None


def test_steps_b_to_i_are_derived_from_a(result, raw):
    top = rate(result, "0401", date(2002, 7, 23), "I")
    assert top.hourly == round(1360 / 100 * 1.025**8, 2)
    assert top.is_derived
    assert "1.025^8" in top.derivation and "2-1/2% apart" in top.derivation
    assert rate(result, "0401", date(2002, 7, 23), "B").hourly == round(13.60 * 1.025, 2)
    assert top.source.line == line_of(raw, ACCOUNT_CLERK_I)


def test_unit_0025_has_the_01_07_03_column(result):
    # "3353 SOCIAL WORK ASSISTANT 1531 1562 1618 1675"
    assert rate(result, "3353", date(2003, 1, 7)).hourly == 1562 / 100
    other_units = {
        r.class_code for r in result.salary_rates if r.effective_date == date(2003, 1, 7)
    }
    assert other_units == {c.class_code for c in result.classes if c.bargaining_unit == "0025"}


def test_rate_counts(result):
    printed_dates = sum(4 if c.bargaining_unit == "0025" else 3 for c in result.classes)
    printed = [r for r in result.salary_rates if r.step == "A" and not r.is_derived]
    assert len(printed) == printed_dates == 28 * 4 + (331 - 28) * 3
    # nine steps for every printed date and for the three derived 8.1 schedules
    assert len(result.salary_rates) == 9 * (printed_dates + 3 * 331)


def test_derived_schedules_follow_8_1(result, raw):
    # 06/22/04 printed 1457; 8.1 adds 3.5% on 6/21/05, 6/20/06 and 6/19/07, each rounded to
    # whole cents: 1457 x 1.035 = 1507.995 -> 1508; 1508 x 1.035 = 1560.78 -> 1561;
    # 1561 x 1.035 = 1615.635 -> 1616.
    a05 = rate(result, "0401", date(2005, 6, 21))
    a06 = rate(result, "0401", date(2006, 6, 20))
    a07 = rate(result, "0401", date(2007, 6, 19))
    assert a05.hourly == round(1457 * 1.035) / 100 == 15.08
    assert a06.hourly == round(1508 * 1.035) / 100 == 15.61
    assert a07.hourly == round(1561 * 1.035) / 100 == 16.16
    for a in (a05, a06, a07):
        assert a.is_derived
        assert a.derivation.startswith("8.1 general increase 3.5% applied to")
        assert a.source.line == line_of(raw, SALARIES_8_1)
        assert a.source.section == "8.1"
    assert "06/22/04 A step" in a05.derivation
    assert rate(result, "0401", date(2007, 6, 19), "I").hourly == round(16.16 * 1.025**8, 2)


def test_no_schedule_beyond_8_1(result):
    dates = {r.effective_date for r in result.salary_rates}
    assert max(dates) == date(2007, 6, 19)
    assert len(dates) == 7  # 07/23/02, 01/07/03, 06/24/03, 06/22/04 + three derived


@given(st.integers(min_value=500, max_value=9999))
def test_step_rates_rise_about_2_5_percent(range_number):
    steps = step_rates(range_number / 100)
    values = list(steps.values())
    assert list(steps) == list("ABCDEFGHI")
    assert values[0] == range_number / 100
    for lo, hi in zip(values, values[1:], strict=False):
        assert hi > lo
        assert abs(hi / lo - 1.025) < 0.002


# --- wage increases ----------------------------------------------------------------------------


def test_general_increases_from_8_1(result, raw):
    general = [w for w in result.wage_increases if w.kind == "general"]
    assert len(general) == 6
    assert [(w.effective_date, w.pct) for w in general] == [
        (date(2002, 7, 23), 4.0),
        (date(2003, 6, 24), 3.5),
        (date(2004, 6, 22), 3.5),
        (date(2005, 6, 21), 3.5),
        (date(2006, 6, 20), 3.5),
        (date(2007, 6, 19), 3.5),
    ]
    assert all(w.class_code is None for w in general)
    assert {w.source.line for w in general} == {line_of(raw, SALARIES_8_1)}


def test_appendix_b_rows(result, raw):
    market = [w for w in result.wage_increases if w.kind == "market"]
    assert len(market) == 166 * 4 == 664
    swa = {w.effective_date: w.pct for w in market if w.class_code == "3353"}
    assert swa == {
        date(2002, 7, 23): 3.00,
        date(2003, 1, 7): 2.00,
        date(2003, 6, 24): 0.09,
        date(2004, 6, 22): 0.00,
    }
    (src,) = {w.source for w in market if w.class_code == "3353"}
    assert src.line == line_of(raw, SOCIAL_WORK_ASSISTANT_B)
    assert src.section == "Appendix B"


def test_appendix_b_matches_by_code_when_titles_differ(result):
    # Appendix B "0048 LEGAL PROCESSOR 1.48%" is Appendix A's "0048 LEGAL PROCESSOR I".
    (lp,) = [
        w
        for w in result.wage_increases
        if w.class_code == "0048" and w.effective_date == date(2002, 7, 23)
    ]
    assert lp.pct == 1.48
    assert "LEGAL PROCESSOR I" in lp.note


# --- premiums ----------------------------------------------------------------------------------


def premium(result, name):
    return [p for p in result.premiums if p.premium == name]


def test_shift_differentials(result):
    # 9.1.1 "Evening shift premium: 5% of the base hourly rate per hour" / night 10% / nursing 17%
    assert [(p.basis, p.value) for p in premium(result, "shift_evening")] == [("pct_of_base", 5)]
    assert [p.value for p in premium(result, "shift_night")] == [10]
    assert [p.value for p in premium(result, "shift_night_nursing")] == [17]


def test_standby_names_its_reference_rate(result, raw):
    (standby,) = premium(result, "standby")
    assert (standby.basis, standby.value) == ("pct_of_reference_rate", 12)
    assert "I step of Maintenance Supervisor I (class 5050)" in standby.eligibility
    assert standby.source.line == line_of(raw, "12% of the \u201cI\u201d step of the Maintenance")
    (nursing,) = premium(result, "standby_nursing")
    assert nursing.value == 8 and "Family Nurse Practitioner" in nursing.eligibility


def test_dated_premiums(result):
    bilingual = {p.effective_date: p.value for p in premium(result, "bilingual")}
    assert bilingual == {date(2002, 7, 23): 0.80, date(2003, 6, 24): 0.85, date(2004, 6, 22): 0.90}
    assert {p.basis for p in premium(result, "bilingual")} == {"usd_per_hour"}
    isd = sorted((p.effective_date, p.value) for p in premium(result, "standby_isd"))
    assert isd == [(date(2002, 7, 23), 4.00), (date(2003, 7, 1), 4.15), (date(2004, 7, 1), 4.30)]
    (erp,) = premium(result, "standby_erp")
    assert (erp.basis, erp.value) == ("pct_of_base", 20)


def test_premiums_cover_9_9_to_9_32(result):
    sections = {p.source.section.split()[0] for p in result.premiums}
    for s in ["9.9", "9.11", "9.12", "9.13", "9.14", "9.15", "9.18", "9.19", "9.20", "9.21"]:
        assert s in sections, s
    for s in ["9.22", "9.24.1", "9.25", "9.26", "9.27", "9.28", "9.29", "9.30", "9.31", "9.32"]:
        assert s in sections, s
    assert {p.value for p in premium(result, "lead_work_crew_6_plus")} == {7.5}


def test_premium_quote_fixes_the_line(result, raw):
    # Two sections say "shall receive 10% premium pay ... for all hours in pay status" (9.18
    # and 9.20); each row must cite its own line.
    (kitchen,) = premium(result, "detention_kitchen")
    assert kitchen.source.line == line_of(raw, "Each Assistant Cook, Cook or Chef assigned")
    (simulcast,) = premium(result, "simulcast_supervisor")
    assert simulcast.source.line == line_of(raw, "act as a simulcast supervisor")


# --- benefit shares ----------------------------------------------------------------------------


def test_health_shares_every_plan_and_tier(result, raw):
    health = [
        b
        for b in result.benefit_shares
        if b.benefit == "medical" and b.tier != ("Employee only (extra-help)")
    ]
    assert len(health) == 3 * 3 * 2
    for b in health:
        expected = 14.0 if b.effective_date == date(2002, 7, 1) else 15.0
        assert b.employee_pct == expected
        assert b.employer_pct == 100 - expected
    # "KAISER July 2002 July 2006" then "Single 14% 15%": the Kaiser row cites Kaiser's line.
    (kaiser,) = [
        b
        for b in health
        if b.plan == "Kaiser" and b.tier == "Single" and b.effective_date.year == 2002
    ]
    assert kaiser.source.line == line_of(raw, "KAISER\tJuly 2002\tJuly 2006") + 1


def test_dental_and_vision(result):
    dental = sorted(
        (b.effective_date, b.employee_amount, b.amount_period)
        for b in result.benefit_shares
        if b.benefit == "dental"
    )
    assert dental == [
        (date(2001, 7, 1), 9.0, "pay_period"),
        (date(2005, 7, 1), 10.0, "pay_period"),
        (date(2007, 7, 1), 11.0, "pay_period"),
    ]
    vision = [b for b in result.benefit_shares if b.benefit == "vision"]
    assert {b.source.section for b in vision} == {"12.6", "18.7.3"}  # plan, VDT/microfilm
    assert all((b.employer_pct, b.employee_pct) == (100.0, 0.0) for b in vision)


def test_deferred_comp_table(result, raw):
    dc = {
        (b.tier, b.effective_date.year): b.employer_pct
        for b in result.benefit_shares
        if b.benefit == "deferred_comp"
    }
    group = "0001, 0005, 0010, 0025, 0080"
    assert [dc[(group, y)] for y in range(2002, 2008)] == [1, 1, 0, 0, 0, 0]
    assert [dc[("0095", y)] for y in range(2002, 2008)] == [1.5, 1.5, 0.5, 0.5, 0.5, 0.5]
    garbled = [
        b
        for b in result.benefit_shares
        if b.benefit == "deferred_comp"
        and b.tier == group
        and b.effective_date.year >= 2004
        and b.source.section == "8.21.2"
    ]
    assert all("re-directed" in b.note and "3% at 60" in b.note for b in garbled)
    assert {b.source.line for b in garbled} == {line_of(raw, DEFERRED_COMP)}


# --- survey agencies and provisions ------------------------------------------------------------


def test_survey_agencies(result):
    eight = {
        "Alameda County",
        "Contra Costa County",
        "Solano County",
        "Marin County",
        "Napa County",
        "Santa Cruz County",
        "Santa Barbara County",
        "Monterey County",
    }
    by_section: dict[str, set[str]] = {}
    for s in result.survey_agencies:
        by_section.setdefault(s.source.section, set()).add(s.survey_agency)
    assert by_section == {"8.18": eight, "8.19.1 c": eight, "8.19.2": eight}
    assert len(result.survey_agencies) == 24
    (reopener,) = {s.purpose for s in result.survey_agencies if s.source.section == "8.19.1 c"}
    assert "more than 2.0% below the average" in reopener


def test_provision_topics(result):
    topics = {p.topic for p in result.provisions}
    assert {"merit", "survey_methodology", "reopener", "telework", "probation"} <= topics
    (cpi,) = [p for p in result.provisions if p.source.section == "8.19"]
    assert "4.5%" in cpi.summary


# --- curated files -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CURATED)
def test_every_curated_quote_is_in_the_agreement(raw, name):
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert raw.find(row["quote"]) is not None, row["quote"]
        if row.get("after"):
            assert raw.find(row["after"]) is not None, row["after"]


def test_load_curated_rejects_a_quote_not_in_the_text(tmp_path, raw):
    bad = tmp_path / "sonoma_premiums.csv"
    bad.write_text(
        "premium,basis,value,effective_date,eligibility,section,quote\n"
        "bilingual,usd_per_hour,0.80,2002-07-23,all,9.8,80 cents per hour\n"
        "bilingual,usd_per_hour,0.95,2005-06-21,all,9.8,95 cents per hour\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceParseError) as err:
        load_curated(bad, raw, {"value": float})
    assert err.value.file == "data/reference/sonoma_premiums.csv"
    assert err.value.line == 3
    assert err.value.column == "quote"


def test_bad_basis_in_curated_file_is_reported(tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    for name in CURATED:
        (ref / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    text = (ref / "sonoma_premiums.csv").read_text(encoding="utf-8")
    (ref / "sonoma_premiums.csv").write_text(
        text.replace("shift_evening,pct_of_base", "shift_evening,percent"), encoding="utf-8"
    )
    with pytest.raises(SourceParseError) as err:
        parse(RAW_DIR, ref)
    assert err.value.file == "data/reference/sonoma_premiums.csv"
    assert err.value.line == 2 and err.value.column == "basis"


# --- malformed input ---------------------------------------------------------------------------


def corrupt(tmp_path: Path, edit) -> Path:
    """A copy of the raw file with `edit` applied to its lines; returns the raw dir."""
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    lines = (RAW_DIR / DOC).read_text(encoding="utf-8").split("\n")
    (raw_dir / DOC).write_text("\n".join(edit(lines)), encoding="utf-8")
    return raw_dir


def test_non_numeric_range_cell(tmp_path, raw):
    n = line_of(raw, ACCOUNT_CLERK_I)

    def edit(lines):
        lines[n - 1] = "0401\tACCOUNT CLERK I\t1360\t14O8\t1457"
        return lines

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, edit), REFERENCE_DIR)
    assert err.value.file == DOC
    assert err.value.line == n
    assert "14O8" in err.value.message
    assert err.value.column == "A RANGE 06/24/03"


def test_row_with_a_missing_cell(tmp_path, raw):
    n = line_of(raw, ACCOUNT_CLERK_I)

    def edit(lines):
        lines[n - 1] = "0401\tACCOUNT CLERK I\t1360\t1408"
        return lines

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, edit), REFERENCE_DIR)
    assert (err.value.file, err.value.line) == (DOC, n)


def test_unrecognized_row_inside_the_table(tmp_path, raw):
    n = line_of(raw, ACCOUNT_CLERK_I)

    def edit(lines):
        return lines[:n] + ["ACCOUNT CLERK IV 1700 1760 1821"] + lines[n:]

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, edit), REFERENCE_DIR)
    assert (err.value.file, err.value.line) == (DOC, n + 1)
    assert "unrecognized row" in err.value.message


def test_page_footers_inside_the_table_are_skipped(raw):
    # "2002-2008 COUNTY/SEIU MOU" and "86" sit between unit 0001 and unit 0005.
    n = line_of(raw, "0261\tVOTER REGISTRATION CLERK")
    assert raw.line(n + 1) == "2002-2008 COUNTY/SEIU MOU"
    assert raw.line(n + 2) == "86"


def test_truncated_appendix_a(tmp_path, raw):
    cut = line_of(raw, "SEIU Maintenance Non-Supv -- 0010") + 5

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, lambda lines: lines[:cut]), REFERENCE_DIR)
    assert err.value.file == DOC
    assert err.value.line == cut
    assert "truncated" in err.value.message


def test_appendix_a_missing_a_unit(tmp_path, raw):
    start = line_of(raw, "SEIU General Supervisory -- 0095")
    end = line_of(raw, "5089\tWA MAINTENANCE SUPERVISOR")

    def edit(lines):
        return lines[: start - 1] + lines[end:]

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, edit), REFERENCE_DIR)
    assert err.value.file == DOC
    # the APPENDIX A heading, just above the first unit header
    assert err.value.line == line_of(raw, "SEIU Clerical Non-Supervisory -- 0001") - 1
    assert "0095" in err.value.message


def test_missing_appendix_b(tmp_path, raw):
    start, end = find_heading(raw, "B"), find_heading(raw, "C")
    assert (raw.line(start), raw.line(end)) == ("APPENDIX B", "APPENDIX C")

    def edit(lines):
        return lines[: start - 1] + lines[end - 1 :]

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, edit), REFERENCE_DIR)
    assert err.value.file == DOC
    assert err.value.line == start  # where APPENDIX C now follows Appendix A
    assert "Appendix B" in err.value.message and "missing" in err.value.message


def test_bad_percent_in_appendix_b(tmp_path, raw):
    n = line_of(raw, SOCIAL_WORK_ASSISTANT_B)

    def edit(lines):
        lines[n - 1] = lines[n - 1].replace("2.00%", "2.00")
        return lines

    with pytest.raises(SourceParseError) as err:
        parse(corrupt(tmp_path, edit), REFERENCE_DIR)
    assert (err.value.file, err.value.line) == (DOC, n)


def test_after_anchor_that_is_not_in_the_text(tmp_path):
    ref = tmp_path / "reference"
    ref.mkdir()
    for name in CURATED:
        (ref / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    text = (ref / "sonoma_benefits.csv").read_text(encoding="utf-8")
    (ref / "sonoma_benefits.csv").write_text(
        text.replace("KAISER July 2002 July 2006", "KAISER PERMANENTE July 2002"), encoding="utf-8"
    )
    with pytest.raises(SourceParseError) as err:
        parse(RAW_DIR, ref)
    assert err.value.file == "data/reference/sonoma_benefits.csv"
    assert err.value.column == "after"
