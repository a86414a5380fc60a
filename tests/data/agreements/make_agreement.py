# ruff: noqa: E501  (clause prose, kept as printed sentences)
"""A 60-page MOU as a county prints it from a word processor (articles, numbered sections,
clauses wrapped onto the next printed line, a page footer), for the README example, the
clause benchmark and the browser test. The wording is invented; the shape is that of the
published agreements in data/raw/ (ARTICLE n - TITLE, then n.m Heading. text).

    .venv/bin/python tests/data/agreements/make_agreement.py   # writes example_mou.pdf
"""

from __future__ import annotations

import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
PDF = HERE / "example_mou.pdf"

# (article title, [(section heading, clause text)]): the topics teams search for.
ARTICLES = [
    (
        "RECOGNITION",
        [
            (
                "Recognition",
                "The County recognizes the Association as the exclusive representative "
                "of the employees in the General, Supervisory and Professional Units for the purposes "
                "of meeting and conferring on wages, hours and other terms and conditions of employment.",
            ),
            (
                "Unit Modification",
                "Classifications added to a unit during the term of this Memorandum "
                "shall be placed in the unit by mutual agreement or, failing agreement, by the procedures "
                "of the Employer-Employee Relations Resolution.",
            ),
        ],
    ),
    (
        "HOURS OF WORK",
        [
            (
                "Workweek",
                "The normal workweek is forty hours in a period of seven consecutive days "
                "beginning at 12:01 a.m. Saturday, except for employees on an alternate work schedule.",
            ),
            (
                "Alternate Work Schedules",
                "Upon request of an employee and approval of the department "
                "head, an employee may work a 9/80 or 4/10 schedule, provided the services of the "
                "department are not diminished.",
            ),
            (
                "Rest Periods",
                "Each employee shall be granted a rest period of fifteen minutes during "
                "each four hours of work, which shall not be accumulated or used to shorten the day.",
            ),
        ],
    ),
    (
        "OVERTIME AND CALL BACK",
        [
            (
                "Overtime",
                "Work performed in excess of forty hours in a workweek shall be compensated "
                "at one and one-half times the employee's regular rate of pay, in pay or in "
                "compensatory time off at the employee's option.",
            ),
            (
                "Call Back",
                "An employee called back to work after leaving the work site shall receive "
                "a minimum of two hours of pay at the overtime rate, or pay for the time actually "
                "worked, whichever is greater.",
            ),
            (
                "Standby",
                "An employee assigned to standby duty shall receive two dollars and fifty "
                "cents for each hour of standby and shall respond within thirty minutes of a call.",
            ),
        ],
    ),
    (
        "SPECIAL PAY",
        [
            (
                "Bilingual Premium",
                "An employee designated by the department head to use a second "
                "language, including sign language, shall be paid a bilingual premium of one hundred "
                "dollars a month, prorated for part-time employees.",
            ),
            (
                "Shift Differential",
                "Employees assigned to a shift of which at least half falls "
                "between 6:00 p.m. and 6:00 a.m. shall receive a shift differential of five percent of "
                "base pay for all hours worked on that shift.",
            ),
            (
                "Lead Worker Pay",
                "An employee assigned in writing to lead two or more employees shall "
                "receive a premium of five percent of base pay for the duration of the assignment.",
            ),
            (
                "Out of Class Pay",
                "An employee assigned to perform the duties of a higher class for "
                "more than five consecutive working days shall be paid at the first step of the higher "
                "class which provides at least five percent more than the employee's current rate.",
            ),
        ],
    ),
    (
        "TELEWORK",
        [
            (
                "Eligibility",
                "Positions whose duties can be performed away from the work site without "
                "loss of service may be designated for telework by the department head, who shall state "
                "in writing the reasons a request is denied.",
            ),
            (
                "Equipment",
                "The County shall provide the equipment needed to telework and shall "
                "reimburse an employee for internet service at twenty-five dollars a month.",
            ),
        ],
    ),
    (
        "SALARIES",
        [
            (
                "General Increases",
                "Effective the first full pay period following July 1, 2024, the "
                "salary ranges of all classes shall be increased by three percent. Effective the first "
                "full pay period following July 1, 2025, by three percent.",
            ),
            (
                "Step Advancement",
                "Employees shall advance to the next step of the salary range upon "
                "completion of 2,080 hours of satisfactory service in the prior step.",
            ),
            (
                "Salary on Promotion",
                "An employee promoted to a higher class shall receive the step "
                "of the new range that provides an increase of at least five percent.",
            ),
        ],
    ),
    (
        "HEALTH AND WELFARE",
        [
            (
                "Medical Insurance",
                "The County shall contribute eighty-five percent of the premium of "
                "the Kaiser HMO plan at the employee's tier of coverage, and the same dollar amount "
                "toward any other plan the County offers.",
            ),
            (
                "Dental and Vision",
                "The County shall pay the full premium of the dental and vision "
                "plans for the employee and eligible dependents.",
            ),
            (
                "Cash in Lieu",
                "An employee who waives medical coverage with proof of other group "
                "coverage shall receive two hundred dollars a month in lieu of the County contribution.",
            ),
        ],
    ),
    (
        "RETIREMENT",
        [
            (
                "Retirement Plan",
                "Employees are members of the County Employees' Retirement "
                "Association under the 2% at 62 formula for those first hired on or after January 1, "
                "2013, and the 3% at 60 formula for employees hired before that date.",
            ),
            (
                "Deferred Compensation",
                "The County shall match an employee's contributions to the "
                "deferred compensation plan up to twenty-five dollars per pay period.",
            ),
        ],
    ),
    (
        "HOLIDAYS",
        [
            (
                "Paid Holidays",
                "The following are paid holidays: New Year's Day, Martin Luther King "
                "Jr. Day, Presidents' Day, Cesar Chavez Day, Memorial Day, Juneteenth, Independence Day, "
                "Labor Day, Veterans Day, Thanksgiving Day, the day after Thanksgiving and Christmas Day.",
            ),
            (
                "Floating Holiday",
                "Each full-time employee shall be credited with eight hours of "
                "floating holiday on July 1 of each year, to be used by June 30 of the following year.",
            ),
        ],
    ),
    (
        "VACATION",
        [
            (
                "Accrual",
                "Full-time employees shall accrue vacation at 3.08 hours per pay period "
                "during the first five years of service, 4.62 hours from five to ten years and 6.16 "
                "hours after ten years of service.",
            ),
            (
                "Maximum Accrual",
                "No employee may accrue more than twice the annual accrual; accrual "
                "stops while the balance is at the maximum.",
            ),
        ],
    ),
    (
        "SICK LEAVE",
        [
            (
                "Accrual",
                "Employees shall accrue sick leave at 3.7 hours per pay period of full-time "
                "service, without a maximum.",
            ),
            (
                "Use",
                "Sick leave may be used for the employee's illness or injury, medical and dental "
                "appointments, and the care of a family member as provided by law.",
            ),
        ],
    ),
    (
        "LEAVES OF ABSENCE",
        [
            (
                "Bereavement Leave",
                "An employee shall be granted up to five days of paid bereavement "
                "leave upon the death of a member of the employee's immediate family.",
            ),
            (
                "Jury Duty",
                "An employee summoned to jury duty shall be paid the regular rate of pay "
                "for the time served, and shall remit jury fees other than mileage to the County.",
            ),
        ],
    ),
    (
        "SENIORITY",
        [
            (
                "Definition",
                "Seniority is the length of continuous service in the County, from the "
                "most recent date of hire into a permanent position.",
            ),
            (
                "Ties",
                "Ties in seniority shall be broken by lot drawn in the presence of the "
                "Association.",
            ),
        ],
    ),
    (
        "LAYOFF AND RECALL",
        [
            (
                "Order of Layoff",
                "Layoffs shall be made in the inverse order of seniority within the "
                "class, after extra-help, temporary and probationary employees in the class are released.",
            ),
            (
                "Bumping",
                "An employee laid off may displace the least senior employee in a lower class "
                "in which the employee previously held permanent status.",
            ),
            (
                "Recall",
                "Employees laid off shall be placed on a recall list for two years, in order "
                "of seniority, and recalled before any outside candidate is appointed.",
            ),
        ],
    ),
    (
        "GRIEVANCE PROCEDURE",
        [
            (
                "Definition",
                "A grievance is a dispute about the interpretation or application of this "
                "Memorandum, filed within thirty calendar days of the event giving rise to it.",
            ),
            (
                "Arbitration",
                "A grievance not resolved at the third step may be submitted to binding "
                "arbitration by the Association; the parties shall share the arbitrator's fees equally.",
            ),
        ],
    ),
    (
        "DISCIPLINE",
        [
            (
                "Just Cause",
                "No permanent employee shall be disciplined except for just cause, with "
                "written notice of the charges and the right to respond before the action takes effect.",
            ),
            (
                "Personnel Files",
                "An employee may review and respond in writing to any document placed "
                "in the employee's personnel file.",
            ),
        ],
    ),
    (
        "UNIFORMS AND SAFETY",
        [
            (
                "Uniform Allowance",
                "Employees required to wear a uniform shall receive a uniform "
                "allowance of six hundred dollars a year, paid in two equal installments.",
            ),
            (
                "Safety Equipment",
                "The County shall provide safety shoes, eyewear and protective "
                "equipment required by the department, and replace them when worn.",
            ),
        ],
    ),
    (
        "MILEAGE AND TRAVEL",
        [
            (
                "Mileage",
                "Employees authorized to use a personal vehicle on County business shall be "
                "reimbursed at the rate allowed by the Internal Revenue Service.",
            ),
        ],
    ),
    (
        "TERM",
        [
            (
                "Term",
                "This Memorandum shall be in effect from July 1, 2024 through June 30, 2027, "
                "and shall continue year to year unless either party gives notice of its wish to "
                "modify it no later than March 1 of the final year.",
            ),
        ],
    ),
]

FILLERS = [
    "The department head shall administer this section consistently across divisions, and any "
    "dispute regarding its application shall be resolved through the grievance procedure of "
    "this Memorandum.",
    "Nothing in this section limits the rights of management to direct the work force, except as "
    "expressly provided herein, and the County shall give the Association notice of changes.",
    "Where a department adopts written procedures to carry out this section, it shall provide "
    "them to the Association at least fourteen calendar days before they take effect.",
    "An employee who believes this section has been applied incorrectly may request a meeting "
    "with the supervisor, who shall respond in writing within ten working days.",
]
SUBSECTIONS = 22

LINES_PER_PAGE = 44
WIDTH = 92


def mou_lines() -> list[str]:
    """The agreement as printed lines (without page footers), about 60 pages' worth."""
    out = [
        "MEMORANDUM OF UNDERSTANDING",
        "BETWEEN THE COUNTY OF EXAMPLE AND THE EXAMPLE COUNTY EMPLOYEES ASSOCIATION",
        "JULY 1, 2024 - JUNE 30, 2027",
        "",
    ]
    for a, (title, sections) in enumerate(ARTICLES, start=1):
        out += [f"ARTICLE {a} - {title}", ""]
        for s, (heading, text) in enumerate(sections, start=1):
            body = f"{a}.{s} {heading}. {text}"
            out += textwrap.wrap(body, WIDTH)
            # each clause followed by administrative paragraphs, as real MOUs run long
            for k in range(1, SUBSECTIONS + 1):
                filler = FILLERS[(a + s + k) % len(FILLERS)]
                out += textwrap.wrap(f"{a}.{s}.{k} {filler}", WIDTH)
            out.append("")
    return out


def mou_pages() -> list[list[str]]:
    lines = mou_lines()
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def mou_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    for lines in mou_pages():
        pdf.add_page()
        for k, text in enumerate(lines):
            if text:
                pdf.set_xy(60, 54 + 15 * k)
                pdf.cell(492, 12, text)
        pdf.set_xy(60, 750)
        pdf.cell(492, 12, f"Example County MOU 2024-2027 - Page {pdf.page_no()}", align="C")
    return bytes(pdf.output())


if __name__ == "__main__":
    PDF.write_bytes(mou_pdf())
    print(f"{PDF.name}: {len(mou_pages())} pages, {PDF.stat().st_size:,} bytes")
