"""Write the realistic salary tables (the values they hold are in real_tables.py), shaped as
unions and counties publish them:

- state_lookup.csv: a union's state-wide salary lookup: one row per class and step, three
  coalitions listing the same classes with different pay, a column per pay date labelled in
  words ("Current monthly pay", "2024 monthly pay", "Effective 7/1/2025"), derived columns, codes
  naming two titles, classes without codes, a coalition whose codes and titles are printed
  once over their steps (merged cells), title rows above the header;
- county_schedule.pdf: a 40-page county schedule: a title block, the column header printed on
  every page over two lines, page footers, series headings, titles wrapped in their cell, two
  sections dated by their headings ("Effective July 1, 2024"; "Salary Schedule FY 2025-26"),
  money as "$4,155" in one and "4,279.65" in the other;
- long_ruled.pdf: a 3-page long schedule drawn as a ruled table, codes and titles printed once
  over their steps, the same pay hourly, biweekly and annually;
- scanned.pdf: pictures of pages, no text;
- units_by_sheet.xlsx: a sheet per bargaining unit, title rows above each header;
- dated_by_sheet.xlsx: a sheet per fiscal year.

Run from the repository root after changing this script or real_tables.py:

    .venv/bin/python tests/data/schedules/make_real_schedules.py
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

import real_tables as rt  # noqa: E402

# The union's lookup ------------------------------------------------------------------------------


def _money(x: int) -> str:
    return f"{x:,}"


def state_lookup() -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["STATE EMPLOYEES UNION - SALARY LOOKUP"])
    w.writerow(["Generated 3/1/2024 from the State's compensation plan. Amounts are monthly."])
    w.writerow([])
    w.writerow(
        [
            "Coalition",
            "Job Class",
            "Job Title",
            "Salary Range",
            "Step",
            "Current monthly pay",
            "2024 monthly pay",
            "Effective 7/1/2025",
            "Monthly difference",
            "% change",
        ]
    )
    for u, coalition in enumerate(rt.COALITIONS):
        first_of_unit = True
        for c in rt.lookup_classes():
            if not rt.lookup_rows(c, u):
                continue
            for s, step in enumerate(rt.LOOKUP_STEPS):
                pays = [rt.lookup_monthly(c, u, s, d) for d in range(3)]
                code = "" if u == 2 or (u == 0 and c.k in rt.NOT_YET_CODED) else c.code
                title, grade = c.title, str(c.range)
                if u == 1 and s > 0:  # codes, titles and ranges merged over their steps
                    code = title = grade = ""
                unit = coalition if (u != 1 or first_of_unit) else ""
                first_of_unit = False
                diff = pays[2] - pays[1]
                w.writerow(
                    [
                        unit,
                        code,
                        title,
                        grade,
                        step,
                        *map(_money, pays),
                        _money(diff),
                        f"{diff / pays[1]:.1%}",
                    ]
                )
    return out.getvalue().encode()


# The county's PDF --------------------------------------------------------------------------------

PAGE_W, PAGE_H = 792, 612
X_CODE, X_TITLE, X_RANGE, X_STEPS, STEP_W = 36, 90, 330, 390, 78
TITLE_W = 230
ROW = 12
WRAP = 8.5
TOP, BOTTOM = 112, 560
SECTION_PAGES = 20


class _County:
    def __init__(self):
        from fpdf import FPDF

        self.pdf = FPDF(orientation="L", unit="pt", format="letter")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creator("Example HR system")
        self.pages = 0
        self.y = 0.0

    def text(self, x, y, w, s, align="L", size=8, bold=False):
        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        self.pdf.set_xy(x, y)
        self.pdf.cell(w, ROW, s, align=align)

    def page(self, section: int, total: int):
        self.pdf.add_page()
        self.pages += 1
        self.text(36, 24, 720, "COUNTY OF EXAMPLE", "C", 12, True)
        self.text(36, 38, 720, "HUMAN RESOURCES DEPARTMENT", "C", 9)
        if section == 0:
            self.text(36, 52, 720, "Salary Schedule - Monthly Rates", "C", 10, True)
            self.text(36, 64, 720, "Effective July 1, 2024", "C", 10)
        else:
            self.text(36, 52, 720, "Salary Schedule FY 2025-26", "C", 10, True)
            self.text(36, 64, 720, "Monthly Rates", "C", 10)
        self.text(X_CODE, 84, 50, "Class", bold=True)
        self.text(X_STEPS, 84, STEP_W * 5, "Monthly Salary by Step", "C", bold=True)
        self.text(X_CODE, 94, 50, "Code", bold=True)
        self.text(X_TITLE, 94, TITLE_W, "Classification Title", bold=True)
        self.text(X_RANGE, 94, 50, "Range", "R", bold=True)
        for i, letter in enumerate(rt.LETTERS):
            self.text(X_STEPS + i * STEP_W, 94, STEP_W, letter, "R", bold=True)
        self.pdf.line(36, 107, 756, 107)
        self.text(36, 576, 200, "Printed 6/20/2024")
        self.text(556, 576, 200, f"Page {self.pages} of {total}", "R")
        self.y = TOP

    def heading(self, series: str):
        self.y += 3
        self.text(X_CODE, self.y, 300, f"{series} SERIES", bold=True)
        self.y += ROW + 1

    def row(self, c: rt.CountyClass, section: int):
        self.text(X_CODE, self.y, 50, c.code)
        extra = self.extra_lines(c)
        if extra:  # wrapped in its cell, the lines set tight
            self.pdf.set_xy(X_TITLE, self.y + 2)
            self.pdf.multi_cell(TITLE_W - 30, WRAP, c.title, align="L")
        else:
            self.text(X_TITLE, self.y, TITLE_W, c.title)
        self.text(X_RANGE, self.y, 50, str(c.range), "R")
        for i in range(5):
            x = rt.county_monthly(c, i, section)
            shown = f"${x:,.0f}" if section == 0 else f"{x:,.2f}"
            self.text(X_STEPS + i * STEP_W, self.y, STEP_W, shown, "R")
        self.y += ROW + WRAP * extra

    def extra_lines(self, c: rt.CountyClass) -> int:
        self.pdf.set_font("Helvetica", "", 8)
        if self.pdf.get_string_width(c.title) <= TITLE_W - 4:
            return 0
        lines = self.pdf.multi_cell(TITLE_W - 30, WRAP, c.title, dry_run=True, output="LINES")
        return len(lines) - 1

    def needs(self, c: rt.CountyClass, heading: bool) -> float:
        return ROW + WRAP * self.extra_lines(c) + (ROW + 4 if heading else 0)


def _flow(county: _County, classes, section: int, total: int, draw: bool) -> int:
    """Lays the classes out on SECTION_PAGES pages; the number that fit."""
    county.pages, series = section * SECTION_PAGES, None
    if draw:
        county.page(section, total)
    else:
        county.pages += 1
        county.y = TOP
    for n, c in enumerate(classes):
        heading = c.series != series
        if county.y + county.needs(c, heading) > BOTTOM:
            if county.pages == (section + 1) * SECTION_PAGES:
                return n
            if draw:
                county.page(section, total)
            else:
                county.pages += 1
                county.y = TOP
        if heading:
            series = c.series
            if draw:
                county.heading(series)
            else:
                county.y += ROW + 4
        if draw:
            county.row(c, section)
        else:
            county.y += county.needs(c, False)
    return len(classes)


def county_pdf(pages: int = 2 * SECTION_PAGES) -> bytes:
    classes = county_classes_for_pdf()
    county = _County()
    for section in range(pages // SECTION_PAGES):
        _flow(county, classes, section, pages, draw=True)
    return bytes(county.pdf.output())


def county_classes_for_pdf() -> list[rt.CountyClass]:
    """The classes that fill a section's pages exactly."""
    probe = _County()
    probe.pdf.add_page()  # to measure text on
    every = rt.county_classes(2000)
    return every[: _flow(probe, every, 0, 0, draw=False)]


# A long ruled PDF --------------------------------------------------------------------------------

LONG_CLASSES = [
    ("5001", "PLANT MECHANIC"),
    ("5002", "PLANT ELECTRICIAN"),
    ("5003", "WATER TREATMENT OPERATOR"),
    ("5004", "MAINTENANCE WORKER I"),
    ("5005", "MAINTENANCE WORKER II"),
    ("5006", "GROUNDSKEEPER"),
    ("5007", "CUSTODIAN"),
    ("5008", "EQUIPMENT OPERATOR"),
    ("5009", "METER READER"),
    ("5010", "UTILITY WORKER"),
    ("5011", "LABORATORY TECHNICIAN"),
    ("5012", "STOREKEEPER"),
    ("5013", "WELDER"),
    ("5014", "SURVEY TECHNICIAN"),
    ("5015", "TRAFFIC SIGNAL TECHNICIAN"),
    ("5016", "FLEET MECHANIC"),
    ("5017", "PARK RANGER"),
    ("5018", "RECREATION LEADER"),
    ("5019", "SENIOR CUSTODIAN"),
    ("5020", "LEAD GROUNDSKEEPER"),
    ("5021", "TREE TRIMMER"),
    ("5022", "STREET SWEEPER OPERATOR"),
    ("5023", "CONCRETE FINISHER"),
    ("5024", "PAINTER"),
    ("5025", "CARPENTER"),
    ("5026", "PLUMBER"),
    ("5027", "HVAC TECHNICIAN"),
    ("5028", "ELECTRICIAN"),
    ("5029", "LOCKSMITH"),
    ("5030", "SIGN TECHNICIAN"),
]


def long_hourly(k: int, step: int) -> float:
    return round(19.5 * 1.03**k * 1.05**step, 2)


def long_ruled_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    cols = [
        ("Job Code", 60, "L"),
        ("Job Title", 200, "L"),
        ("Step", 40, "R"),
        ("Hourly Rate", 80, "R"),
        ("Biweekly", 80, "R"),
        ("Annual", 80, "R"),
    ]
    rows = [(k, s) for k in range(len(LONG_CLASSES)) for s in range(5)]
    per_page = 52
    pages = -(-len(rows) // per_page)
    for p in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 11)
        pdf.set_xy(36, 30)
        pdf.cell(540, 14, "CITY OF SAMPLETON", align="C")
        pdf.set_xy(36, 44)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(540, 12, "Classified Salary Schedule - Effective January 1, 2025", align="C")
        y = 70
        x = 36
        pdf.set_font("Helvetica", "B", 8)
        for name, w, align in cols:
            pdf.set_xy(x, y)
            pdf.cell(w, 12, name, border=1, align=align)
            x += w
        pdf.set_font("Helvetica", "", 8)
        for k, s in rows[p * per_page : (p + 1) * per_page]:
            y += 12
            x = 36
            code, title = LONG_CLASSES[k]
            hourly = long_hourly(k, s)
            cells = [
                code if s == 0 else "",
                title if s == 0 else "",
                str(s + 1),
                f"{hourly:.2f}",
                f"{hourly * 80:,.2f}",
                f"{hourly * 2080:,.2f}",
            ]
            for (_, w, align), text in zip(cols, cells, strict=True):
                pdf.set_xy(x, y)
                pdf.cell(w, 12, text, border=1, align=align)
                x += w
        pdf.set_xy(36, 750)
        pdf.cell(540, 10, f"Page {p + 1} of {pages}", align="C")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """Two pages that are pictures only (what a scanner makes), without a text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF(unit="pt", format="letter")
    for _ in range(2):
        img = Image.new("L", (850, 1100), 255)
        d = ImageDraw.Draw(img)
        for r in range(40):
            for c in range(6):
                d.rectangle([60 + c * 130, 80 + r * 24, 60 + c * 130 + 90, 92 + r * 24], fill=60)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        pdf.add_page()
        pdf.image(buf, x=0, y=0, w=612, h=792)
    return bytes(pdf.output())


# Workbooks ---------------------------------------------------------------------------------------


def _workbook_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def units_by_sheet() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws.append(["County of Example - Salary Schedules by Bargaining Unit"])
    ws.append(["One sheet per unit. Adopted by the Board of Supervisors 6/11/2024."])
    for u, unit in enumerate(rt.UNIT_SHEETS):
        ws = wb.create_sheet(unit)
        ws.append(["COUNTY OF EXAMPLE"])
        ws.append([f"Biweekly Salary Schedule - {unit}"])
        ws.append(["Effective July 1, 2024"])
        ws.append([])
        ws.append(["Class Code", "Class Title", *[f"Step {s + 1}" for s in range(5)]])
        for k, (code, title) in enumerate(rt.SHEET_CLASSES):
            ws.append([code, title, *[rt.sheet_biweekly(k, u, s) for s in range(5)]])
    return _workbook_bytes(wb)


def dated_by_sheet() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    first = True
    for d, (name, _) in enumerate(rt.DATE_SHEETS):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = name
        ws.append(["CITY OF EXAMPLE - BIWEEKLY RATES"])
        ws.append(["Job Code", "Job Title", "Step", "Biweekly Rate"])
        for k, (code, title) in enumerate(rt.SHEET_CLASSES):
            for s in range(3):
                ws.append(
                    [
                        code if s == 0 else None,
                        title if s == 0 else None,
                        s + 1,
                        rt.sheet_biweekly(k, d, s),
                    ]
                )
    return _workbook_bytes(wb)


def main() -> None:
    files = {
        HERE / "state_lookup.csv": state_lookup(),
        HERE / "county_schedule.pdf": county_pdf(),
        HERE / "long_ruled.pdf": long_ruled_pdf(),
        HERE / "scanned.pdf": scanned_pdf(),
        HERE / "units_by_sheet.xlsx": units_by_sheet(),
        HERE / "dated_by_sheet.xlsx": dated_by_sheet(),
    }
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE)} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
