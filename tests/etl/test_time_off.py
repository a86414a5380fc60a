"""time_off on the real agreements: vacation tables, holidays, sick leave and the other leaves,
with expected hours written as the arithmetic from the quoted lines (26 pay periods of 80
hours, 2,080 hours a year, 8-hour days)."""

from __future__ import annotations

import re
import shutil

import pytest

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.errors import SourceParseError
from etl.parse import validate
from etl.rawtext import RawDocument
from etl.records import TIME_OFF_KINDS, ParseResult, SourceRef, TimeOff
from etl.sources.contra_costa import parser as contra_costa
from etl.sources.mendocino import parser as mendocino
from etl.sources.sonoma import parser as sonoma

# Sonoma 14.3 / 14.4 rows, 15.1, 13.1 and 13.2 (tabs as in the file).
S_NONSUP_FIRST = "0 through 2\t0.0 to 4174.2\t3.07\t240"
S_NONSUP_5_10 = "5 through 10\t10435.7 to 20871.2\t4.60\t248"
S_SUP_5_10 = "5 through 10\t10435.7 to 20871.2\t4.60\t280"
S_LAST = "25 or greater\t52178.1 or more\t7.36\t360"
S_SICK = "accrue and accumulate sick leave at the rate of 3.68 inservice hours for each completed"
S_HOLIDAYS = "Scheduled holidays are as follows:"
S_GOVERNOR = "(12)\tEach day appointed by the Governor of the State of California"
S_FLOATING = "will be granted 14 hours of compensatory time"
S_EVE = "will be granted 3 hours of compensatory time"
S_COMPASSIONATE = "A full-time employee may be granted up to 32 hours of leave with pay"
S_MOVING = "shall also be entitled to up to 3 days of paid moving leave"
# Mendocino 13.1, 14.2.A, 12.1, 15.1, 15.2, 15.8, 14.11, 6.7.C.
M_BAND_0 = "0 to 3\t3.079\t80\t10\t2\t240\t30\t6"
M_BAND_15 = ">15\t7.694\t200\t25\t5\t400\t50\t10"
M_SICK = "4.616 hours of paid sick leave per pay period."
M_HOLIDAYS = "The following are paid holidays."
M_BEREAVEMENT = "absent with pay for up to twenty-four (24) non-consecutive work hours"
M_PERSONAL = "up to a maximum of thirty (30) hours"
M_VTO = "Each employee shall be entitled to take twenty-four (24) hours of VTO time"
M_WELLNESS = "Up to eight (8) hours of sick leave per calendar year may be used"
M_FTO = "may be accumulated to a maximum of forty-eight (48) hours"
# Contra Costa Proposal #20 (one long OCR line).
CC_PTO = 'the temporary employee shall be credited with twenty (20) hours of"paid time off."'
CC_MAX = "Forty (40) hours paid time off credit is the maximum amount an employee may have"

NUMBER_WORDS = {1: "one", 2: "two", 8: "eight", 24: "twenty-four", 30: "thirty", 48: "forty-eight"}
NON_SUPERVISORY = ["0001", "0005", "0010", "0025", "0080"]


@pytest.fixture(scope="module")
def s_raw():
    return RawDocument.load(RAW_DIR / sonoma.DOC)


@pytest.fixture(scope="module")
def m_raw():
    return RawDocument.load(RAW_DIR / mendocino.DOC)


@pytest.fixture(scope="module")
def sonoma_rows():
    return sonoma.parse(RAW_DIR, REFERENCE_DIR).time_off


@pytest.fixture(scope="module")
def mendocino_rows():
    return mendocino.parse(RAW_DIR, REFERENCE_DIR).time_off


def line_of(raw: RawDocument, text: str, start: int = 1) -> int:
    found = raw.find(text, start)
    assert found is not None, text
    return found[0]


def at(rows: list[TimeOff], line: int) -> list[TimeOff]:
    return [r for r in rows if r.source.line == line]


# --- Sonoma ------------------------------------------------------------------------------------


def test_sonoma_non_supervisory_vacation_band_per_unit(sonoma_rows, s_raw):
    band = at(sonoma_rows, line_of(s_raw, S_NONSUP_FIRST))
    assert sorted(r.bargaining_unit for r in band) == NON_SUPERVISORY
    for r in band:
        assert r.kind == "vacation" and r.source.section == "14.3"
        assert (r.service_years_min, r.service_years_max) == (0, 2)
        assert r.hours_per_year == pytest.approx(3.07 * 26)
        assert r.cap_hours == 240
        assert "derived: 3.07 h per pay period × 26 = 79.82 h a year" in r.note


def test_sonoma_supervisory_table_has_higher_caps(sonoma_rows, s_raw):
    (nonsup,) = {r.cap_hours for r in at(sonoma_rows, line_of(s_raw, S_NONSUP_5_10))}
    start = line_of(s_raw, "14.4\tVacation - Accrual Rates - Supervisory Unit", 1200)
    (sup,) = at(sonoma_rows, line_of(s_raw, S_SUP_5_10, start))
    assert (nonsup, sup.cap_hours) == (248, 280)
    assert sup.bargaining_unit == "0095"
    assert sup.hours_per_year == pytest.approx(4.60 * 26)
    (last,) = at(sonoma_rows, line_of(s_raw, S_LAST, start))
    assert (last.service_years_min, last.service_years_max, last.cap_hours) == (25, None, 360)
    assert last.hours_per_year == pytest.approx(7.36 * 26)


def test_sonoma_vacation_bands_are_contiguous(sonoma_rows):
    for unit in [*NON_SUPERVISORY, "0095"]:
        bands = sorted(
            (r.service_years_min, r.service_years_max)
            for r in sonoma_rows
            if r.kind == "vacation" and r.bargaining_unit == unit
        )
        assert len(bands) == 9
        assert bands[0][0] == 0 and bands[-1][1] is None
        assert all(a[1] == b[0] for a, b in zip(bands, bands[1:], strict=False))


def test_sonoma_sick_holidays_and_floating_hours(sonoma_rows, s_raw):
    (sick,) = [r for r in sonoma_rows if r.kind == "sick"]
    assert sick.hours_per_year == pytest.approx(3.68 * 26) and sick.cap_hours is None
    assert sick.source.line == line_of(s_raw, S_SICK)
    fixed, governor = [r for r in sonoma_rows if r.kind == "holiday"]
    assert fixed.hours_per_year == 11 * 8
    assert fixed.source.line == line_of(s_raw, S_HOLIDAYS)
    assert "derived: 11 days × 8 h" in fixed.note and "Veteran's Day" in fixed.note
    assert governor.hours_per_year is None
    assert governor.source.line == line_of(s_raw, S_GOVERNOR)
    floating = {
        r.source.line: r.hours_per_year for r in sonoma_rows if r.kind == "floating_holiday"
    }
    assert floating == {line_of(s_raw, S_FLOATING): 14, line_of(s_raw, S_EVE): 3}


def test_sonoma_other_leaves(sonoma_rows, s_raw):
    kinds = {r.kind for r in sonoma_rows}
    assert {"bereavement", "jury_duty", "witness", "voting", "blood_donation"} <= kinds
    (compassionate,) = [r for r in sonoma_rows if r.kind == "bereavement"]
    assert compassionate.cap_hours == 32 and compassionate.hours_per_year is None
    assert compassionate.source.line == line_of(s_raw, S_COMPASSIONATE)
    (moving,) = [r for r in sonoma_rows if r.kind == "moving"]
    assert (moving.bargaining_unit, moving.cap_hours) == ("0005", 3 * 8)
    assert "cap derived: 3 days × 8 h" in moving.note
    (blood,) = [r for r in sonoma_rows if r.kind == "blood_donation"]
    assert (blood.hours_per_year, blood.cap_hours) == (1 * 2, 1)


# --- Mendocino ---------------------------------------------------------------------------------


def test_mendocino_vacation_table(mendocino_rows, m_raw):
    vacation = sorted(
        (r for r in mendocino_rows if r.kind == "vacation"), key=lambda r: r.service_years_min
    )
    assert [(r.service_years_min, r.service_years_max) for r in vacation] == [
        (0, 3),
        (3, 8),
        (8, 15),
        (15, None),
    ]
    first, *_, last = vacation
    assert first.source.line == line_of(m_raw, M_BAND_0)
    assert first.hours_per_year == pytest.approx(3.079 * 26)
    assert first.cap_hours == 240
    assert "derived: 3.079 h per pay period × 26 = 80.054 h a year" in first.note
    assert "the table prints 80 hours, 10 days, 2 weeks a year" in first.note
    assert "40 hours are credited at once after 13 pay periods" in first.note
    assert last.source.line == line_of(m_raw, M_BAND_15)
    assert (last.hours_per_year, last.cap_hours) == (pytest.approx(7.694 * 26), 400)


def test_mendocino_sick_holidays_and_leaves(mendocino_rows, m_raw):
    by_kind: dict[str, list[TimeOff]] = {}
    for r in mendocino_rows:
        by_kind.setdefault(r.kind, []).append(r)
    (sick,) = by_kind["sick"]
    assert sick.hours_per_year == pytest.approx(4.616 * 26)
    assert sick.source.line == line_of(m_raw, M_SICK)
    fixed, designated = by_kind["holiday"]
    assert fixed.hours_per_year == 11 * 8 and designated.hours_per_year is None
    assert fixed.source.line == line_of(m_raw, M_HOLIDAYS)
    assert "Columbus Day" in fixed.note
    (bereavement,) = by_kind["bereavement"]
    assert (bereavement.cap_hours, bereavement.source.line) == (24, line_of(m_raw, M_BEREAVEMENT))
    (personal,) = by_kind["personal"]
    assert (personal.hours_per_year, personal.cap_hours) == (30, 30)
    assert personal.source.line == line_of(m_raw, M_PERSONAL)
    (vto,) = by_kind["voluntary_time_off"]
    assert vto.hours_per_year == 24 and vto.note.startswith("UNPAID")
    assert vto.source.line == line_of(m_raw, M_VTO)
    (wellness,) = by_kind["wellness"]
    assert (wellness.hours_per_year, wellness.cap_hours) == (None, 8)
    assert wellness.source.line == line_of(m_raw, M_WELLNESS)
    (fto,) = by_kind["flexible_time_off"]
    assert (fto.cap_hours, fto.source.section) == (48, "6.7.C")
    assert fto.source.line == line_of(m_raw, M_FTO)


def test_mendocino_band_that_does_not_add_up_is_an_error(tmp_path, m_raw):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    path = raw / mendocino.DOC
    path.chmod(0o644)
    path.write_text(m_raw.text.replace(M_BAND_0, "0 to 3\t3.079\t90\t10\t2\t240\t30\t6"))
    with pytest.raises(SourceParseError) as err:
        mendocino.parse(raw, REFERENCE_DIR)
    assert err.value.line == line_of(m_raw, M_BAND_0)


def test_sonoma_band_gap_is_an_error(tmp_path, s_raw):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    path = raw / sonoma.DOC
    path.chmod(0o644)
    path.write_text(s_raw.text.replace("2 through 3\t4174.3 to", "2 through 3\t4175.3 to", 1))
    with pytest.raises(SourceParseError) as err:
        sonoma.parse(raw, REFERENCE_DIR)
    assert err.value.line == line_of(s_raw, "2 through 3\t4174.3 to 6261.4")


# --- Contra Costa ------------------------------------------------------------------------------


def test_contra_costa_temporary_pto():
    raw = RawDocument.load(RAW_DIR / contra_costa.DOC)
    assert raw.find(CC_MAX) is not None
    (pto,) = contra_costa.parse(RAW_DIR, REFERENCE_DIR).time_off
    assert pto.kind == "pto"
    assert pto.hours_per_year == 20 * 2080 / 1040 and pto.cap_hours == 40
    assert (pto.source.line, pto.source.col) == raw.find(CC_PTO)
    assert "derived: 20 h per 1,040 hours worked" in pto.note


# --- every row ---------------------------------------------------------------------------------


def test_printed_numbers_are_on_the_cited_line(sonoma_rows, mendocino_rows, s_raw, m_raw):
    """A number not marked derived must be printed (in digits or words) on its line."""
    for rows, raw in ((sonoma_rows, s_raw), (mendocino_rows, m_raw)):
        for r in rows:
            line = raw.line(r.source.line)
            for value, derived in (
                (r.hours_per_year, "derived:" in r.note.split("cap derived")[0]),
                (r.cap_hours, "cap derived" in r.note),
            ):
                if value is None or derived:
                    continue
                n = int(value)
                assert re.search(rf"\b{n}\b", line) or NUMBER_WORDS.get(n, "?") in line, (
                    r.kind,
                    n,
                    r.source,
                )


def test_kinds_are_checked_on_every_build():
    bad = TimeOff(
        "X", "x", None, "holidays", None, None, 8, None, None, "n", SourceRef("f", 3, "s")
    )
    assert "holidays" not in TIME_OFF_KINDS
    with pytest.raises(SourceParseError) as err:
        validate(ParseResult(time_off=[bad]))
    assert err.value.file == "f" and err.value.line == 3 and "time_off.kind" in str(err.value)


def test_curated_accrual_with_printed_hours_is_refused(tmp_path):
    ref = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, ref)
    path = ref / "mendocino_time_off.csv"
    path.write_text(path.read_text().replace("sick,,,,,4.616", "sick,,,,120,4.616"))
    with pytest.raises(SourceParseError) as err:
        mendocino.parse(RAW_DIR, ref)
    assert "accrual_hours needs per_hours and no hours_per_year" in str(err.value)
