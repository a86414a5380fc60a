"""Write the binary members of the salary-table corpus (workbooks; files whose bytes matter:
Windows-1252, mixed encodings, UTF-16, a PNG or a workbook under a .csv name). The CSV files
beside them are written by hand. Run from the repository root after changing this script:

    .venv/bin/python tests/data/schedules/make_schedules.py

The outputs are committed so they can also be uploaded by hand.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(64)


def save(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet(wb: openpyxl.Workbook, title: str, rows: list[list], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    for row in rows:
        ws.append(row)
    return ws


def wide_letters() -> bytes:
    """Biweekly ranges A-E, title rows, a code stored as a number, blank / 0 / N/A steps."""
    wb = openpyxl.Workbook()
    sheet(
        wb,
        "Biweekly",
        [
            ["Example Water District"],
            ["Biweekly Salary Ranges", None, None, None, None, None, None],
            ["Class #", "Classification", "A", "B", "C", "D", "E¹"],
            ["W-10", "Water Treatment Operator I", 2000.0, 2100.0, 2205.0, 2315.25, 2431.01],
            ["W-11", "Water Treatment Operator II", 2205.0, 2315.25, 2431.01, 2552.56, None],
            [4410, "Meter Reader", 1800, 1890, 0, "N/A", None],
            [None],
            ["¹ Step E requires a Grade III certificate."],
        ],
        first=True,
    )
    sheet(wb, "Notes", [["Adopted by the Board on 6/15/2024."], ["See the MOU for rules."]])
    return save(wb)


def grade_chart() -> bytes:
    """Mendocino-like Attachments B and C as two sheets, behind a cover sheet."""
    wb = openpyxl.Workbook()
    sheet(wb, "Cover", [["Memorandum of Understanding"], ["Attachments B and C"]], first=True)
    grades = [
        ["S24A", 13.18, 13.84, 14.53, 15.26, 16.02, 1054.40, 1281.60],
        ["S24B", 13.50, 14.18, 14.89, 15.63, 16.41, 1080.00, 1312.80],
        ["S26B", 14.88, 15.62, 16.40, 17.22, 18.08, 1190.40, 1446.40],
        ["S28B", 16.44, 17.26, 18.12, 19.03, 19.98, 1315.20, 1598.40],
    ]
    head = ["Grade", "Step 1", "Step 2", "Step 3", "Step 4", "Step 5"]
    sheet(
        wb,
        "Attachment B",
        [["SEIU - GRADE CHART"], [*head, "Bi-wkly Step 1", "Bi-wkly Step 5"], *grades],
    )
    sheet(
        wb,
        "Attachment C",
        [
            ["Job Class Code", "Classification Title", "Grade"],
            ["S502", "ACCOUNT CLERK I", "S24B"],
            ["S503", "ACCOUNT CLERK II", "S26B"],
            ["S504", "ACCOUNT CLERK III", "S28B"],
            ["S535", "OFFICE ASSISTANT II", "S24A"],
        ],
    )
    return save(wb)


def long_merged() -> bytes:
    """Long form whose class code and title cells are merged down over the step rows."""
    wb = openpyxl.Workbook()
    ws = sheet(
        wb,
        "Schedule",
        [
            ["Sample Sanitation District - Annual Salaries", None, None, None],
            ["Effective", datetime(2024, 7, 1), None, None],
            ["Job Code", "Job Title", "Step", "Annual Salary"],
            ["5001", "Plant Mechanic", 1, 62400],
            [None, None, 2, 65520],
            [None, None, 3, 68796],
            ["5002", "Plant Electrician", 1, 68640],
            [None, None, 2, 72072],
        ],
        first=True,
    )
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B6")
    ws.merge_cells("A7:A8")
    ws.merge_cells("B7:B8")
    return save(wb)


def long_row_dates() -> bytes:
    """Long form with an "Effective Date" column of real date cells: a date merged down over
    its block's rows (E5:E7), a blank row between the two dates' blocks, and one date stored
    as a bare serial number (a cell not formatted as a date)."""
    wb = openpyxl.Workbook()
    ws = sheet(
        wb,
        "Schedule",
        [
            ["Harbor Transit District - Monthly Salaries", None, None, None, None],
            [None],
            ["Job Code", "Job Title", "Step", "Monthly Salary", "Effective Date"],
            ["T10", "Bus Operator", 1, 5200.00, datetime(2024, 7, 1)],
            ["T10", "Bus Operator", 2, 5460.00, datetime(2024, 7, 1)],
            ["T20", "Transit Mechanic", 1, 6100.00, None],
            ["T20", "Transit Mechanic", 2, 6405.00, None],
            [None],
            ["T10", "Bus Operator", 1, 5356.00, datetime(2025, 7, 1)],
            ["T10", "Bus Operator", 2, 5623.80, datetime(2025, 7, 1)],
            ["T20", "Transit Mechanic", 1, 6283.00, 45839],  # 2025-07-01 as a serial
            ["T20", "Transit Mechanic", 2, 6597.15, datetime(2025, 7, 1)],
        ],
        first=True,
    )
    for row in (4, 5, 9, 10, 12):
        ws.cell(row, 5).number_format = "mm/dd/yyyy"
    ws.merge_cells("E5:E7")
    return save(wb)


def formula_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = sheet(
        wb,
        "Schedule",
        [
            ["Class Code", "Class Title", "Step 1", "Step 2"],
            ["1001", "OFFICE ASSISTANT I", 18.5, 19.43],
            ["1002", "OFFICE ASSISTANT II", 20.0, None],
        ],
        first=True,
    )
    ws["D3"] = "=C3*1.05"
    return save(wb)


def windows_1252() -> bytes:
    text = (
        "Class Code,Class Title,Step,Hourly Rate\r\n"
        "7001,Café Attendant,1,17.00\r\n"
        "7001,Café Attendant,2,17.85\r\n"
        "7002,Señor Groundskeeper – Lead,1,24.00\r\n"
    )
    return text.encode("cp1252")


def mixed_encoding() -> bytes:
    """UTF-8 throughout, except one row pasted from a Windows-1252 file (row 4): read line by
    line, both are right."""
    good = "Class Code,Class Title,Step,Hourly Rate\r\n7001,Café Attendant,1,17.00\r\n"
    good += "7001,Café Attendant,2,17.85\r\n"
    return good.encode("utf-8") + b"7002,Caf\xe9 Cook,1,19.00\r\n"


def mixed_in_one_row() -> bytes:
    """Row 4 holds UTF-8 'é' and a Windows-1252 byte 0xE9: neither reading is right."""
    good = "Class Code,Class Title,Step,Hourly Rate\r\n7001,Café Attendant,1,17.00\r\n"
    good += "7001,Café Attendant,2,17.85\r\n"
    return good.encode("utf-8") + "7002,Café ".encode() + b"Caf\xe9 Cook,1,19.00\r\n"


def main() -> None:
    files = {
        HERE / "wide_letters.xlsx": wide_letters(),
        HERE / "grade_chart.xlsx": grade_chart(),
        HERE / "long_merged.xlsx": long_merged(),
        HERE / "long_row_dates.xlsx": long_row_dates(),
        HERE / "windows1252.csv": windows_1252(),
        HERE / "mixed_encoding.csv": mixed_encoding(),
        BAD / "mixed_in_one_row.csv": mixed_in_one_row(),
        BAD / "formula.xlsx": formula_workbook(),
        BAD / "utf16.csv": "Class Code,Class Title\r\n1001,A\r\n".encode("utf-16"),
        BAD / "png_named.csv": PNG,
        BAD / "xlsx_named.csv": formula_workbook(),
        BAD / "csv_named.xlsx": b"Class Code,Class Title,Step,Hourly Rate\n1001,A,1,18.50\n",
    }
    for path, data in files.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE)} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
