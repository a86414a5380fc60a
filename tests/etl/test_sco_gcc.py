"""etl.gcc.reader.read_gcc on the real 2016 Superior Court export and on small files made for
each variant of the format (older layouts, encodings, ZIP trouble, bad cells)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from etl.defaults import MAX_PROBLEMS
from etl.errors import GccImportError
from etl.gcc import archive as gcc_archive
from etl.gcc.reader import RESULT_COLUMNS, read_gcc

DATA = Path(__file__).resolve().parent.parent / "data"
REAL_ZIP = DATA / "2016_SuperiorCourt.zip"

HEADER_28 = [
    "Year",
    "EmployerType",
    "EmployerName",
    "DepartmentOrSubdivision",
    "Position",
    "ElectedOfficial",
    "Judicial",
    "OtherPositions",
    "MinPositionSalary",
    "MaxPositionSalary",
    "ReportedBaseWage",
    "RegularPay",
    "OvertimePay",
    "LumpSumPay",
    "OtherPay",
    "TotalWages",
    "DefinedBenefitPlanContribution",
    "EmployeesRetirementCostCovered",
    "DeferredCompensationPlan",
    "HealthDentalVision",
    "TotalRetirementAndHealthContribution",
    "PensionFormula",
    "EmployerURL",
    "EmployerPopulation",
    "LastUpdatedDate",
    "EmployerCounty",
    "SpecialDistrictActivities",
    "IncludesUnfundedLiability",
]


def _quoted(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


def gcc_row(
    employer="Napa",
    position="Planner II",
    lo="60000",
    hi="75000",
    *,
    year="2016",
    kind="County",
    dept="Planning",
    dbp="1000",
    erc="0",
    dcp="0",
    hdv="12000",
    county="Napa",
    extra: tuple[str, ...] = (),
) -> list[str]:
    cells = dict.fromkeys(HEADER_28, "")
    cells.update(
        Year=year, EmployerType=kind, EmployerName=employer, DepartmentOrSubdivision=dept,
        Position=position, MinPositionSalary=lo, MaxPositionSalary=hi,
        DefinedBenefitPlanContribution=dbp, EmployeesRetirementCostCovered=erc,
        DeferredCompensationPlan=dcp, HealthDentalVision=hdv, EmployerCounty=county,
    )  # fmt: skip
    return [cells[h] for h in HEADER_28] + list(extra)


def gcc_csv(rows: list[list[str]], header: list[str] | None = None, lead: str = "") -> str:
    lines = [_quoted(header or HEADER_28)] + [_quoted(r) for r in rows]
    return lead + "\r\n".join(lines) + "\r\n"


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def problems_of(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value)


# The real file -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return read_gcc(REAL_ZIP, REAL_ZIP.name)


def test_real_file_shape(real):
    assert real.records == 19125
    assert real.member == "2016_SuperiorCourt.csv"
    assert len(real.employers) == 55
    assert real.rows["employer_name"].nunique() == 55
    assert list(real.rows.columns) == RESULT_COLUMNS
    assert real.years == [2016]
    # 105 rows report no range (blank or zero MaxPositionSalary): skipped and counted
    assert real.skipped.set_index("reason")["rows"].to_dict() == {
        "blank or zero MaxPositionSalary": 105
    }
    assert real.rows_used + real.skipped_total == real.records
    assert real.header_row == 1
    assert "SpecialDistrictActivities" in real.columns_ignored


def test_real_file_one_position_by_hand(real):
    """Calaveras County Superior Court, Court Reporter: CSV rows 216, 217 and 218."""
    r = real.rows.set_index(["employer_name", "position"]).loc[
        ("Calaveras County Superior Court", "Court Reporter")
    ]
    # rows 216 and 218 report 55368-67308, row 217 58180-70718: the common pair is kept
    assert (r["incumbents"], r["min_salary"], r["max_salary"]) == (3, 55368, 67308)
    assert (r["ranges"], r["range_incumbents"]) == (2, 2)
    assert r["note"] == "2 ranges reported; kept the most common, 2 of 3 incumbents"
    # DefinedBenefitPlanContribution 0, 10862, 6434; HealthDentalVision 0, 19382, 7160
    assert r["defined_benefit_median"] == 6434
    assert r["defined_benefit_mean"] == pytest.approx((0 + 10862 + 6434) / 3)
    assert r["health_dental_vision_median"] == 7160
    assert r["health_dental_vision_mean"] == pytest.approx((0 + 19382 + 7160) / 3)
    assert r["retirement_covered_mean"] == 0 and r["deferred_comp_median"] == 0
    # retirement per incumbent = defined benefit + share covered: 0, 10862, 6434
    assert r["retirement_median"] == 6434
    assert r["retirement_mean"] == pytest.approx((0 + 10862 + 6434) / 3)
    assert r["first_row"] == 216 and r["department"] == "Courtroom"
    assert r["employer_county"] == "Calaveras" and r["employer_type"] == "Superior Court"
    assert "2016_SuperiorCourt.zip" in r["source"] and "row 216" in r["source"]
    assert "'Court Reporter'" in r["source"] and "2016" in r["source"]


def test_real_file_filter_by_agency(real):
    got = read_gcc(
        REAL_ZIP.read_bytes(),
        REAL_ZIP.name,
        agencies=["Mendocino County Superior Court", "county of napa", "Nowhere County"],
        year=2016,
    )
    assert set(got.rows["employer_name"]) == {"Mendocino County Superior Court"}
    assert got.unmatched == ["county of napa", "Nowhere County"]
    assert got.matches["employer_name"].tolist() == ["Mendocino County Superior Court"]
    assert set(got.rows["requested"]) == {"Mendocino County Superior Court"}
    mendo = real.rows[real.rows["employer_name"] == "Mendocino County Superior Court"]
    assert len(got.rows) == len(mendo)


def test_real_file_other_year_is_empty():
    got = read_gcc(REAL_ZIP, REAL_ZIP.name, year=2015)
    assert got.rows.empty and got.records == 19125


def test_progress_goes_from_0_to_1():
    seen: list[tuple[float, str]] = []
    read_gcc(REAL_ZIP, REAL_ZIP.name, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    messages = " ".join(m for _, m in seen)
    for stage in ("extracting", "reading", "aggregating"):
        assert stage in messages


# Layout variants -----------------------------------------------------------------------------

OLD_HEADER = [
    "Year", "Entity Type", "Entity Name", "Department / Subdivision", "Position",
    "Elected Official", "Judicial", "Other Positions", "Min Classification Salary",
    "Max Classification Salary", "Reported Base Wage", "Regular Pay", "Overtime Pay",
    "Lump-Sum Pay", "Other Pay", "Total Wages", "Defined Benefit Plan Contribution",
    "Employees Retirement Cost Covered", "Deferred Compensation Plan", "Health Dental Vision",
    "Total Retirement and Health Cost", "Pension Formula", "Entity URL", "Entity Population",
    "Last Updated", "Entity County", "Special District Activities",
]  # fmt: skip

DISCLAIMER = (
    "Government Compensation in California - Cities 2012\r\n"
    '"Data are reported by each employer and have not been audited, by the State Controller"\r\n'
    "Part-time and full-time employees are not distinguished.\r\n"
    "\r\n"
)


def test_old_layout_with_four_disclaimer_lines():
    rows = [r[:27] for r in (gcc_row("Ukiah", kind="City", year="2012"),) * 2]
    rows.append(gcc_row("Ukiah", "Clerk", "30000", "40000", kind="City", year="2012")[:27])
    data = gcc_csv(rows, OLD_HEADER, lead=DISCLAIMER).encode("windows-1252")
    got = read_gcc(data, "2012_City.csv", agencies=["City of Ukiah"])
    assert got.header_row == 5
    assert got.rows["agency"].tolist() == ["City of Ukiah", "City of Ukiah"]
    clerk, planner = got.rows.itertuples(index=False)
    assert (planner.position, planner.incumbents, planner.max_salary) == ("Planner II", 2, 75000)
    # the header is row 5 (after 4 disclaimer lines); the first data row is row 6
    assert (planner.first_row, clerk.first_row) == (6, 8)
    assert planner.year == 2012 and planner.employer_county == "Napa"


def test_29th_column_and_unknown_extras_are_ignored():
    header = [*HEADER_28, "SpecialDistrictType", "Something New"]
    rows = [gcc_row(extra=("Water", "x")), gcc_row(hi="76000", extra=("Water", "y"))]
    got = read_gcc(gcc_csv(rows, header).encode(), "2019_County.csv")
    assert {"SpecialDistrictType", "Something New"} <= set(got.columns_ignored)
    assert got.rows["ranges"].tolist() == [2]
    # a tie between two ranges keeps the higher max
    assert got.rows["max_salary"].tolist() == [76000]


def test_headers_match_case_and_space_insensitively():
    header = [h.upper() if i % 2 else h.lower() for i, h in enumerate(HEADER_28)]
    header[2] = " Employer  Name "
    got = read_gcc(gcc_csv([gcc_row()], header).encode(), "x.csv")
    assert got.rows["position"].tolist() == ["Planner II"]


def test_column_named_twice_is_an_error():
    header = list(HEADER_28)
    header[7] = "Position"  # OtherPositions renamed: two Position columns
    with pytest.raises(GccImportError, match="'Position'.*named twice|Position named twice"):
        read_gcc(gcc_csv([gcc_row()], header).encode(), "dup.csv")
    header = list(HEADER_28)
    header[7] = "Entity Name"  # the old and new name of one column
    with pytest.raises(GccImportError, match="EmployerName.*Entity Name.*named twice"):
        read_gcc(gcc_csv([gcc_row()], header).encode(), "dup.csv")


def test_missing_required_columns_are_named():
    header = [h for h in HEADER_28 if h not in ("MaxPositionSalary", "Year")]
    rows = [[c for h, c in zip(HEADER_28, gcc_row(), strict=True) if h in header]]
    with pytest.raises(GccImportError, match=r"row 1: missing required column\(s\): Year, Max"):
        read_gcc(gcc_csv(rows, header).encode(), "m.csv")


def test_not_a_gcc_file():
    with pytest.raises(GccImportError, match="not a Government Compensation"):
        read_gcc(b"a,b,c\n1,2,3\n", "other.csv")
    with pytest.raises(GccImportError, match="empty"):
        read_gcc(b"", "empty.csv")
    with pytest.raises(GccImportError, match="header but no data rows"):
        read_gcc(gcc_csv([]).encode(), "h.csv")
    with pytest.raises(GccImportError, match="UTF-16"):
        read_gcc(gcc_csv([gcc_row()]).encode("utf-16"), "u16.csv")
    with pytest.raises(GccImportError, match="binary"):
        read_gcc(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.csv")


def test_ragged_row_fails_with_its_line():
    text = gcc_csv([gcc_row(), gcc_row()[:20], gcc_row()])
    with pytest.raises(GccImportError) as info:
        read_gcc(text.encode(), "ragged.csv")
    assert "row 3" in str(info.value) and "has 20 cells; the header has 28" in str(info.value)


# Encodings -----------------------------------------------------------------------------------


def test_windows_1252_bytes_come_out_right():
    rows = [gcc_row("Napa", "Planner \u2013 Senior", dept="Caf\u00e9 \u2019Ops\u2019")]
    data = gcc_csv(rows).encode("windows-1252")
    assert b"\x96" in data and b"\x92" in data and b"\xe9" in data
    got = read_gcc(data, "1252.csv", agencies=["Napa County"])
    assert got.encoding == "windows-1252"
    r = got.rows.iloc[0]
    assert r["position"] == "Planner \u2013 Senior"
    assert r["department"] == "Caf\u00e9 \u2019Ops\u2019"
    assert r["agency"] == "Napa County"


def test_utf8_file_reads_the_same():
    rows = [gcc_row("Napa", "Planner \u2013 Senior", dept="Caf\u00e9")]
    a = read_gcc(gcc_csv(rows).encode("windows-1252"), "a.csv").rows
    b = read_gcc(gcc_csv(rows).encode("utf-8"), "a.csv").rows
    c = read_gcc(gcc_csv(rows).encode("utf-8-sig"), "a.csv").rows
    assert a.drop(columns="source").equals(b.drop(columns="source"))
    assert b.equals(c)
    assert b["position"].tolist() == ["Planner \u2013 Senior"]


# Aggregation ---------------------------------------------------------------------------------


def test_mixed_ranges_keep_the_most_common_pair():
    rows = [gcc_row(hi="75000", dbp=str(d)) for d in (100, 200, 300)]
    rows += [gcc_row(lo="61000", hi="80000", dbp="400"), gcc_row(lo="", hi="90000", dbp="")]
    got = read_gcc(gcc_csv(rows).encode(), "mix.csv").rows.iloc[0]
    assert (got["incumbents"], got["min_salary"], got["max_salary"]) == (5, 60000, 75000)
    assert got["note"] == "3 ranges reported; kept the most common, 3 of 5 incumbents"
    # a blank benefit cell is not a zero: median and mean of 100, 200, 300, 400
    assert got["defined_benefit_median"] == 250 and got["defined_benefit_mean"] == 250


def test_money_formats_and_min_above_max():
    rows = [gcc_row(lo="$1,234.50", hi="$75,000.00"), gcc_row("Lake", lo="90000", hi="80000.5")]
    got = read_gcc(gcc_csv(rows).encode(), "m.csv").rows.set_index("employer_name")
    assert got.loc["Napa", "min_salary"] == 1234.5 and got.loc["Napa", "max_salary"] == 75000
    assert got.loc["Lake", "max_salary"] == 80000.5
    assert got.loc["Lake", "min_salary"] != got.loc["Lake", "min_salary"]  # blank (NaN)


def test_blank_and_implausible_salaries_are_skipped_and_counted():
    rows = [
        gcc_row(),
        gcc_row(position="Supervisor, Board of", lo="", hi=""),
        gcc_row(position="Per Diem", lo="0", hi="0"),
        gcc_row(position="Hourly", lo="20", hi="25.50"),
        gcc_row(position="Typo", lo="1", hi="99999999"),
        gcc_row(position=""),
    ]
    got = read_gcc(gcc_csv(rows).encode(), "skip.csv")
    assert got.rows["position"].tolist() == ["Planner II"]
    skipped = got.skipped.set_index("reason")
    assert skipped.loc["blank or zero MaxPositionSalary", "rows"] == 2
    assert skipped.loc["blank or zero MaxPositionSalary", "example_rows"] == [3, 4]
    assert skipped.loc["MaxPositionSalary over $4,160,000 a year", "example_rows"] == [6]
    assert skipped.filter(like="under $1,000", axis=0)["example_rows"].iloc[0] == [5]
    assert skipped.loc["blank Position", "rows"] == 1
    assert got.skipped_total == 5


def test_bad_cells_fail_with_row_and_column():
    rows = [gcc_row(), gcc_row(hi="abc"), gcc_row(year="20x6"), gcc_row(year="2001")]
    rows += [gcc_row(dbp="12,34"), gcc_row(hdv="1e5")]
    with pytest.raises(GccImportError) as info:
        read_gcc(gcc_csv(rows).encode(), "bad.csv")
    text = str(info.value)
    assert "5 problems" in text
    assert "row 3, column 'MaxPositionSalary': 'abc' is not an amount of dollars" in text
    assert "row 4, column 'Year': '20x6' is not a year from 2009" in text
    assert "row 5, column 'Year'" in text
    assert "row 6, column 'DefinedBenefitPlanContribution'" in text
    assert "row 7, column 'HealthDentalVision'" in text


def test_many_bad_cells_are_capped():
    rows = [gcc_row(hi="n/a") for _ in range(MAX_PROBLEMS + 15)]
    with pytest.raises(GccImportError) as info:
        read_gcc(gcc_csv(rows).encode(), "bad.csv")
    assert info.value.total == MAX_PROBLEMS + 15 and len(info.value.problems) == MAX_PROBLEMS
    assert str(info.value).endswith("... and 15 more")


def test_bad_cells_of_other_agencies_do_not_block_the_asked_for_one():
    rows = [gcc_row(), gcc_row("Lake", hi="abc")]
    got = read_gcc(gcc_csv(rows).encode(), "x.csv", agencies=["Napa County"])
    assert got.rows["employer_name"].tolist() == ["Napa"]
    with pytest.raises(GccImportError, match="row 3"):
        read_gcc(gcc_csv(rows).encode(), "x.csv")


def test_city_and_county_of_the_same_name_are_apart():
    rows = [gcc_row("Napa", kind="County"), gcc_row("Napa", kind="City", hi="70000")]
    got = read_gcc(gcc_csv(rows).encode(), "x.csv", agencies=["Napa County"])
    assert got.rows[["agency", "max_salary"]].values.tolist() == [["Napa County", 75000]]
    got = read_gcc(gcc_csv(rows).encode(), "x.csv", agencies=["City of Napa"])
    assert got.rows[["agency", "max_salary"]].values.tolist() == [["City of Napa", 70000]]


def test_repeated_header_rows_are_not_data():
    text = gcc_csv([gcc_row()]) + _quoted(HEADER_28) + "\r\n" + _quoted(gcc_row()) + "\r\n"
    got = read_gcc(text.encode(), "two.csv")
    assert got.records == 2 and got.rows["incumbents"].tolist() == [2]


# ZIP trouble ---------------------------------------------------------------------------------


def test_zip_with_the_csv_reads_like_the_csv():
    data = gcc_csv([gcc_row()]).encode()
    a = read_gcc(zipped({"2016_County.csv": data}), "2016_County.zip")
    b = read_gcc(data, "2016_County.zip")
    assert a.member == "2016_County.csv"
    assert a.rows.drop(columns="source").equals(b.rows.drop(columns="source"))


def test_zip_with_no_csv():
    with pytest.raises(GccImportError, match="no CSV file.*readme.txt"):
        read_gcc(zipped({"readme.txt": b"hello"}), "x.zip")


def test_zip_with_two_csvs():
    data = gcc_csv([gcc_row()]).encode()
    with pytest.raises(GccImportError, match="2 CSV files"):
        read_gcc(zipped({"a.csv": data, "b.csv": data}), "x.zip")


def test_truncated_zip(tmp_path):
    whole = REAL_ZIP.read_bytes()
    for cut in (len(whole) // 2, len(whole) - 30):
        with pytest.raises(GccImportError, match="damaged or truncated|cannot be read"):
            read_gcc(whole[:cut], "2016_SuperiorCourt.zip")
    path = tmp_path / "cut.zip"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(GccImportError, match="damaged or truncated"):
        read_gcc(path, "cut.zip")


def test_corrupt_zip_member():
    whole = bytearray(REAL_ZIP.read_bytes())
    whole[200:260] = b"\x00" * 60  # inside the deflated data
    with pytest.raises(GccImportError, match="damaged|cannot be read"):
        read_gcc(bytes(whole), "2016_SuperiorCourt.zip")


def test_zip_bomb_by_ratio():
    bomb = zipped({"bomb.csv": b"0" * (40 * 1024**2)})  # 40 MB of one byte, ~1000:1
    assert len(bomb) < 100_000
    with pytest.raises(GccImportError, match="compresses .*:1.*ZIP bomb"):
        read_gcc(bomb, "bomb.zip")


def test_zip_bomb_by_declared_size(monkeypatch):
    monkeypatch.setattr(gcc_archive, "MAX_CSV_BYTES", 1000)
    data = zipped({"big.csv": gcc_csv([gcc_row()] * 20).encode()})
    with pytest.raises(GccImportError, match="declares .* bytes uncompressed.*ZIP bomb"):
        read_gcc(data, "big.zip")


def test_zip_bomb_by_actual_size(monkeypatch):
    """A member whose header under-declares its size is stopped by the byte cap as it
    streams, whatever the header says."""
    data = gcc_csv([gcc_row()] * 200).encode()
    monkeypatch.setattr(gcc_archive, "MAX_CSV_BYTES", len(data) - 1)
    # skip the declared-size check, as a forged header would
    monkeypatch.setattr(gcc_archive, "_csv_member", lambda zf, fn: zf.infolist()[0])
    with pytest.raises(GccImportError, match="larger than .* uncompressed.*ZIP bomb"):
        read_gcc(zipped({"big.csv": data}), "big.zip")


def test_bytes_are_not_copied_for_a_zip(monkeypatch):
    """The ZIP handed in as bytes is read through a view: no second copy in memory."""
    seen = []
    real_reader = gcc_archive._ViewReader

    class Spy(real_reader):
        def __init__(self, view):
            seen.append(view.obj)
            super().__init__(view)

    monkeypatch.setattr(gcc_archive, "_ViewReader", Spy)
    data = REAL_ZIP.read_bytes()
    read_gcc(data, REAL_ZIP.name)
    assert seen and seen[0] is data


def test_no_requested_agency_matches():
    got = read_gcc(gcc_csv([gcc_row()]).encode(), "x.csv", agencies=["Lake County"])
    assert got.rows.empty and got.unmatched == ["Lake County"] and got.matches.empty
    assert list(got.rows.columns) == RESULT_COLUMNS


def test_file_without_employer_type_keeps_the_name():
    header = [h for h in HEADER_28 if h != "EmployerType"]
    rows = [[c for h, c in zip(HEADER_28, gcc_row(), strict=True) if h != "EmployerType"]]
    got = read_gcc(gcc_csv(rows, header).encode(), "x.csv", agencies=["Napa"])
    assert got.rows[["agency", "employer_type"]].values.tolist() == [["Napa", None]]


def test_windows_1252_header_and_disclaimer():
    """Non-ASCII bytes in the disclaimer lines and an en dash in a header name."""
    header = [*HEADER_28, "Notes \u2013 extra"]
    lead = "Government Compensation in California \u2013 2012 \u00a9 SCO\r\n"
    data = gcc_csv([gcc_row(extra=("x",))], header, lead=lead).encode("windows-1252")
    got = read_gcc(data, "x.csv")
    assert got.header_row == 2 and got.rows["first_row"].tolist() == [3]
    assert "Notes \u2013 extra" in got.columns_ignored


def test_retirement_adds_the_two_costs_per_incumbent():
    rows = [
        gcc_row(dbp="1000", erc="500"),
        gcc_row(dbp="3000", erc=""),  # a blank share covered counts 0 beside a reported cost
        gcc_row(dbp="", erc=""),  # reports neither: not in the median
        gcc_row(dbp="100", erc="9000"),
    ]
    r = read_gcc(gcc_csv(rows).encode(), "r.csv").rows.iloc[0]
    assert r["retirement_median"] == 3000  # of 1500, 3000, 9100
    assert r["retirement_mean"] == pytest.approx((1500 + 3000 + 9100) / 3)
    assert r["defined_benefit_median"] == 1000  # of 1000, 3000, 100: not the same as the sum


def test_a_long_position_title_is_refused():
    with pytest.raises(GccImportError, match="column 'Position': 'xxxx.*' is longer than 200"):
        read_gcc(gcc_csv([gcc_row(position="x" * 201)]).encode(), "long.csv")


def test_semicolons_are_named():
    text = "Year;EmployerName;Position;MaxPositionSalary\n2016;Napa;Clerk;50000\n"
    with pytest.raises(GccImportError, match="row 1: the columns are separated by semicolons"):
        read_gcc(text.encode(), "semi.csv")
