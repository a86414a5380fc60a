"""Issue 13 money items on the real agreements: each premium and benefit found in the text,
with expectations computed by hand (as arithmetic) from the quoted lines."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import PREMIUM_BASES
from etl.sources.contra_costa import parser as contra_costa
from etl.sources.mendocino import parser as mendocino
from etl.sources.sonoma import parser as sonoma
from etl.sources.sonoma.money import tuition_premiums

# Real lines (or the part that holds the value), tabs as in the files.
NORTH_COAST = "shall receive a 10% premium for all hours in pay status to address recruitment"
MARINA = (
    "Effective July 23, 2002, an employee in the Marina Supervisor job class will be entitled to "
    "receive a housing allowance of $400 per month. The housing allowance will be increased $50 "
    "each fiscal year to a maximum of $550 per month during the term of this contract."
)
MILEAGE = "The rate in effect at the time of the implementation of this memorandum is thirty-six"
TRANSIT = "the County will pay the full cost of normal transit fares for employees using Sonoma"
TUITION_NONSUP_FT = "F/T and P/T\tBenefit\t400\t450\t500"
TUITION_NONSUP_FT_ROLL = ".75 & above\tRollover\t200\t225\t250"
TUITION_NURSING_FT = "F/T and P/T\tBenefit\t500\t550\t600"
TUITION_SUP_PT_MAX = "\tMaximum Benefit\t525\t525\t525"
WELLNESS = "Up to $100 of Tuition and Textbook reimbursement per year is available for:"
ERP_PHONE = "shall be entitled to receive one (1) hour of base pay or equivalent in compensatory"
MIN_WORK = "shall be offered a minimum of two consecutive hours of work time"
MOVING = "reimbursement for moving expenses of up to $300 for rental of truck or trailers"
IN_LIEU = "Effective June 29, 1999, a 1% salary adjustment to the salary range of Staff Nurse I,"
EXAM_DAY = "shall be paid an additional $100.00 for each completed pediatric sexual assault"
EXAM_RULE = (
    "The sexual assault exam day shift premium will be increased each year by the same "
    "percentage rate as the salary cost of living adjustment, Section 8.1."
)
HUNTER = "shall be paid as 3.5 overtime hours per pay period."
NO_REST_BREAK = "the employee shall be entitled to receive a premium equivalent to .25 hours"
VDT_SONOMA = "an annual eye examination and, if prescribed, special lenses and frames at no cost"
HOUSING_FUND = "the Auditor shall deduct 1<j: per hour from each Union represented employee"
M_CALLBACK = (
    "An employee who is not assigned to on-call status and is called back to work shall receive "
    "compensation for a minimum of three (3) hours worked."
)
M_UNDERFILL = "A Social Worker III who is under-filling a Social Worker V position"
M_SW_V = "S552\tSOCIAL WORKER V\tS36A"
CC_VDT = "The basic plan coverage of eye examination, ten dollar ($10) frame, and single vision"
CC_VDT_COUNTY_EXPENSE = "existing VDT Plan benefit levels at County expense"


@pytest.fixture(scope="module")
def s_raw():
    return RawDocument.load(RAW_DIR / sonoma.DOC)


@pytest.fixture(scope="module")
def s_result():
    return sonoma.parse(RAW_DIR, REFERENCE_DIR)


@pytest.fixture(scope="module")
def m_result():
    return mendocino.parse(RAW_DIR, REFERENCE_DIR)


def line_of(raw: RawDocument, text: str) -> int:
    found = raw.find(text)
    assert found is not None, text
    return found[0]


def rows(result, name: str):
    return sorted(
        (p for p in result.premiums if p.premium == name),
        key=lambda p: p.effective_date or date.min,
    )


@pytest.mark.parametrize(
    "text",
    [NORTH_COAST, MARINA, MILEAGE, TRANSIT, TUITION_NONSUP_FT, TUITION_NONSUP_FT_ROLL]
    + [TUITION_NURSING_FT, TUITION_SUP_PT_MAX, WELLNESS, ERP_PHONE, MIN_WORK, MOVING, IN_LIEU]
    + [EXAM_DAY, EXAM_RULE, HUNTER, NO_REST_BREAK, VDT_SONOMA, HOUSING_FUND],
)
def test_quoted_sonoma_lines_are_in_the_agreement(s_raw, text):
    assert s_raw.find(text) is not None


def test_every_basis_used_is_in_the_vocabulary(s_result, m_result):
    assert {p.basis for p in s_result.premiums + m_result.premiums} <= PREMIUM_BASES


def test_north_coast_is_ten_percent_of_all_pay_status_hours(s_result, s_raw):
    (p,) = rows(s_result, "north_coast_assignment")
    assert (p.basis, p.value) == ("pct_of_base", 10)
    assert p.source.line == line_of(s_raw, NORTH_COAST) and p.source.section == "18.3.5"


def test_marina_housing_steps_50_a_fiscal_year_to_550(s_result, s_raw):
    got = [
        (p.effective_date, p.value) for p in rows(s_result, "marina_supervisor_housing_allowance")
    ]
    assert got == [
        (date(2002, 7, 23), 400),
        (date(2003, 7, 1), 400 + 50),
        (date(2004, 7, 1), 400 + 2 * 50),
        (date(2005, 7, 1), 550),  # 400 + 3 * 50 = 550, the maximum: no later step
    ]
    printed, *derived = rows(s_result, "marina_supervisor_housing_allowance")
    assert "; derived from" not in printed.eligibility
    assert all("; derived from 18.8: " in p.eligibility for p in derived)
    assert {p.source.line for p in derived} == {line_of(s_raw, MARINA)}
    assert all(p.basis == "usd_per_month" for p in derived)


def test_mileage_and_transit(s_result, s_raw):
    (miles,) = rows(s_result, "mileage_reimbursement")
    assert (miles.basis, miles.value) == ("usd_per_mile", 0.365)
    assert miles.source.line == line_of(s_raw, MILEAGE)
    (transit,) = rows(s_result, "transit_fares")
    assert (transit.basis, transit.value) == ("pct_of_cost_reimbursed", 100)
    assert transit.source.section == "10.5.1"


def test_tuition_tables_by_unit_tier_and_fiscal_year(s_result, s_raw):
    tuition = [p for p in s_result.premiums if p.premium.startswith("tuition_textbook_")]
    assert len([p for p in tuition if p.premium != "tuition_textbook_pda"]) == 3 * 3 * 6
    line = line_of(s_raw, TUITION_NONSUP_FT)
    benefit = {p.effective_date: p.value for p in tuition if p.source.line == line}
    assert benefit == {date(2002, 7, 1): 400, date(2003, 7, 1): 450, date(2004, 7, 1): 500}
    (fy04_max,) = [
        p
        for p in tuition
        if p.premium == "tuition_textbook_maximum"
        and p.source.line == line + 2
        and p.effective_date == date(2003, 7, 1)
    ]
    assert fy04_max.value == 450 + 225 and fy04_max.basis == "usd_cap"
    assert "Units 0001, 0005, 0010, 0025" in fy04_max.eligibility
    nursing_line = s_raw.find(TUITION_NURSING_FT, line + 1)[0]
    nursing = [p for p in tuition if p.source.line == nursing_line]
    assert {p.value for p in nursing} == {500, 550, 600}
    assert all("Units 0080" in p.eligibility and p.source.section == "11.2.1" for p in nursing)
    (sup_pt_max,) = {p.source.section for p in tuition if "Units 0095" in p.eligibility}
    assert sup_pt_max == "11.2.2 a"


def test_tuition_maximum_must_be_benefit_plus_rollover(tmp_path, s_raw):
    broken = RawDocument(
        s_raw.name, s_raw.text.replace(TUITION_SUP_PT_MAX, "\tMaximum Benefit\t525\t535\t525")
    )
    with pytest.raises(SourceParseError) as err:
        tuition_premiums(broken)
    assert err.value.line == line_of(s_raw, "Part-Time\tBenefit\t325\t325\t325") + 2


def test_wellness_phone_minimum_moving_and_in_lieu(s_result, s_raw):
    (well,) = rows(s_result, "wellness_reimbursement")
    assert (well.basis, well.value, well.source.line) == ("usd_cap", 100, line_of(s_raw, WELLNESS))
    (phone,) = rows(s_result, "erp_standby_telephone_calls")
    assert (phone.basis, phone.value) == ("hours_of_base_pay_per_event", 1)
    assert phone.source.line == line_of(s_raw, ERP_PHONE)
    (minimum,) = rows(s_result, "minimum_work_time")
    assert (minimum.basis, minimum.value, minimum.source.section) == (
        "min_hours_per_event",
        2,
        "7.36",
    )
    (moving,) = rows(s_result, "moving_expense_reimbursement")
    assert (moving.basis, moving.value) == ("usd_per_event", 300)
    (in_lieu,) = rows(s_result, "nursing_degree_in_lieu_range_adjustment")
    assert (in_lieu.basis, in_lieu.value) == ("pct_of_base_in_range", 1)
    assert in_lieu.effective_date == date(1999, 6, 29)
    assert in_lieu.source.line == line_of(s_raw, IN_LIEU)


def test_callback_minimum_hours_beside_the_rate(s_result):
    by_basis = {p.basis: p.value for p in rows(s_result, "callback_minimum")}
    assert by_basis == {"pct_of_base": 150, "min_hours_per_event": 2}  # 7.29 "two (2) hours"
    (early,) = [
        p
        for p in rows(s_result, "callback_minimum_maintenance_early")
        if p.basis == "min_hours_per_event"
    ]
    assert early.value == 3


def test_exam_payments_follow_the_8_1_increases(s_result, s_raw):
    day = [(p.effective_date, p.value) for p in rows(s_result, "sexual_assault_exam_day_shift")]
    # $100 x 1.035 = 103.50; x 1.035 = 107.1225 -> 107.12; 110.869 -> 110.87; 114.75045 ->
    # 114.75; 118.76625 -> 118.77
    assert day == [
        (date(2002, 7, 23), 100),
        (date(2003, 6, 24), 103.50),
        (date(2004, 6, 22), 107.12),
        (date(2005, 6, 21), 110.87),
        (date(2006, 6, 20), 114.75),
        (date(2007, 6, 19), 118.77),
    ]
    call = {p.effective_date: p.value for p in rows(s_result, "sexual_assault_exam_call_back")}
    # 200 x 1.035 = 207; 207 x 1.035 = 214.245 exactly: a tie, half up -> 214.25
    assert Decimal("207") * Decimal("1.035") == Decimal("214.245")
    assert call[date(2004, 6, 22)] == 214.25
    derived = rows(s_result, "sexual_assault_exam_day_shift")[1:]
    assert all("; derived from Art. 8.1: " in p.eligibility for p in derived)
    assert {p.source.line for p in derived} == {line_of(s_raw, EXAM_RULE)}


def test_hunter_trapper_is_overtime_hours_per_pay_period(s_result, s_raw):
    (p,) = rows(s_result, "hunter_trapper_dog_care")
    assert (p.basis, p.value) == ("overtime_hours_per_pay_period", 3.5)
    assert p.source.line == line_of(s_raw, HUNTER)


def test_no_rest_break_is_a_quarter_hour_of_the_reference_rate_per_day(s_result, s_raw):
    (p,) = rows(s_result, "no_rest_break_transfer_station")
    assert (p.basis, p.value) == ("hours_of_reference_rate_per_day", 0.25)
    assert "I step of Disposal Worker I (class 5155)" in p.eligibility
    assert p.source.line == line_of(s_raw, NO_REST_BREAK)
    assert s_raw.find("5155\tDISPOSAL WORKER I\t1712") is not None


def test_sonoma_vdt_vision_and_housing_fund(s_result, s_raw):
    (vdt,) = [b for b in s_result.benefit_shares if b.source.section == "18.7.3"]
    assert (vdt.benefit, vdt.employer_pct, vdt.employee_pct) == ("vision", 100, 0)
    assert vdt.source.line == line_of(s_raw, VDT_SONOMA)
    fund = [b for b in s_result.benefit_shares if b.benefit == "housing_assistance"]
    assert [(b.employee_amount, b.amount_period) for b in fund] == [(0.01, "hour")] * 2
    assert sorted(b.effective_date or date.max for b in fund) == [date(1992, 7, 7), date.max]


def test_mendocino_call_back_and_underfill(m_result):
    raw = RawDocument.load(RAW_DIR / mendocino.DOC)
    assert raw.find(M_SW_V) is not None
    (callback,) = rows(m_result, "call back minimum")
    assert (callback.basis, callback.value) == ("min_hours_per_event", 3)
    assert callback.source.line == line_of(raw, M_CALLBACK)
    (sw,) = rows(m_result, "social worker underfill differential")
    assert (sw.basis, sw.value) == ("pct_of_gap_to_reference_rate", 50)
    assert sw.eligibility.startswith("Reference rate: Social Worker V (class S552")
    assert sw.source.line == line_of(raw, M_UNDERFILL)
    (sup,) = rows(m_result, "social worker supervisor underfill differential")
    assert "class S551" in sup.eligibility


def test_contra_costa_vdt_vision_plan():
    raw = RawDocument.load(RAW_DIR / contra_costa.DOC)
    result = contra_costa.parse(RAW_DIR, REFERENCE_DIR)
    (vdt,) = [b for b in result.benefit_shares if b.plan == "VDT Vision Protection Plan"]
    assert vdt.benefit == "vision"
    assert "ten dollar ($10) frame" in vdt.note and "solely at the employee's expense" in vdt.note
    # The audit: the basic plan is the County's ("...existing VDT Plan benefit levels at
    # County expense", against "solely at the employee's expense" for what it does not
    # cover), so the employer pays 100% of it; the text's own words are the quote.
    assert raw.find(CC_VDT) is not None and raw.find(
        "solelyatthe employee's expense"
    )  # OCR joins the words
    assert (vdt.employer_pct, vdt.employee_pct) == (100, 0)
    line, col = raw.find(CC_VDT_COUNTY_EXPENSE)
    assert (vdt.source.line, vdt.source.col) == (line, col)
    assert vdt.employee_group == "vdt_users"  # not every employee's compensation


def test_a_curated_premium_with_an_unknown_basis_stops_the_build(tmp_path):
    ref = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, ref)
    path = ref / "sonoma_premiums.csv"
    path.write_text(path.read_text().replace("usd_per_mile", "usd_per_kilometre"))
    with pytest.raises(SourceParseError) as err:
        sonoma.parse(RAW_DIR, ref)
    assert err.value.column == "basis" and "usd_per_kilometre" in str(err.value)
