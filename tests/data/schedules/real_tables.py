"""The truth behind the realistic salary tables of make_real_schedules.py: which classes, units,
steps and amounts each file holds, so a test can compare every value the reader stores with
the value printed. Everything here is computed, deterministically, from a few lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BASE_TITLES = [
    "Account Clerk",
    "Accountant",
    "Accounting Technician",
    "Administrative Aide",
    "Administrative Analyst",
    "Agricultural Inspector",
    "Animal Care Attendant",
    "Animal Control Officer",
    "Appraiser",
    "Assessment Clerk",
    "Auditor",
    "Buyer",
    "Building Inspector",
    "Cartographer",
    "Civil Engineer",
    "Code Enforcement Officer",
    "Communications Dispatcher",
    "Community Health Worker",
    "Community Services Officer",
    "Custodian",
    "Deputy Clerk",
    "Deputy Probation Officer",
    "Eligibility Worker",
    "Employment Specialist",
    "Engineering Technician",
    "Environmental Health Specialist",
    "Equipment Mechanic",
    "Equipment Operator",
    "Facilities Maintenance Worker",
    "Fiscal Assistant",
    "Food Service Worker",
    "GIS Analyst",
    "Groundskeeper",
    "Health Educator",
    "Heavy Equipment Mechanic",
    "Human Resources Analyst",
    "Human Resources Technician",
    "Information Systems Analyst",
    "Investigator",
    "Junior Engineer",
    "Juvenile Correctional Officer",
    "Laboratory Technician",
    "Legal Secretary",
    "Librarian",
    "Library Assistant",
    "Licensed Vocational Nurse",
    "Maintenance Worker",
    "Medical Records Technician",
    "Mental Health Clinician",
    "Museum Curator",
    "Network Analyst",
    "Office Assistant",
    "Paralegal",
    "Park Ranger",
    "Planner",
    "Plant Operator",
    "Programmer Analyst",
    "Property Appraiser",
    "Public Health Nurse",
    "Public Works Inspector",
    "Purchasing Technician",
    "Real Property Agent",
    "Recreation Leader",
    "Registered Nurse",
    "Right of Way Agent",
    "Road Maintenance Worker",
    "Safety Officer",
    "Sanitarian",
    "Senior Office Specialist",
    "Sheriff's Records Clerk",
    "Social Worker",
    "Storekeeper",
    "Surveyor",
    "Systems Administrator",
    "Telecommunications Technician",
    "Traffic Engineer",
    "Transit Operator",
    "Veterans Services Representative",
    "Victim Witness Advocate",
    "Water Quality Specialist",
    "Weed Control Technician",
    "Welder",
]
LEVELS = ["I", "II", "III", "IV", "Senior", "Supervising", "Lead", "Trainee"]
LETTERS = "ABCDE"


def titled(base: str, level: str) -> str:
    return (
        f"{level} {base}".upper()
        if level in ("Senior", "Supervising", "Lead")
        else (f"{base} {level}".upper())
    )


# The county's PDF schedule -----------------------------------------------------------------------

COUNTY_ROWS_PER_PAGE = 34


@dataclass(frozen=True)
class CountyClass:
    code: str
    title: str
    range: int
    series: str  # the heading printed above the class's series


def county_classes(n: int) -> list[CountyClass]:
    out = []
    for k in range(n):
        base = BASE_TITLES[k // len(LEVELS) % len(BASE_TITLES)]
        level = LEVELS[k % len(LEVELS)]
        title = titled(base, level)
        if k % 97 == 13:  # some titles are too long for their cell and wrap onto a second line
            title = f"{title} - HEALTH AND HUMAN SERVICES"
        out.append(CountyClass(f"{1000 + 7 * k:04d}", title, 20 + (k * 37) % 90, base.upper()))
    return out


def county_monthly(c: CountyClass, step: int, section: int) -> float:
    """Section 0 prints whole dollars ("$4,155"), section 1 the cents ("4,279.65")."""
    base = 2600 * 1.0125**c.range * 1.05**step
    return float(round(base)) if section == 0 else round(round(base) * 1.03, 2)


COUNTY_DATES = (date(2024, 7, 1), date(2025, 7, 1))


# The state-wide union lookup ---------------------------------------------------------------------

COALITIONS = ("General Government", "Higher Education", "Higher Education Hospitals")
LOOKUP_STEPS = "ABCDEFGH"
LOOKUP_DATES = (date(2023, 7, 1), date(2024, 7, 1), date(2025, 7, 1))
LOOKUP_CLASSES = 60
# Codes printed for two titles (the level suffix dropped from the code): the second title.
REUSED = {3: 4, 11: 12, 25: 26, 40: 41}  # class k's code is also printed for class k + 1
NOT_YET_CODED = (17, 33)  # General Government classes printed without a code


@dataclass(frozen=True)
class LookupClass:
    k: int
    code: str
    title: str
    range: int


def lookup_classes() -> list[LookupClass]:
    out = []
    for k in range(LOOKUP_CLASSES):
        base = BASE_TITLES[(k * 5) % len(BASE_TITLES)]
        level = ["1", "2", "3"][k % 3]
        out.append(
            LookupClass(k, f"{100 + k * 3}{'ABCDEFGHJK'[k % 10]}", f"{base} {level}", 30 + k)
        )
    for k, other in REUSED.items():  # "Accountant 1" and "Accountant 2" under one code
        base = out[k].title.rsplit(" ", 1)[0]
        out[k] = LookupClass(k, out[k].code, f"{base} 1", out[k].range)
        out[other] = LookupClass(other, out[k].code, f"{base} 2", out[other].range)
    return out


def lookup_monthly(c: LookupClass, coalition: int, step: int, when: int) -> int:
    """Whole dollars, as the lookup prints them ("4,155")."""
    base = 2400 * 1.025 ** (c.range + 2 * coalition) * 1.05**step
    return round(round(base) * 1.03**when)


def lookup_rows(c: LookupClass, coalition: int) -> bool:
    """Which coalitions list a class: all but the hospitals list every class."""
    return coalition < 2 or c.k % 2 == 0


def lookup_code(c: LookupClass, coalition: int) -> str:
    """The code the import stores a class under in a coalition: the printed code; CODE/TITLE
    when the code names two titles; the title's key when the row has no code."""
    from etl.schedule_import.extract import derive_code

    if coalition == 2 or (coalition == 0 and c.k in NOT_YET_CODED):
        return derive_code(c.title)
    if c.k in REUSED or c.k in REUSED.values():
        return f"{c.code}/{derive_code(c.title)}"
    return c.code


# Workbooks: a sheet per unit, a sheet per date ------------------------------------------------

UNIT_SHEETS = ("SEIU Local 1021", "Teamsters 856")
DATE_SHEETS = (("FY 2024-25", date(2024, 7, 1)), ("FY 2025-26", date(2025, 7, 1)))
SHEET_CLASSES = [
    ("2101", "OFFICE ASSISTANT II"),
    ("2102", "ACCOUNT CLERK II"),
    ("2103", "PLANNER I"),
    ("2104", "PLANNER II"),
    ("2105", "BUYER"),
]


def sheet_biweekly(k: int, sheet: int, step: int) -> float:
    return round(1650 * 1.04**k * 1.02**sheet * 1.05**step, 2)
