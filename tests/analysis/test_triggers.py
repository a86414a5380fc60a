"""Sonoma 8.19 CPI reopener, recomputed by hand from the published bimonthly BLS values."""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from analysis import triggers
from etl.defaults import RAW_DIR
from etl.rawtext import RawDocument


@pytest.fixture(scope="module")
def clause(con):
    rows = triggers.reopeners(con, "Sonoma")
    assert len(rows) == 1  # 8.19, from the registry
    return rows.iloc[0]


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="CPI data is out of date")
    import cpi

# CPI-U San Francisco-Oakland-Hayward (BLS CUURS49BSA0), published in even months 2003-2007.
PUBLISHED = {
    (2003, 6): 196.3, (2003, 8): 196.3, (2003, 10): 196.3, (2003, 12): 195.3,
    (2004, 2): 198.1, (2004, 4): 198.3, (2004, 6): 199.0, (2004, 8): 198.7,
    (2004, 10): 200.3, (2004, 12): 199.5, (2005, 2): 201.2, (2005, 4): 202.5,
    (2005, 6): 201.2, (2005, 8): 203.0, (2005, 10): 205.9, (2005, 12): 203.4,
    (2006, 2): 207.1, (2006, 4): 208.9, (2006, 6): 209.1, (2006, 8): 210.7,
    (2006, 10): 211.0, (2006, 12): 210.4, (2007, 2): 213.688, (2007, 4): 215.842,
}  # fmt: skip


def test_hand_values_are_the_packages_and_odd_months_are_unpublished():
    for (y, m), value in PUBLISHED.items():
        assert cpi.get(date(y, m, 1), series_id="CUURS49BSA0") == value
    for y, m in [(2004, 5), (2005, 3), (2006, 11)]:
        with pytest.raises(cpi.errors.CPIObjectDoesNotExist):
            cpi.get(date(y, m, 1), series_id="CUURS49BSA0")


def test_reopener_2005_2006_2007(clause):
    # Six bi-monthly values in each twelve months ending April (June ... April).
    avg_2004 = (196.3 + 196.3 + 196.3 + 195.3 + 198.1 + 198.3) / 6
    avg_2005 = (199.0 + 198.7 + 200.3 + 199.5 + 201.2 + 202.5) / 6
    avg_2006 = (201.2 + 203.0 + 205.9 + 203.4 + 207.1 + 208.9) / 6
    avg_2007 = (209.1 + 210.7 + 211.0 + 210.4 + 213.688 + 215.842) / 6

    out = triggers.cpi_reopener(clause)
    assert out["period_end"].tolist() == [date(2005, 4, 30), date(2006, 4, 30), date(2007, 4, 30)]
    assert out["average"].tolist() == pytest.approx([avg_2005, avg_2006, avg_2007])
    assert out["prior_average"].tolist() == pytest.approx([avg_2004, avg_2005, avg_2006])
    assert out["pct_change"].tolist() == pytest.approx(
        [
            (avg_2005 / avg_2004 - 1) * 100,  # about 1.74
            (avg_2006 / avg_2005 - 1) * 100,  # about 2.36
            (avg_2007 / avg_2006 - 1) * 100,  # about 3.35
        ]
    )
    assert out["threshold"].tolist() == [4.5, 4.5, 4.5]
    assert out["triggered"].tolist() == [False, False, False]
    assert out["n_values"].tolist() == [6, 6, 6]
    assert out["months_used"].iloc[0] == "2004-06, 2004-08, 2004-10, 2004-12, 2005-02, 2005-04"
    assert out["prior_months_used"].iloc[0] == (
        "2003-06, 2003-08, 2003-10, 2003-12, 2004-02, 2004-04"
    )
    assert (
        out["note"]
        .str.startswith(
            "CPI-U (all urban consumers) stands in for the CPI-W (urban wage earners and clerical "
            "workers) the text names; the package ships CPI-U only"
        )
        .all()
    )


def test_threshold_is_inclusive(clause):
    # "rises to 4.5% or above": a threshold equal to the change triggers.
    change = triggers.cpi_reopener(clause, years=(2007,))["pct_change"].iloc[0]
    assert triggers.cpi_reopener(clause, years=(2007,), threshold=change)["triggered"].iloc[0]
    above = triggers.cpi_reopener(clause, years=(2007,), threshold=change + 0.01)
    assert not above["triggered"].iloc[0]


def test_monthly_series_uses_twelve_values_and_says_so(clause):
    out = triggers.cpi_reopener(clause, series="CUUR0000SA0")
    assert out["n_values"].tolist() == [12, 12, 12]
    assert "not the 6 the text names" in out["note"].iloc[0]


def test_quote_is_at_the_cited_line(clause):
    doc = RawDocument.load(RAW_DIR / "sonoma_seiu707_mou_2002_2008.txt")
    line, _ = doc.require(clause["quote"])
    cited = clause["source_ref"]
    assert cited == f"{doc.name}:{line} §8.19"
    assert doc.line(line - 1).startswith("8.19\tSalary Reopener - CPI")
    assert "Urban Wage Earners and Clerical Workers" in doc.line(line)


def test_window_outside_the_data_is_an_error(clause):
    with pytest.raises(ValueError, match="reach outside the bundled CPI data"):
        triggers.cpi_reopener(clause, years=(2099,))
