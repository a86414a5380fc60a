"""Bring your own salary schedule: the generic reader of salary tables as HR departments
publish them (CSV or XLSX), into the same rows a published agreement's parser returns.

Shapes read (found from the headers; `detect` says which it saw and why):

- **long**: one row per class x step: class code, class title, step, pay;
- **wide**: one row per class, a column per step (`1`...`N`, `A`...`I`, `Step 1`...);
- **grade chart + class list**: pay by grade and step (long or wide) and a list mapping each
  class to its grade (like Mendocino's Attachments B and C), as two files or two sheets;
- **several pay columns for several dates** (`Current monthly pay`, `2024 monthly pay`), each
  mapped with `pay@YYYY-MM-DD=HEADER`. Undated pay columns that state different periods
  (`Hourly`, `Biweekly`, `Monthly`) are the same pay shown several ways: the hourly one is
  read (else biweekly, monthly, annual) and the others must agree with it to rounding.

Options (etl/schedule_import/options.py): agency; effective date (required unless every pay
column is dated); pay period (hourly, biweekly, monthly, annual; else from the header; else
an error asking for it); sheets; FIELD=HEADER mappings; the step rule (steps in order, months
between steps, steps per advance), else the stated default.

Decisions:

- Pay is converted to hourly with etl/pay.py and kept unrounded, so the views give back the
  printed amount; a converted rate is `is_derived = False` (the amount is printed, only its
  period changed) with `derivation` saying the conversion ("monthly 5,123.00 × 12 ÷ 2,080").
- Every converted cell must lie within MIN_HOURLY..MAX_HOURLY an hour.
- Pay must not decrease from one step to the next within a class on a date: refused with
  both cells (a decrease is nearly always a shifted cell or a step order other than assumed,
  and a schedule the other side can pick apart is worse than a refusal). Equal steps pass.
- One value per class x step x date: a second is refused naming both rows.
- Class codes: a table with no code column gets codes derived from the titles, stably (the
  same title gives the same code on every build: 'Account Clerk II' -> 'ACCOUNT-CLERK-II'),
  and the detection says so. A table with a code column must have a code on every class row
  (a blank code below the same title, a merged cell, is that class); a blank one is refused.
- Step rule: as given (stated), else the default of one step a year, hire at the first step,
  one step per advance, marked `stated = False` so the app can label it an assumption.
- The term runs from the first to the last effective date unless given: the file does not
  say how long its last rates last, so a comparison after that date is carried by CPI (give
  term_end to say the agreement runs longer).

Output: `read_imported(item) -> ImportedRead` for the build; `detect(files, options) ->
Detection` and `read(files, options) -> ImportedRead` (ScheduleImportError listing every
problem with file, sheet, row and column; nothing partial) for the CLI and the app.
"""

from __future__ import annotations

from etl.schedule_import.detection import ColumnUse, Detection, Summary, TableUse
from etl.schedule_import.options import FIELDS, Mapped, Options, parse_mapping
from etl.schedule_import.options import parse as parse_options
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
    "ColumnUse",
    "Detection",
    "ImportedRead",
    "Mapped",
    "Options",
    "ScheduleImportError",
    "Summary",
    "TableUse",
    "agreement_id_for",
    "detect",
    "parse_mapping",
    "parse_options",
    "read",
    "read_imported",
    "slug",
]
