"""Bring your own salary schedule: the generic reader of salary tables as unions and HR
departments publish them (CSV, XLSX or a PDF with a text layer), into the same rows a
published agreement's parser returns. The CLI (`bargain import-schedule`) and the app's "Add
an agreement" page both use it, so they accept and refuse the same files with the same words.

Shapes read (found from the headers; `detect` says which it saw and why):

- **long**: one row per class x step: class code, class title, step, pay;
- **wide**: one row per class, a column per step (`1`...`N`, `A`...`I`, `Step 1`...);
- **grade chart + class list**: pay by grade and step (long or wide) and a list mapping each
  class to its grade (like Mendocino's Attachments B and C), as two files or two sheets;
- **several pay columns for several dates**: a header that states its date ("Effective
  7/1/2025", "FY 2024-25 monthly") is pay at that date; the others ("Current monthly pay",
  "2024 monthly pay") are dated with `pay@YYYY-MM-DD=HEADER`. Undated pay columns that state
  different periods (`Hourly`, `Biweekly`, `Monthly`) are the same pay shown several ways: the
  hourly one is read (else biweekly, monthly, annual) and the others must agree with it to
  rounding. Columns computed from others (differences, % change, totals, annualized copies)
  are not read, and the notes name them;
- **several bargaining units in one table**: a column the header names as the unit
  (Coalition, Unit, Bargaining Unit, Group, Rep Code; `unit=HEADER` names any other), or,
  proposed, a column of a few values that each repeat the class list; each value is its own
  bargaining unit of the agency (`bargaining_unit` in job_classes and salary_schedule);
- **several sheets** of one workbook that each read as a schedule: one sheet per unit (its
  name the unit) or one per date (its name states the date: "FY 2024-25");
- **a column of dates, one per row** ("Effective Date", "Eff. Date", "Start Date"; `row_date`
  in a mapping): each row's pay takes its row's date, long or wide; a blank cell takes the
  row above's (a merged cell); etl/schedule_import/row_dates.py and sections.Dating give the
  precedence (a dated header, the row's date, the effective date given, a heading);
- **sections by date**: a title row or a heading between sections that states the date pay
  took effect ("Effective July 1, 2024", "Salary Schedule FY 2025-26") dates the pay below it,
  with no option needed;
- **PDF** (etl/uploads/pdf/pages.py): each page's words laid into the columns of the table's header
  (printed again on every page, over one or two lines), page titles and footers skipped, a
  title wrapped in its cell joined; every value cites its page and the row of text on that
  page ("schedule.pdf p. 3, row 14"). A PDF without text (a scan) is refused, saying so; the
  limits of etl/defaults.py (pages, page size, characters, unpacked bytes) stop a PDF bomb.

Options (etl/schedule_import/options.py): agency; effective date (needed unless every pay
column is dated by its header, a heading, a sheet name or a mapping); pay period (hourly,
biweekly, monthly, annual; else from the header; else an error asking for it); sheets;
FIELD=HEADER mappings (class_code, class_title, step, grade, unit, row_date, pay,
pay@YYYY-MM-DD, ignore); the step rule (steps in order, months between steps, steps per
advance), else the stated default; the first day of a fiscal year (default 07-01).
`Options.to_dict` keeps them with the files, so every build reads the files the same way.

Decisions:

- Pay is converted to hourly with etl/pay.py and kept unrounded, so the views give back the
  printed amount; a converted rate is `is_derived = False` (the amount is printed, only its
  period changed) with `derivation` saying the conversion ("monthly 5,123.00 × 12 ÷ 2,080").
- Every converted cell must lie within MIN_HOURLY..MAX_HOURLY an hour.
- Pay must not decrease from one step to the next within a class on a date: refused with
  both cells (a decrease is nearly always a shifted cell or a step order other than assumed,
  and a schedule the other side can pick apart is worse than a refusal). Equal steps pass.
- One value per unit x class x step x date: a second is refused naming both rows.
- Classes (etl/schedule_import/classes.py): a class is a (unit, code, title). A code naming
  two titles keeps each title its own class (stored as CODE/TITLE, never merged; the summary
  lists the codes); a row with a title and no code is a class keyed by its title within its
  unit; a row with neither is the class above (merged cells), never a row of another title.
  A table with no code column gets codes derived from the titles, stably ('Account Clerk II'
  -> 'ACCOUNT-CLERK-II').
- Step rule: as given (stated), else the default of one step a year, hire at the first step,
  one step per advance, marked `stated = False` so the app can label it an assumption.
- The term runs from the first to the last effective date unless given: the file does not
  say how long its last rates last, so a comparison after that date is carried by CPI (give
  term_end to say the agreement runs longer).

API (the CLI and the app):

    detect(files, options) -> Detection      never raises for the files' content: the shape,
        each table's columns with their uses (`Detection.tables[i].columns`: ColumnUse, its
        `use` one of USES, `date`, `step`, `period`, `reason`, `mapped`), periods, dates,
        steps, notes and problems (`Detection.lines()` is the text the CLI prints)
    read(files, options) -> ImportedRead     the warehouse rows, or ScheduleImportError
        listing every problem (file, sheet or page, row, column; nothing partial)
    read_imported(item) -> ImportedRead      a stored import, for the build (etl/imported.py)
    column_uses(detection) -> DataFrame      one row per column (file, sheet, column, letter,
        use, date, step, period, reason, mapped): a dropdown per column, pre-filled
    mapping_for(detection, choices) -> list  the `mapping` option for the chosen uses (rows
        of column, use and date; file and sheet when several tables are read)
    preview(got) -> {name: DataFrame}        what will be stored: classes, units, dates,
        steps, rates (each with where it is printed) and a sample class's pay per date
    problems_table(problems, source) -> DataFrame  file, page/sheet, row, column, message
        (of `Detection.problems` or `ScheduleImportError.problems`), for a table and its CSV
"""

from __future__ import annotations

from etl.schedule_import.detection import USES, ColumnUse, Detection, Summary, TableUse
from etl.schedule_import.options import FIELDS, Mapped, Options, parse_mapping
from etl.schedule_import.options import parse as parse_options
from etl.schedule_import.preview import column_uses, mapping_for, preview, problems_table
from etl.schedule_import.reader import (
    PREVIEW_IMPORT_ID,
    ImportedRead,
    ScheduleImportError,
    agreement_id_for,
    detect,
    read,
    read_imported,
    slug,
)

__all__ = [
    "FIELDS",
    "PREVIEW_IMPORT_ID",
    "USES",
    "ColumnUse",
    "Detection",
    "ImportedRead",
    "Mapped",
    "Options",
    "ScheduleImportError",
    "Summary",
    "TableUse",
    "agreement_id_for",
    "column_uses",
    "detect",
    "mapping_for",
    "parse_mapping",
    "parse_options",
    "preview",
    "problems_table",
    "read",
    "read_imported",
    "slug",
]
