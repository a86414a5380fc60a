"""The realistic salary tables (tests/data/schedules/make_real_schedules.py) read by the one
reader the CLI and the page share, every stored value compared with the value the file prints
(tests/data/schedules/real_tables.py holds the truth, computed, not copied from the reader)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from etl.errors import BargainError
from etl.schedule_import import detect, read
from etl.schedule_import.stored import ImportedFile

DATA = Path(__file__).resolve().parents[1] / "data" / "schedules"
sys.path.insert(0, str(DATA))
import real_tables as rt  # noqa: E402

LOOKUP_MAP = ["pay@2023-07-01=Current monthly pay", "pay@2024-07-01=2024 monthly pay"]


def _file(name: str) -> ImportedFile:
    return ImportedFile("schedule", name, (DATA / name).read_bytes())


def _read(name: str, **options):
    return read([_file(name)], {"agency": "Example", **options})


def _hourly(amount: float, period: str) -> float:
    # the conversions the agreements use (2,080 hours a year, 80 a pay period), written out
    return {"monthly": amount * 12 / 2080, "biweekly": amount / 80}[period]


@pytest.fixture(scope="module")
def county():
    return _read("county_schedule.pdf", period="monthly")


@pytest.fixture(scope="module")
def lookup():
    return _read("state_lookup.csv", period="monthly", mapping=LOOKUP_MAP)


# 5. A PDF schedule: wide, headers on every page, sections dated by their headings ------------


def test_county_pdf_reads_every_class_with_its_printed_code_and_title(county):
    expected = rt.county_classes(len(county.result.classes))
    got = [(c.class_code, c.class_title, c.grade) for c in county.result.classes]
    assert len(got) == 636
    # titles wrapped onto a second line in their cell are joined back into one
    assert got == [(c.code, c.title, str(c.range)) for c in expected]
    assert any(" - HEALTH AND HUMAN SERVICES" in t for _, t, _ in got)


def test_county_pdf_every_rate_is_the_printed_amount_dated_by_its_section(county):
    truth = {c.code: c for c in rt.county_classes(636)}
    rates = county.result.salary_rates
    assert len(rates) == 636 * 5 * 2
    assert {r.effective_date for r in rates} == set(rt.COUNTY_DATES)
    for r in rates:
        section = rt.COUNTY_DATES.index(r.effective_date)
        printed = rt.county_monthly(truth[r.class_code], rt.LETTERS.index(r.step), section)
        assert r.hourly == pytest.approx(_hourly(printed, "monthly"), abs=1e-9), r
        assert r.is_derived is False and r.derivation.startswith("monthly ")


def test_county_pdf_cites_page_and_row_and_the_cited_line_prints_the_amount(county):
    lines = county.documents[0][4]
    truth = {c.code: c for c in rt.county_classes(636)}
    pages = set()
    for r in county.result.salary_rates[::97]:
        section = rt.COUNTY_DATES.index(r.effective_date)
        printed = rt.county_monthly(truth[r.class_code], rt.LETTERS.index(r.step), section)
        shown = f"${printed:,.0f}" if section == 0 else f"{printed:,.2f}"
        assert r.source.section.startswith("p. "), r.source
        page = int(r.source.section.split(",")[0][3:])
        pages.add(page)
        assert (page <= 20) == (section == 0)  # the second section starts on page 21
        line = lines[r.source.line - 1]
        assert line.startswith(r.class_code) and shown in line, (r, line)
    assert len(pages) > 20


def test_county_pdf_headings_give_the_dates_with_no_option(county):
    notes = " ".join(county.notes)
    assert "2024-07-01 (p. 1, row 4: 'Effective July 1, 2024')" in notes
    assert "'Salary Schedule FY 2025-26', a fiscal year from its first day" in notes


def test_long_ruled_pdf_reads_hourly_and_checks_the_other_periods():
    got = _read("long_ruled.pdf")
    import make_real_schedules as make

    assert len(got.result.classes) == 30
    for r in got.result.salary_rates:
        k = int(r.class_code) - 5001
        assert r.hourly == pytest.approx(make.long_hourly(k, int(r.step) - 1)), r
    assert any("'Biweekly', 'Annual' show the same pay" in n for n in got.notes)


def test_a_scanned_pdf_is_refused_saying_it_has_no_text():
    with pytest.raises(BargainError, match="has no text, only pictures of pages"):
        _read("scanned.pdf", period="monthly")


# 1-4. The union's state-wide lookup -----------------------------------------------------------


def test_lookup_coalitions_become_units_with_their_own_pay(lookup):
    units = {c.bargaining_unit for c in lookup.result.classes}
    assert units == set(rt.COALITIONS)
    per_unit = {u: sum(c.bargaining_unit == u for c in lookup.result.classes) for u in units}
    assert per_unit == {
        "General Government": 60,
        "Higher Education": 60,
        "Higher Education Hospitals": 30,
    }
    assert "Bargaining units: 3" in "\n".join(lookup.summary.lines())


def test_lookup_every_rate_is_printed_under_its_class_unit_step_and_date(lookup):
    truth = {}
    for u, _ in enumerate(rt.COALITIONS):
        for c in rt.lookup_classes():
            if rt.lookup_rows(c, u):
                truth[(rt.COALITIONS[u], rt.lookup_code(c, u))] = (c, u)
    titles = {(c.bargaining_unit, c.class_code): c.class_title for c in lookup.result.classes}
    assert set(titles) == set(truth)  # never merged, never filed under another title's code
    assert all(titles[k] == truth[k][0].title for k in truth)
    rates = lookup.result.salary_rates
    assert len(rates) == len(truth) * 8 * 3
    for r in rates:
        c, u = truth[(r.bargaining_unit, r.class_code)]
        when = rt.LOOKUP_DATES.index(r.effective_date)
        printed = rt.lookup_monthly(c, u, rt.LOOKUP_STEPS.index(r.step), when)
        assert r.hourly == pytest.approx(_hourly(printed, "monthly"), abs=1e-9), r


def test_lookup_reused_codes_are_named_in_the_summary(lookup):
    text = "\n".join(lookup.summary.lines())
    reused = sorted({rt.lookup_classes()[k].code for k in rt.REUSED})
    assert f"Codes naming two or more titles: 4 ({', '.join(reused)})" in text
    assert "Classes without a code: 32" in text


def test_lookup_derived_columns_are_ignored_with_a_note_naming_them(lookup):
    assert any("'Monthly difference', '% change'" in n for n in lookup.notes)


def test_lookup_label_dates_are_read_where_the_label_says_one_and_asked_for_the_rest():
    det = detect([_file("state_lookup.csv")], {"agency": "Example", "period": "monthly"})
    uses = {c.column: (c.use, c.date) for t in det.tables for c in t.columns}
    assert uses["Effective 7/1/2025"] == ("pay", rt.LOOKUP_DATES[2])
    assert uses["Current monthly pay"][1] is None and uses["2024 monthly pay"][1] is None
    with pytest.raises(BargainError) as exc:
        _read("state_lookup.csv", period="monthly")
    said = str(exc.value)
    assert "pay@YYYY-MM-DD=Current monthly pay" in said
    assert "'2024 monthly pay' names 2024 but not the day" in said


# 6. Workbooks: a sheet per unit, a sheet per date, title rows above the header -------------


def test_a_sheet_per_unit_makes_each_sheet_a_unit():
    got = _read("units_by_sheet.xlsx", period="biweekly")
    units = sorted({c.bargaining_unit for c in got.result.classes})
    assert units == sorted(rt.UNIT_SHEETS)
    for r in got.result.salary_rates:
        k = [c for c, _ in rt.SHEET_CLASSES].index(r.class_code)
        u = rt.UNIT_SHEETS.index(r.bargaining_unit)
        printed = rt.sheet_biweekly(k, u, int(r.step.split()[-1]) - 1)
        assert r.hourly == pytest.approx(_hourly(printed, "biweekly")), r
    assert {r.effective_date for r in got.result.salary_rates} == {rt.DATE_SHEETS[0][1]}


def test_a_sheet_per_unit_without_a_period_names_the_title_row_that_suggests_it():
    with pytest.raises(BargainError) as exc:
        _read("units_by_sheet.xlsx")
    said = str(exc.value)
    assert "sheet 'SEIU Local 1021', row 5, column 'Step 1'" in said
    assert "row 2 above the header says 'Biweekly Salary Schedule - SEIU Local 1021'" in said


def test_a_sheet_per_date_dates_each_sheet_and_fills_merged_codes_down():
    got = _read("dated_by_sheet.xlsx", period="biweekly")
    assert len(got.result.classes) == 5
    for r in got.result.salary_rates:
        k = [c for c, _ in rt.SHEET_CLASSES].index(r.class_code)
        d = [when for _, when in rt.DATE_SHEETS].index(r.effective_date)
        assert r.hourly == pytest.approx(
            _hourly(rt.sheet_biweekly(k, d, int(r.step) - 1), "biweekly")
        ), r
    assert len(got.result.salary_rates) == 5 * 3 * 2
