"""Imported State Controller positions as comparators: the year nearest the as-of date then
CPI, the bottom of range for first steps, the latest import of a position, the benefits
market, and the gap against the real 2016 Superior Court file by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis import inflation
from analysis.market import gap as market
from analysis.market import gcc as gcc_market
from etl.gcc.reader import RESULT_COLUMNS, read_gcc

REAL_ZIP = Path(__file__).resolve().parent.parent / "data" / "2016_SuperiorCourt.zip"
COURT = "Mendocino County Superior Court"


def _row(agency, position, year, hi, lo=None, *, import_id=1, n=1, ret=None, hdv=None, dcp=None):
    r = dict.fromkeys(RESULT_COLUMNS)
    r.update(
        agency=agency,
        employer_name=agency,
        employer_type="County",
        year=year,
        position=position,
        incumbents=n,
        min_salary=lo,
        max_salary=float(hi),
        ranges=1,
        range_incumbents=n,
        retirement_median=ret,
        health_dental_vision_median=hdv,
        deferred_comp_median=dcp,
        first_row=2,
        source=f"SCO GCC {year}, test.csv, Position {position!r}, first at row 2",
    )
    r.update(import_id=import_id, file_name=f"f{import_id}.csv", imported_at="2026-01-01")
    return r


def _rows(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_real_export_gap_by_hand(con):
    rows = read_gcc(REAL_ZIP, REAL_ZIP.name, agencies=[COURT]).rows
    rows = rows.assign(import_id=1, file_name=REAL_ZIP.name, imported_at="2026-01-01")
    res = market.run_gap(con, "Mendocino", [COURT], date(2016, 7, 1), gcc_rows=rows)
    row = res.table.set_index("subject_class_code").loc["0124"]
    # ACCOUNT SPECIALIST II: Mendocino's top step on its 7/26/2015 schedule vs the court's
    # Account Specialist II, MaxPositionSalary 44,866 for its 3 incumbents (CSV rows 8518-20)
    own = con.execute(
        "SELECT max(annual) FROM salary_schedule WHERE agency = 'Mendocino' AND class_code = "
        "'0124' AND effective_date = DATE '2015-07-26'"
    ).fetchone()[0]
    assert row["own_top_annual"] == pytest.approx(own)
    assert row["market"] == 44866.0 and row["market_n"] == 1
    assert row["pct_below_market"] == pytest.approx(round((44866 - own) / 44866 * 100, 2))
    d = res.detail[res.detail["subject_class_code"] == "0124"].iloc[0]
    assert (d["comparator_title"], d["method"], d["factor"]) == (
        "Account Specialist II",
        "exact",
        1,
    )
    assert d["comparator_class_code"] is None
    assert d["brought_by"].endswith("dated 07/01/2016 (the as-of date)")
    assert "first at row 8518" in d["source_ref"] and "(import #1)" in d["source_ref"]


def test_nearest_imported_year_then_cpi(con):
    rows = _rows(
        _row("Napa County", "Account Clerk II", 2014, 40000, 32000),
        _row("Napa County", "Account Clerk II", 2016, 44000, 35000),
    )
    cpi = inflation.DEFAULT_SERIES
    # 3/1/2016 is 122 days from 7/1/2016, 609 from 7/1/2014: the 2016 range, carried back
    d = gcc_market.pay_at(con, "Mendocino", rows, ["Napa County"], date(2016, 3, 1), cpi_series=cpi)
    r = d.set_index("subject_class_code").loc["S503"]
    factor = inflation.adjust(1.0, date(2016, 7, 1), date(2016, 3, 1), cpi)
    assert (r["year"], r["annual"], r["factor"]) == (2016, 44000.0, pytest.approx(factor))
    assert r["annual_as_of"] == round(44000 * factor, 2)
    assert "the imported year nearest the as-of date" in r["brought_by"]
    assert "carried back to 03/01/2016 by CPI" in r["brought_by"]
    # 7/1/2015 is a tie (365 days either way): the earlier year, carried forward
    d = gcc_market.pay_at(con, "Mendocino", rows, ["Napa County"], date(2015, 7, 1), cpi_series=cpi)
    r = d.set_index("subject_class_code").loc["S503"]
    assert r["year"] == 2014 and "carried forward" in r["brought_by"]
    # nominal: no factor, and it says so
    d = gcc_market.pay_at(
        con, "Mendocino", rows, ["Napa County"], date(2015, 7, 1), adjust="none", cpi_series=cpi
    )
    r = d.set_index("subject_class_code").loc["S503"]
    assert r["factor"] == 1.0 and r["brought_by"].endswith("nominal (no adjustment)")
    # first step: the bottom of the range
    d = gcc_market.pay_at(
        con, "Mendocino", rows, ["Napa County"], date(2016, 7, 1), position="first", cpi_series=cpi
    )
    assert d.set_index("subject_class_code").loc["S503", "annual_as_of"] == 35000.0


def test_first_and_middle_steps(con):
    rows = _rows(_row("Napa County", "Account Clerk II", 2016, 44000))  # no bottom reported
    notes: list[str] = []
    d = gcc_market.pay_at(
        con,
        "Mendocino",
        rows,
        ["Napa County"],
        date(2016, 7, 1),
        position="first",
        cpi_series=inflation.DEFAULT_SERIES,
        notes=notes,
    )
    assert d.empty and any("report no bottom of range" in n for n in notes)
    res = market.run_gap(
        con,
        "Mendocino",
        ["Sonoma", "Napa County"],
        date(2016, 7, 1),
        gcc_rows=rows,
        position="middle",
    )
    assert "Napa County" not in set(res.detail["comparator_agency"])
    assert any("no middle step to compare" in n for n in res.notes)


def test_the_latest_import_of_a_position_wins():
    rows = _rows(
        _row("Napa County", "Account Clerk II", 2016, 44000, import_id=1),
        _row("Napa County", "ACCOUNT  CLERK II", 2016, 45000, import_id=2),
        _row("Napa County", "Planner II", 2016, 70000, import_id=1),
    )
    latest = gcc_market.latest_rows(rows)
    assert sorted(zip(latest["position"], latest["max_salary"], strict=True)) == [
        ("ACCOUNT  CLERK II", 45000.0),
        ("Planner II", 70000.0),
    ]
    summary = gcc_market.agencies_summary(rows).iloc[0]
    assert (summary["positions"], summary["years"]) == (2, "2016")
    assert summary["files"] == "f1.csv (import #1); f2.csv (import #2)"


def test_several_positions_for_one_class_take_the_best_match(con):
    rows = _rows(
        _row("Napa County", "Account Clerk II", 2016, 44000, n=1),
        _row("Napa County", "Acct Clerk II", 2016, 99000, n=9),  # the same title, abbreviated
    )
    d = gcc_market.pay_at(
        con, "Mendocino", rows, ["Napa County"], date(2016, 7, 1), cpi_series="CUUR0000SA0"
    )
    r = d[d["subject_class_code"] == "S503"]
    # both normalize to ACCOUNT CLERK 2 (exact); the tie goes to the most incumbents
    assert r[["position", "annual"]].values.tolist() == [["Acct Clerk II", 99000.0]]


def test_benefits_market_median_across_comparators(con):
    rows = _rows(
        _row("Napa County", "Account Clerk II", 2016, 44000, ret=4000, hdv=12000, dcp=500),
        _row("Lake County", "Account Clerk II", 2016, 42000, ret=3000, hdv=9000),
        _row("Yolo County", "Account Clerk II", 2015, 45000, ret=6000, hdv=15000),
        _row("Yolo County", "Account Clerk II", 2010, 40000, ret=1, hdv=1),
    )
    long = gcc_market.gcc_benefits(con, "Mendocino", date(2016, 7, 1), gcc_rows=rows)
    assert list(long.columns[:8]) == gcc_market.BENEFIT_COLUMNS
    mine = long[long["subject_class_code"] == "S503"].set_index("comparator_agency")
    assert mine.loc["Yolo County", "year"] == 2015  # the year nearest 7/1/2016
    assert mine.loc["Napa County", "label"] == (
        "as reported by the employer to the State Controller for calendar year 2016, not audited"
    )
    m = gcc_market.benefits_market(con, "Mendocino", date(2016, 7, 1), gcc_rows=rows)
    r = m.set_index("subject_class_code").loc["S503"]
    assert (r["retirement_market_median"], r["retirement_n"]) == (4000.0, 3)
    assert (r["health_market_median"], r["health_n"]) == (12000.0, 3)
    assert (r["deferred_comp_market_median"], r["deferred_comp_n"]) == (500.0, 1)
    assert r["comparators"] == "Lake County, Napa County, Yolo County"
    assert r["years"] == "2015, 2016" and "not audited" in r["label"]
    only = gcc_market.benefits_market(
        con, "Mendocino", date(2016, 7, 1), ["Lake County"], gcc_rows=rows
    )
    assert only.set_index("subject_class_code").loc["S503", "retirement_market_median"] == 3000


def test_gcc_benefits_reads_the_stored_imports(con, isolated_env):
    from etl.gcc import importer as gcc_import
    from userdata import gcc

    gcc.save(gcc_import.prepare(REAL_ZIP, REAL_ZIP.name, agencies=[COURT]))
    b = gcc_market.gcc_benefits(con, "Mendocino", date(2016, 7, 1), [COURT], gcc_rows=gcc.rows())
    r = b.set_index("subject_class_code").loc["0124"]
    # Account Specialist II: DefinedBenefitPlanContribution median 2,098 (3 incumbents,
    # EmployeesRetirementCostCovered blank), HealthDentalVision median 7,758
    assert (r["retirement_median"], r["health_median"], r["incumbents"]) == (2098.0, 7758.0, 3)
    assert pd.isna(r["deferred_comp_median"]) and r["year"] == 2016


def test_comparator_names(con):
    rows = _rows(_row("Mendocino County", "Account Clerk II", 2016, 44000))
    with pytest.raises(ValueError, match="your State Controller imports have Mendocino County"):
        market.run_gap(con, "Sonoma", ["Marin County"], date(2016, 7, 1), gcc_rows=rows)
    res = market.run_gap(
        con, "Mendocino", ["Sonoma", "mendocino county"], date(2016, 7, 1), gcc_rows=rows
    )
    assert any("Mendocino County is Mendocino itself" in n for n in res.notes)
    assert set(res.detail["comparator_agency"]) == {"Sonoma"}
    rows = _rows(_row("Sonoma County", "Account Clerk II", 2016, 44000))
    res = market.run_gap(
        con, "Mendocino", ["Sonoma", "Sonoma County"], date(2016, 7, 1), gcc_rows=rows
    )
    assert any("Sonoma and Sonoma County are the same agency" in n for n in res.notes)
