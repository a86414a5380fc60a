"""etl/sources/sonoma/audit.py: printed Appendix A ranges against 8.1 general x Appendix B
adjustments."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.rawtext import RawDocument
from etl.records import JobClass, ParseResult, SalaryRate, SourceRef, WageIncrease
from etl.sources.sonoma.audit import PAYROLL_BASE_FALLBACK, audit
from etl.sources.sonoma.parser import AGENCY, AGREEMENT_ID, DOC, parse

# Appendix A rows quoted from the agreement, and their Appendix B rows where they have one.
ACCOUNT_CLERK_I = "0401\tACCOUNT CLERK I\t1360\t1408\t1457"  # no Appendix B row
EVENTS_AIDE = "1272\tEVENTS AIDE\t1044\t1134\t1199"
EVENTS_AIDE_B = "1272\tEVENTS AIDE\t5.00%\t0.00%\t5.00%\t2.10%"
SOCIAL_WORK_ASSISTANT = "3353\tSOCIAL WORK ASSISTANT\t1531\t1562\t1618\t1675"
SOCIAL_WORK_ASSISTANT_B = "3353\tSOCIAL WORK ASSISTANT\t3.00%\t2.00%\t0.09%\t0.00%"
STAFF_NURSE_I_BS = "2811\t* STAFF NURSE I-B.S.\t2742\t2928\t3031"
STAFF_NURSE_I_B = "2011\tSTAFF NURSE I\t5.00%\t0.00%\t3.20%\t0.00%"
LEGAL_PROCESSOR_I = "0048\tLEGAL PROCESSOR I\t1350\t1377\t1425"
LEGAL_PROCESSOR_B = "0048\tLEGAL PROCESSOR\t1.48%\t0.00%\t0.00%\t0.00%"


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse(RAW_DIR, REFERENCE_DIR)


@pytest.fixture(scope="module")
def raw() -> RawDocument:
    return RawDocument.load(RAW_DIR / DOC)


def row(result: ParseResult, code: str, when: date):
    (hit,) = [a for a in result.audit if a.class_code == code and a.effective_date == when]
    return hit


def test_quoted_rows_are_in_the_agreement(raw):
    for text in [ACCOUNT_CLERK_I, EVENTS_AIDE, EVENTS_AIDE_B, SOCIAL_WORK_ASSISTANT]:
        assert raw.find(text) is not None, text
    for text in [SOCIAL_WORK_ASSISTANT_B, STAFF_NURSE_I_BS, STAFF_NURSE_I_B]:
        assert raw.find(text) is not None, text
    assert raw.find(LEGAL_PROCESSOR_I) and raw.find(LEGAL_PROCESSOR_B)


def test_audit_is_part_of_parse(result):
    assert result.audit == audit(result)


def test_one_row_per_class_and_consecutive_printed_dates(result):
    # unit 0025 prints four dates (three pairs), the other units three (two pairs)
    in_0025 = sum(c.bargaining_unit == "0025" for c in result.classes)
    assert len(result.audit) == 3 * in_0025 + 2 * (331 - in_0025) == 690
    assert {a.check for a in result.audit} == {"a_step_change"}


def test_status_counts(result):
    counts = Counter(a.status for a in result.audit)
    assert counts == {"explained": 689, "unexplained": 1}
    off_by_a_cent = [a for a in result.audit if a.detail.startswith("off by")]
    assert len(off_by_a_cent) == 26
    assert all(abs(a.expected - a.actual) < 0.011 for a in off_by_a_cent)


def test_general_increase_only(result, raw):
    # "0401 ACCOUNT CLERK I 1360 1408 1457": 1360 x 1.035 = 1407.6 -> 1408
    a = row(result, "0401", date(2003, 6, 24))
    assert a.expected == a.actual == round(1360 * 1.035) / 100
    assert a.status == "explained"
    assert a.explained_by == "8.1 general 3.5% x no Appendix B row"
    assert a.source.line == raw.find(ACCOUNT_CLERK_I)[0]


def test_adjustment_without_general_increase_on_01_07_03(result):
    # 3353: 1531 x (1 + 2.00%) = 1561.62 -> 1562, printed 1562; no 8.1 increase on 1/7/03
    a = row(result, "3353", date(2003, 1, 7))
    assert a.expected == a.actual == round(1531 * 1.02) / 100
    assert a.explained_by == "no 8.1 general increase on 01/07/03 x Appendix B 2.00%"


def test_multiplicative_with_adjustment(result):
    # 3353 at 6/24/03: 1562 x 1.035 x 1.0009 = 1618.1 -> 1618, printed 1618
    a = row(result, "3353", date(2003, 6, 24))
    assert a.expected == a.actual == round(1562 * 1.035 * 1.0009) / 100
    assert a.explained_by == "8.1 general 3.5% x Appendix B 0.09%"


def test_off_by_a_cent_is_explained_as_rounding(result):
    # 1272 EVENTS AIDE at 6/24/03: 1044 x 1.035 x 1.05 = 1134.567 -> 1135, printed 1134;
    # 1044 x 1.05 = 1096.2 -> 1096, then x 1.035 = 1134.36 -> 1134 reproduces the print.
    a = row(result, "1272", date(2003, 6, 24))
    assert a.status == "explained"
    assert a.expected == 11.35 and a.actual == 11.34
    assert "off by -1 cent from rounding" in a.detail
    assert "Appendix B adjustment first" in a.detail
    assert round(round(1044 * 1.05) * 1.035) == 1134


def test_payroll_only_class_follows_its_base_class(result):
    # 2811 * STAFF NURSE I-B.S. has no Appendix B row; it follows 2011 STAFF NURSE I (3.20%):
    # 2742 x 1.035 x 1.032 = 2928.785 -> 2929, printed 2928 (= 2789 x 1.05, 9.24.1 BSN range)
    a = row(result, "2811", date(2003, 6, 24))
    assert a.status == "explained"
    assert "base class 2011 STAFF NURSE I" in a.explained_by
    assert "Appendix B 3.20%" in a.explained_by
    assert a.expected == round(2742 * 1.035 * 1.032) / 100
    assert "9.24.1" in a.detail and str(round(2789 * 1.05)) in a.detail


def test_payroll_only_fallbacks_are_all_payroll_only_classes(result):
    by_code = {c.class_code: c for c in result.classes}
    for star, base in PAYROLL_BASE_FALLBACK.items():
        assert by_code[star].payroll_only
        assert not by_code[base].payroll_only
    # 5084 WATER AGENCY WORKER II - HT follows 5015 MAINTENANCE WORKER II (9.11), not 5082
    assert "base class 5015" in row(result, "5084", date(2003, 6, 24)).explained_by


def test_the_unexplained_row(result):
    # "0048 LEGAL PROCESSOR I 1350 1377 1425": 1350 x 1.035 = 1397.25 -> 1397, printed 1377.
    (a,) = [a for a in result.audit if a.status == "unexplained"]
    assert (a.class_code, a.effective_date) == ("0048", date(2003, 6, 24))
    assert a.expected == round(1350 * 1.035) / 100 and a.actual == 13.77
    assert a.explained_by is None
    # implied adjustment: 1377 / (1350 x 1.035) - 1 = -1.45%; printed change 1377/1350 = +2.00%
    assert f"{(1377 / (1350 * 1.035) - 1) * 100:+.2f}%" == "-1.45%"
    assert "implied adjustment -1.45%" in a.detail and "+2.00%" in a.detail


def test_no_row_needs_the_additive_formula(result):
    assert not [a for a in result.audit if (a.explained_by or "").startswith("additive")]


# --- the additive fallback, on a constructed case ----------------------------------------------


def _tiny(printed_new: int) -> ParseResult:
    src = SourceRef(DOC, 1, "test")
    cls = JobClass(AGENCY, AGREEMENT_ID, "0001", "9999", "TEST CLASS", False, None, src)
    rates = [
        SalaryRate(AGENCY, AGREEMENT_ID, "0001", "9999", d, "A", cents / 100, False, None, src)
        for d, cents in [(date(2003, 6, 24), 1000), (date(2004, 6, 22), printed_new)]
    ]
    raises = [
        WageIncrease(
            AGENCY, AGREEMENT_ID, date(2004, 6, 22), "general", None, 3.5, None, None, src
        ),
        WageIncrease(
            AGENCY, AGREEMENT_ID, date(2004, 6, 22), "market", "9999", 10.0, None, None, src
        ),
    ]
    return ParseResult(classes=[cls], salary_rates=rates, wage_increases=raises)


def test_additive_formula_explains_what_multiplication_does_not():
    # 1000 x 1.035 x 1.10 = 1138.5 -> 1139; 1000 x (1 + 0.035 + 0.10) = 1135
    (a,) = audit(_tiny(1135))
    assert a.status == "explained"
    assert a.explained_by.startswith("additive: 1 + 8.1 general 3.5% + Appendix B 10.00%")
    assert a.expected == 1135 / 100
    (m,) = audit(_tiny(1139))
    assert m.explained_by == "8.1 general 3.5% x Appendix B 10.00%"
    (u,) = audit(_tiny(1150))
    assert u.status == "unexplained"
    assert "implied adjustment" in u.detail
