"""etl/sources/mendocino/parser.py on the real MOU text, and on copies of it corrupted in
known ways."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.errors import SourceParseError
from etl.pay_calendar import period_start
from etl.rawtext import RawDocument
from etl.records import PREMIUM_BASES, ParseResult
from etl.sources.mendocino import parser as mendocino
from etl.sources.mendocino.parser import (
    AGENCY,
    AGREEMENT_ID,
    DOC,
    PAY_PERIOD_ANCHOR,
    first_full_pay_period_after,
    first_full_pay_period_in,
)

# Real lines of the agreement (tabs as in the file).
S24B_ROW = "S24B\t13.50\t14.18\t14.89\t15.63\t16.41\t1,080.00\t1,312.80"
ACCOUNT_CLERK_I = "S502\tACCOUNT CLERK I\tS24B"
CODE_ONLY_ROW = "S585\t\t"
YEAR_1 = (
    "Effective in the first full pay period following ratification and approval, bargaining "
    "unit members will receive a 3% salary increase."
)
YEAR_2 = "Effective in the first full pay period in July 2016 bargaining unit members will receive"
ENACTMENT = r"This Memorandum executed this \_\_\_\_\_ day of \_\_\_\_\_, 2015 by the Board"
SWING = (
    r"Employees who work the swing shift shall receive an additional one dollar (\$1.00) per hour."
)
HEALTH_SHARE = "The County will pay approximately 75% of both the employee and dependent coverage"
ATTACHMENT_A = "**- REFER TO HR WEBSITE -**"

CODE_ONLY = ["S585", "4081", "4094", "4087", "S556", "S574", "0164", "S576", "S594", "S595", "0169"]


def half_up(x: Decimal) -> float:
    """Round to the cent, halves up: how the derived schedules are rounded."""
    return float(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def doc() -> RawDocument:
    return RawDocument.load(RAW_DIR / DOC)


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return mendocino.parse(RAW_DIR, REFERENCE_DIR)


def line_of(doc: RawDocument, text: str) -> int:
    return doc.lines.index(text) + 1


def rates(result: ParseResult, code: str, when: date) -> list[float]:
    rows = [r for r in result.salary_rates if r.class_code == code and r.effective_date == when]
    return [r.hourly for r in sorted(rows, key=lambda r: r.step)]


# --- the real text -------------------------------------------------------------------------


def test_quoted_lines_are_real(doc: RawDocument) -> None:
    for text in (S24B_ROW, ACCOUNT_CLERK_I, CODE_ONLY_ROW, YEAR_1, ATTACHMENT_A):
        assert text in doc.lines
    for quote in (YEAR_2, ENACTMENT, SWING, HEALTH_SHARE):
        assert doc.find(quote) is not None


def test_agreement(result: ParseResult) -> None:
    (a,) = result.agreements
    assert (a.agreement_id, a.agency, a.union) == (AGREEMENT_ID, AGENCY, "SEIU Local 1021")
    assert (a.term_start, a.term_end) == (date(2015, 7, 1), date(2017, 6, 30))
    assert "Attachment C" in a.units


def test_grade_chart_has_96_grades(result: ParseResult) -> None:
    # 24 ranges (S18-S41) x 4 sub-grades (A-D); 4 step_ratio + 2 biweekly checks per grade
    grades = {r.class_code for r in result.audit}
    assert len(grades) == 24 * 4
    assert len(result.audit) == 96 * (4 + 2)


def test_class_counts(result: ParseResult, doc: RawDocument) -> None:
    # Attachment C: 310 rows, 11 of them a code with no title or grade
    assert len(result.classes) == 310
    code_only = [c for c in result.classes if c.class_title is None]
    assert [c.class_code for c in code_only] == CODE_ONLY
    assert all(c.grade is None and c.bargaining_unit is None for c in code_only)
    assert not any(r.class_code in CODE_ONLY for r in result.salary_rates)
    # every titled class: 5 steps x 3 effective dates (printed, +3%, +2%)
    assert len(result.salary_rates) == (310 - 11) * 5 * 3
    assert code_only[0].source.line == line_of(doc, CODE_ONLY_ROW)


def test_account_clerk_i(result: ParseResult, doc: RawDocument) -> None:
    (clerk,) = [c for c in result.classes if c.class_code == "S502"]
    assert (clerk.class_title, clerk.grade) == ("ACCOUNT CLERK I", "S24B")
    assert clerk.source.line == line_of(doc, ACCOUNT_CLERK_I)
    assert clerk.source.section == "Attachment C"
    assert rates(result, "S502", date(2015, 7, 1)) == [13.50, 14.18, 14.89, 15.63, 16.41]
    printed = [r for r in result.salary_rates if r.class_code == "S502" and not r.is_derived]
    assert {r.source.line for r in printed} == {line_of(doc, S24B_ROW)}
    assert {r.source.section for r in printed} == {"Attachment B"}
    assert all(r.derivation is None for r in printed)


def test_derived_schedules(result: ParseResult, doc: RawDocument) -> None:
    # Year 1: printed x 1.03; Year 2: the Year 1 schedule x 1.02; each rounded to the cent
    year1 = [half_up(Decimal(p) * Decimal("1.03")) for p in ("13.50", "14.18", "14.89")]
    assert year1 == [13.91, 14.61, 15.34]
    assert rates(result, "S502", date(2015, 7, 26))[:3] == year1
    year2 = half_up(Decimal("13.91") * Decimal("1.02"))
    assert year2 == 14.19
    assert rates(result, "S502", date(2016, 7, 10))[0] == year2
    top = half_up(Decimal(str(half_up(Decimal("16.41") * Decimal("1.03")))) * Decimal("1.02"))
    assert rates(result, "S502", date(2016, 7, 10))[4] == top
    derived = [r for r in result.salary_rates if r.class_code == "S502" and r.is_derived]
    assert len(derived) == 10
    year1_rows = [r for r in derived if r.effective_date == date(2015, 7, 26)]
    assert {r.source.line for r in year1_rows} == {line_of(doc, YEAR_1)}
    assert {r.source.section for r in derived} == {"7.1"}
    step1 = next(r for r in year1_rows if r.step == "1")
    assert "13.50" in step1.derivation and "x 1.03" in step1.derivation
    assert "2015-07-21" in step1.derivation  # the assumed approval date is stated


def test_pay_period_calendar() -> None:
    # Art. 2: 14-day pay periods from Sunday; pay period 1 includes January 1; 26 per year
    for year in (2015, 2016):
        pp1 = period_start(date(year, 1, 1), PAY_PERIOD_ANCHOR)
        next_pp1 = period_start(date(year + 1, 1, 1), PAY_PERIOD_ANCHOR)
        assert pp1.weekday() == 6  # Sunday
        assert (next_pp1 - pp1).days == 26 * 14
    assert first_full_pay_period_after(date(2015, 7, 21)) == date(2015, 7, 26)
    assert first_full_pay_period_in(2016, 7) == date(2016, 7, 10)  # June 26 - July 9 is not full


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2020, 12, 31)))
def test_first_full_pay_period_after_any_date(d: date) -> None:
    start = first_full_pay_period_after(d)
    assert start.weekday() == 6
    assert d < start <= d + timedelta(days=14)


def test_wage_increases(result: ParseResult, doc: RawDocument) -> None:
    got = {(w.kind, w.pct, w.amount, w.effective_date) for w in result.wage_increases}
    assert got == {
        ("general", 3.0, None, date(2015, 7, 26)),
        ("general", 2.0, None, date(2016, 7, 10)),
        ("one_time", None, 1200.0, date(2015, 7, 26)),
        ("one_time", None, 1000.0, date(2016, 7, 10)),
    }
    one_time = [w for w in result.wage_increases if w.kind == "one_time"]
    assert all("4 successive pay periods" in w.note for w in one_time)
    general = next(w for w in result.wage_increases if w.pct == 3.0)
    assert general.source.line == line_of(doc, YEAR_1)


def test_premiums(result: ParseResult, doc: RawDocument) -> None:
    by_name = {p.premium: p for p in result.premiums}
    expected = {
        "swing shift differential": ("usd_per_hour", 1.00),
        "graveyard shift differential": ("usd_per_hour", 2.00),
        "on-call, weekdays": ("usd_per_hour", 3.50),
        "on-call, weekends and holidays": ("usd_per_hour", 4.00),
        "bilingual pay": ("usd_per_pay_period", 40.00),
        "bilingual pay, use under 10% of work time": ("usd_per_pay_period", 18.00),
        "temporary out-of-class pay": ("pct_of_base", 5.0),
        "tool reimbursement": ("usd_per_year", 225.00),
        "animal control uniform allowance": ("usd_per_year", 4 * 250.00),
    }
    for name, (basis, value) in expected.items():
        assert (by_name[name].basis, by_name[name].value) == (basis, value), name
    swing = by_name["swing shift differential"]
    assert swing.source.line == doc.find(SWING)[0]
    assert swing.source.section == "9.1.A"
    # each quote sits on the line that states the rate
    assert r"(\$3.50)" in doc.line(by_name["on-call, weekdays"].source.line)
    assert r"(\$18.00)" in doc.line(
        by_name["bilingual pay, use under 10% of work time"].source.line
    )
    assert all(p.basis in PREMIUM_BASES for p in result.premiums)


def test_benefit_shares(result: ParseResult, doc: RawDocument) -> None:
    health = next(
        b for b in result.benefit_shares if b.benefit == "health_combined" and b.tier is None
    )
    assert (health.employer_pct, health.employee_pct) == (75.0, 25.0)
    assert health.source.line == doc.find(HEALTH_SHARE)[0]
    assert "REFER TO HR WEBSITE" in health.note
    assert {"life_insurance", "eap", "retirement"} <= {b.benefit for b in result.benefit_shares}


def test_survey_agencies(result: ParseResult, doc: RawDocument) -> None:
    assert [s.survey_agency for s in result.survey_agencies] == [
        "City of Ukiah",
        "City of Santa Rosa",
        "El Dorado County",
        "Humboldt County",
        "Lake County",
        "Napa County",
        "Nevada County",
        "Sonoma County",
        "Sutter County",
        "Yolo County",
    ]
    sonoma = next(s for s in result.survey_agencies if s.survey_agency == "Sonoma County")
    assert doc.line(sonoma.source.line) == "- Sonoma County"
    assert "survey at market average" in sonoma.purpose
    assert "compiled at the top step" in sonoma.purpose


def test_provisions(result: ParseResult, doc: RawDocument) -> None:
    topics = {p.topic for p in result.provisions}
    assert {"merit", "survey_methodology", "reopener", "step_placement", "probation"} <= topics
    assert "telework" not in topics and "telework" not in doc.text.lower()
    merit = [p for p in result.provisions if p.topic == "merit"]
    assert any("26 pay periods" in p.summary for p in merit)


def test_audit_all_explained(result: ParseResult) -> None:
    assert {r.status for r in result.audit} == {"explained"}
    s24b = [r for r in result.audit if r.class_code == "S24B" and r.check == "biweekly_80x"]
    assert sorted(r.actual for r in s24b) == pytest.approx([80 * 13.50, 80 * 16.41])


# --- corrupted copies ----------------------------------------------------------------------


def corrupt(tmp_path: Path, edit: Callable[[list[str]], list[str]]) -> tuple[Path, list[str]]:
    """A copy of data/raw/ with the Mendocino file edited; returns the dir and the new lines."""
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = edit((RAW_DIR / DOC).read_text(encoding="utf-8").split("\n"))
    (raw / DOC).write_text("\n".join(lines), encoding="utf-8")
    return raw, lines


def parse_error(raw: Path, reference: Path = REFERENCE_DIR) -> SourceParseError:
    with pytest.raises(SourceParseError) as info:
        mendocino.parse(raw, reference)
    return info.value


def replace(old: str, new: str) -> Callable[[list[str]], list[str]]:
    return lambda lines: [new if ln == old else ln for ln in lines]


def test_non_numeric_cell(tmp_path: Path) -> None:
    bad = S24B_ROW.replace("14.18", "14.l8")
    raw, lines = corrupt(tmp_path, replace(S24B_ROW, bad))
    err = parse_error(raw)
    assert (err.file, err.line, err.column) == (DOC, lines.index(bad) + 1, "Step 2")
    assert DOC in str(err) and f"line {err.line}" in str(err)


def test_chart_truncated_by_end_of_file(tmp_path: Path) -> None:
    raw, lines = corrupt(tmp_path, lambda ls: ls[: ls.index(S24B_ROW) + 1])
    err = parse_error(raw)
    assert (err.file, err.line) == (DOC, len(lines))
    assert "end of the file" in err.message


def test_chart_missing_last_rows(tmp_path: Path) -> None:
    # S40A..S41D deleted; Attachment C still follows
    def edit(ls: list[str]) -> list[str]:
        return [ln for ln in ls if not ln.startswith(("S40", "S41"))]

    raw, lines = corrupt(tmp_path, edit)
    err = parse_error(raw)
    assert err.line == next(i for i, ln in enumerate(lines, 1) if ln.startswith("S39D\t"))
    assert "88 grades, expected 96" in err.message


def test_chart_row_cut_short(tmp_path: Path) -> None:
    short = "\t".join(S24B_ROW.split("\t")[:4])
    raw, lines = corrupt(tmp_path, replace(S24B_ROW, short))
    err = parse_error(raw)
    assert err.line == lines.index(short) + 1
    assert "expected 8 cells" in err.message


def test_chart_row_missing_in_middle(tmp_path: Path) -> None:
    raw, lines = corrupt(tmp_path, lambda ls: [ln for ln in ls if not ln.startswith("S24C\t")])
    err = parse_error(raw)
    s24d = next(i for i, ln in enumerate(lines, 1) if ln.startswith("S24D\t"))
    assert (err.line, err.message) == (s24d, "grade chart out of sequence: expected S24C, got S24D")


def test_unrecognized_row_in_chart(tmp_path: Path) -> None:
    note = "Rates effective upon ratification"

    def edit(ls: list[str]) -> list[str]:
        i = ls.index(S24B_ROW)
        return ls[: i + 1] + [note] + ls[i + 1 :]

    raw, lines = corrupt(tmp_path, edit)
    err = parse_error(raw)
    assert err.line == lines.index(note) + 1
    assert "unrecognized row in the grade chart" in err.message


def test_missing_attachment_c(tmp_path: Path) -> None:
    def edit(ls: list[str]) -> list[str]:
        start = ls.index("### ATTACHMENT C - UNIT JOB CLASSIFICATIONS")
        end = ls.index("**MENDOCINO COUNTY GRIEVANCE FORM**")
        return ls[:start] + ls[end:]

    raw, lines = corrupt(tmp_path, edit)
    err = parse_error(raw)
    assert (err.file, err.line) == (DOC, lines.index("**MENDOCINO COUNTY GRIEVANCE FORM**") + 1)
    assert "ATTACHMENT C" in err.message


def test_attachment_c_row_without_grade(tmp_path: Path) -> None:
    bad = "S502\tACCOUNT CLERK I\t"
    raw, lines = corrupt(tmp_path, replace(ACCOUNT_CLERK_I, bad))
    err = parse_error(raw)
    assert (err.line, err.column) == (lines.index(bad) + 1, "Grade")


def test_attachment_c_unknown_grade(tmp_path: Path) -> None:
    bad = "S502\tACCOUNT CLERK I\tS42A"
    raw, lines = corrupt(tmp_path, replace(ACCOUNT_CLERK_I, bad))
    err = parse_error(raw)
    assert err.line == lines.index(bad) + 1
    assert "not in the grade chart" in err.message


def test_unrecognized_row_in_attachment_c(tmp_path: Path) -> None:
    note = "See the County website for current titles"

    def edit(ls: list[str]) -> list[str]:
        i = ls.index(ACCOUNT_CLERK_I)
        return ls[: i + 1] + [note] + ls[i + 1 :]

    raw, lines = corrupt(tmp_path, edit)
    err = parse_error(raw)
    assert err.line == lines.index(note) + 1
    assert "unrecognized row in Attachment C" in err.message


def test_curated_quote_not_in_text(tmp_path: Path) -> None:
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref)
    path = ref / "mendocino_premiums.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(r"one dollar (\$1.00)", r"one dollar (\$1.50)"),
        encoding="utf-8",
    )
    err = parse_error(RAW_DIR, ref)
    assert err.file == "data/reference/mendocino_premiums.csv"
    assert (err.line, err.column) == (2, "quote")


def test_curated_basis_outside_vocabulary(tmp_path: Path) -> None:
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref)
    path = ref / "mendocino_premiums.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("usd_per_hour", "dollars_hourly", 1),
        encoding="utf-8",
    )
    err = parse_error(RAW_DIR, ref)
    assert (err.file, err.line, err.column) == ("data/reference/mendocino_premiums.csv", 2, "basis")
