"""The column layout of a GCC export: where its header is and which column is which.

Headers are matched by name, ignoring case, spaces and punctuation, so "EmployerName",
"Employer Name" and the older "Entity Name" are one column. The older spaced layout (the
State Controller's exports up to about 2015, e.g. 2015 State Department: "Entity Type",
"Entity Name", "Department / Subdivision", "Min Classification Salary", "Max Classification
Salary", "Lump-Sum Pay", "Total Retirement and Health Cost", "Entity County", "Last Updated")
maps onto the current names. Older City exports (about 2012) begin with disclaimer lines: the
header is found by content (the first record naming the required columns among the first
MAX_HEADER_SEARCH records), and the lines above it are skipped but still counted in row
numbers, as a spreadsheet shows them.

Extra columns (the 29th column SpecialDistrictType of newer years, "Entity Group", anything
unknown) are ignored. A column named twice is an error naming it; so are missing required
columns (Year, EmployerName, Position, MaxPositionSalary).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from etl.errors import GccImportError

MAX_HEADER_SEARCH = 50
HEAD_BYTES = 256 * 1024

REQUIRED = ("Year", "EmployerName", "Position", "MaxPositionSalary")
MONEY = (
    "MinPositionSalary",
    "MaxPositionSalary",
    "DefinedBenefitPlanContribution",
    "EmployeesRetirementCostCovered",
    "DeferredCompensationPlan",
    "HealthDentalVision",
)
TEXT = ("EmployerType", "DepartmentOrSubdivision", "EmployerCounty")
USED = (*REQUIRED, *TEXT, *(m for m in MONEY if m not in REQUIRED))

# Current name -> older spellings (compared after `header_key`).
ALIASES: dict[str, tuple[str, ...]] = {
    "Year": (),
    "EmployerType": ("Entity Type",),
    "EmployerName": ("Entity Name",),
    "DepartmentOrSubdivision": ("Department / Subdivision", "Department"),
    "Position": (),
    "ElectedOfficial": (),
    "Judicial": (),
    "OtherPositions": (),
    "MinPositionSalary": ("Min Classification Salary",),
    "MaxPositionSalary": ("Max Classification Salary",),
    "ReportedBaseWage": (),
    "RegularPay": (),
    "OvertimePay": (),
    "LumpSumPay": ("Lump-Sum Pay",),
    "OtherPay": (),
    "TotalWages": (),
    "DefinedBenefitPlanContribution": (),
    "EmployeesRetirementCostCovered": (),
    "DeferredCompensationPlan": (),
    "HealthDentalVision": (),
    "TotalRetirementAndHealthContribution": ("Total Retirement and Health Cost",),
    "PensionFormula": (),
    "EmployerURL": ("Entity URL",),
    "EmployerPopulation": ("Entity Population",),
    "LastUpdatedDate": ("Last Updated",),
    "EmployerCounty": ("Entity County",),
    "SpecialDistrictActivities": (),
    "IncludesUnfundedLiability": (),
    "SpecialDistrictType": (),
}


def header_key(name: str) -> str:
    """'Department / Subdivision' -> 'departmentsubdivision' (case, spaces, punctuation out)."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


_BY_KEY: dict[str, str] = {
    header_key(n): canon for canon, alts in ALIASES.items() for n in (canon, *alts)
}


@dataclass(frozen=True)
class Layout:
    """header_row: the header's row as a spreadsheet shows it (1 without disclaimer lines);
    skip_lines: physical lines up to and including the header (what the CSV reader skips);
    columns: current column name -> 0-based position (only those present); width: cells in
    the header; ignored: header cells not used (unknown or not needed)."""

    header_row: int
    skip_lines: int
    columns: dict[str, int]
    width: int
    header: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _records(head_text: str) -> list[tuple[int, int, list[str]]]:
    """(record number, physical lines read so far, cells) for the first records of the text;
    a record cut at the end of the text is dropped."""
    reader = csv.reader(io.StringIO(head_text, newline=""))
    out = []
    try:
        for n, record in enumerate(reader, start=1):
            out.append((n, reader.line_num, record))
            if n >= MAX_HEADER_SEARCH:
                break
    except csv.Error:
        pass
    return out


def _known(record: list[str]) -> list[str | None]:
    return [_BY_KEY.get(header_key(c)) for c in record]


def find_layout(head_text: str, file_name: str) -> Layout:
    """The layout of a GCC export from its first bytes (decoded); GccImportError when no
    header is found, required columns are missing or a column is named twice."""
    records = _records(head_text)
    best: tuple[int, list[str]] | None = None  # the record naming most known columns
    for number, lines, record in records:
        known = _known(record)
        names = {k for k in known if k}
        if best is None or len(names) > len(best[1]):
            best = (number, sorted(names))
        if not all(r in names for r in REQUIRED):
            continue
        _check_repeats(record, known, number, file_name)
        columns = {k: i for i, k in enumerate(known) if k}
        ignored = [c.strip() for c, k in zip(record, known, strict=True) if c.strip()]
        ignored = [c for c in ignored if _BY_KEY.get(header_key(c)) not in USED]
        return Layout(number, lines, columns, len(record), [c.strip() for c in record], ignored)
    if best is not None and len(best[1]) >= 3:
        missing = [r for r in REQUIRED if r not in best[1]]
        raise GccImportError(
            file_name,
            [(best[0], None, f"missing required column(s): {', '.join(missing)}")],
        )
    first = next((line for line in head_text.splitlines() if line.strip()), "")
    for sep, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if sep in first and "," not in first:
            raise GccImportError(
                file_name,
                [
                    (
                        1,
                        None,
                        f"the columns are separated by {name}, not commas: the State "
                        "Controller's export is comma-separated (save it as 'CSV (Comma "
                        "delimited)', or upload the ZIP as downloaded)",
                    )
                ],
            )
    raise GccImportError(
        file_name,
        [
            (
                None,
                None,
                f"no header row naming {', '.join(REQUIRED)} in the first "
                f"{MAX_HEADER_SEARCH} lines: this is not a Government Compensation in "
                "California raw export",
            )
        ],
    )


def _check_repeats(record: list[str], known: list[str | None], row: int, file_name: str) -> None:
    seen: dict[str, str] = {}
    problems = []
    for cell, canon in zip(record, known, strict=True):
        name = cell.strip()
        if not name:
            continue
        key = canon or header_key(name)
        if key in seen:
            first = seen[key]
            same = first if first == name else f"{first!r} and {name!r}"
            problems.append((row, name, f"column {same} named twice; which one to use is unclear"))
        else:
            seen[key] = name
    if problems:
        raise GccImportError(file_name, problems)
