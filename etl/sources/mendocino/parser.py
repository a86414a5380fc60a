"""Parser for the County of Mendocino - SEIU Local 1021 MOU, July 1 2015 - June 30 2017.

Tables (Attachment B grade chart, Attachment C class list) are parsed in mendocino_tables;
wage increases (7.1) and the survey list (7.2) are read from the text here; premiums, benefit
shares and provisions come from curated files in data/reference/ whose quotes fix the line.

Which schedule the printed grade chart is: Attachment B carries no effective date. It is read
as the schedule in force when the MOU took effect (term start, July 1 2015), before the 7.1
increases, because 7.1's first increase depends on a ratification date the MOU itself leaves
blank (Art. 23 "executed this ___ day of ___, 2015"). The 3% and 2% schedules are derived from
it, compounded and rounded to the cent, and marked is_derived.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from etl import pay_calendar
from etl.curated import load_records, long_date
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import (
    Agreement,
    BenefitShare,
    JobClass,
    ParseResult,
    Premium,
    Provision,
    SalaryRate,
    SourceRef,
    SurveyAgency,
    WageIncrease,
)
from etl.registry import MENDOCINO
from etl.sources.mendocino import time_off as mendocino_time_off
from etl.sources.mendocino.audit import audit
from etl.sources.mendocino.tables import (
    AGENCY,
    AGREEMENT_ID,
    DOC,
    STEPS,
    ClassRow,
    Schedules,
    find_heading,
    grade_schedules,
    parse_class_list,
    parse_grade_chart,
    strip_markup,
)

__all__ = ["AGENCY", "AGREEMENT_ID", "DOC", "parse"]

UNION = MENDOCINO.union
TITLE = MENDOCINO.title
UNITS = (
    "All SEIU Local 1021 represented classifications (Art. 1.1 names 'all classifications "
    "listed in Attachment B'; the class list itself is Attachment C). No unit numbers given."
)

# Pay periods are 14 days starting Sunday (Art. 2 "Pay Period"); pay period 1 of a calendar
# year is the one that includes January 1 (15.2.A credits personal leave "on the first day of
# pay period which includes January 1st"; Art. 2 "Calendar Year" = pay periods 1-26). Of the
# two biweekly phases that include January 1 2016, only the one starting Sunday 2015-12-27
# gives 26 pay periods in both 2015 and 2016, so it is the calendar used here.
PAY_PERIOD_ANCHOR = date(2015, 12, 27)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:{_MONTHS}) \d{{1,2}}, \d{{4}}"


def first_full_pay_period_after(d: date) -> date:
    """Art. 2: 'the pay period that begins after, and does not include, that date'."""
    return pay_calendar.first_full_period_after(d, PAY_PERIOD_ANCHOR)


def first_full_pay_period_in(year: int, month: int) -> date:
    """Start of the first pay period lying wholly inside the month."""
    return pay_calendar.first_full_period_in(year, month, PAY_PERIOD_ANCHOR)


def _require_line(doc: RawDocument, quote: str, start: int = 1, context: str = "") -> int:
    return doc.require(quote, start_line=start, context=context)[0]


def _heading(doc: RawDocument, text: str, start: int = 1) -> int:
    n = find_heading(doc, text, start)
    if n is None:
        raise SourceParseError(doc.name, None, f"heading {text!r} not found")
    return n


def ratification_date(doc: RawDocument) -> tuple[date, str]:
    """Approval date for 7.1 Year 1, and how it was found.

    Uses Art. 23 if the execution date is filled in; the published text leaves it blank, so
    the fallback is the latest date printed in the MOU ('Updated July 21, 2015' above the
    Art. 10 clothing chart): the text was still being edited then, so approval was no earlier.
    """
    line = _require_line(doc, "This Memorandum executed this", context="Art. 23 enactment")
    m = re.search(r"executed this (\d{1,2})\w* day of (\w+), (\d{4})", doc.line(line))
    if m:
        when = long_date(f"{m.group(2)} {m.group(1)}, {m.group(3)}")
        return when, f"Art. 23 execution date (line {line})"
    latest: tuple[date, int] | None = None
    for n, text in enumerate(doc.lines, start=1):
        for found in re.findall(rf"Updated ({_DATE})", strip_markup(text)):
            d = long_date(found)
            if latest is None or d > latest[0]:
                latest = (d, n)
    if latest is None:
        raise SourceParseError(doc.name, line, "no execution date and no 'Updated' date to assume")
    return latest[0], (
        f"approval date not in the text (Art. 23 blank, line {line}); assumed "
        f"{latest[0].isoformat()}, the latest date printed in the MOU (line {latest[1]})"
    )


def _agreement(doc: RawDocument) -> Agreement:
    line = _require_line(doc, "This memorandum shall be in effect only for the period from")
    m = re.search(rf"from ({_DATE}) through ({_DATE})", doc.line(line))
    if not m:
        raise SourceParseError(doc.name, line, "Art. 1.2: term dates not found")
    return Agreement(
        AGREEMENT_ID,
        AGENCY,
        UNION,
        TITLE,
        DOC,
        UNITS,
        long_date(m.group(1)),
        long_date(m.group(2)),
    )


def _wage_increases(doc: RawDocument, approval: date, approval_note: str) -> list[WageIncrease]:
    """Art. 7.1: each paragraph is a general increase or a one-time payment with its date."""
    art7 = _heading(doc, "ARTICLE 7. SALARY AND SALARY UPON STATUS CHANGE")
    start = _heading(doc, "1. Salary", art7)
    end = _heading(doc, "2. Salary Surveys", start)
    out: list[WageIncrease] = []
    for n in range(start + 1, end):
        text = strip_markup(doc.line(n))
        if not text or re.fullmatch(r"Year \d+:", text):
            continue
        if "following ratification and approval" in text:
            when = first_full_pay_period_after(approval)
            timing = (
                f"first full pay period following ratification and approval; {approval_note}, "
                f"so the pay period starting {when.isoformat()}"
            )
        elif m := re.search(r"first full pay period in (\w+) (\d{4})", text):
            month = datetime.strptime(m.group(1), "%B").month
            when = first_full_pay_period_in(int(m.group(2)), month)
            timing = (
                f"first full pay period in {m.group(1)} {m.group(2)}: the pay period starting "
                f"{when.isoformat()} (14-day pay periods from Sunday; pay period 1 includes "
                f"January 1)"
            )
        else:
            raise SourceParseError(doc.name, n, f"7.1: no effective date in {text[:80]!r}")
        row = dict(agency=AGENCY, agreement_id=AGREEMENT_ID, effective_date=when, class_code=None)
        row["source"] = SourceRef(DOC, n, "7.1")
        if m := re.search(r"receive an? (\d+(?:\.\d+)?)% salary increase", text):
            pct = float(m.group(1))
            out.append(WageIncrease(**row, kind="general", pct=pct, amount=None, note=timing))
        elif m := re.search(r"one-time payment of \\?\$([\d,]+(?:\.\d{2})?)", text):
            note = "to permanent full-time and part-time employees employed on the payment date"
            if paid := re.search(r"paid out over (\d+) successive pay periods", text):
                note += f"; paid over {paid.group(1)} successive pay periods on regular paychecks"
            note += f"; {timing}"
            amount = float(m.group(1).replace(",", ""))
            out.append(WageIncrease(**row, kind="one_time", pct=None, amount=amount, note=note))
        else:
            raise SourceParseError(doc.name, n, f"7.1: unrecognized paragraph {text[:80]!r}")
    if not any(w.kind == "general" for w in out):
        raise SourceParseError(doc.name, start, "7.1: no general salary increase found")
    return out


def _classes(rows: list[ClassRow]) -> list[JobClass]:
    return [
        JobClass(
            AGENCY,
            AGREEMENT_ID,
            None,
            r.class_code,
            r.class_title,
            False,
            r.grade,
            SourceRef(DOC, r.line, "Attachment C"),
        )
        for r in rows
    ]


def _salary_rates(classes: list[ClassRow], schedules: Schedules) -> list[SalaryRate]:
    out = []
    for c in classes:
        if c.grade is None:
            continue
        for when, schedule in schedules[c.grade]:
            for step, rate in zip(STEPS, schedule, strict=True):
                out.append(
                    SalaryRate(
                        AGENCY,
                        AGREEMENT_ID,
                        None,
                        c.class_code,
                        when,
                        step,
                        float(rate.hourly),
                        rate.derivation is not None,
                        rate.derivation,
                        rate.source,
                    )
                )
    return out


def _survey_agencies(doc: RawDocument) -> list[SurveyAgency]:
    """7.2: the bulleted survey jurisdiction, with the methodology bullets as the purpose."""
    art7 = _heading(doc, "ARTICLE 7. SALARY AND SALARY UPON STATUS CHANGE")
    start = _heading(doc, "2. Salary Surveys", art7)
    method = _heading(doc, "Survey Methodology", start)
    end = _heading(doc, "3. Retention Pay", method)
    purposes = []
    for n in range(method + 1, end):
        text = strip_markup(doc.line(n))
        if not text:
            continue
        if not text.startswith("- "):
            raise SourceParseError(doc.name, n, f"7.2 methodology: unexpected line {text[:80]!r}")
        purposes.append(text[2:])
    if not purposes:
        raise SourceParseError(doc.name, method, "7.2: no survey methodology bullets")
    purpose = "Salary survey jurisdiction (7.2). " + " ".join(purposes)
    out = []
    for n in range(start + 1, method):
        text = strip_markup(doc.line(n))
        if not text or text.endswith(":"):
            continue  # blank, or the sentence introducing the list
        if not text.startswith("- "):
            raise SourceParseError(doc.name, n, f"7.2: unexpected line in the list {text[:80]!r}")
        name = text[2:]
        if not re.fullmatch(r"City of [A-Z][A-Za-z .'-]+|[A-Z][A-Za-z .'-]+ County", name):
            raise SourceParseError(doc.name, n, f"7.2: not a city or county name: {name!r}")
        out.append(SurveyAgency(AGENCY, AGREEMENT_ID, name, purpose, SourceRef(DOC, n, "7.2")))
    if not out:
        raise SourceParseError(doc.name, start, "7.2: no survey agencies listed")
    return out


def _curated(cls: type, path: Path, doc: RawDocument) -> list:
    return load_records(cls, path, doc, AGENCY, AGREEMENT_ID)


def parse(raw_dir: Path, reference_dir: Path) -> ParseResult:
    """Everything the Mendocino MOU contributes: agreement, classes, hourly schedules (printed
    and derived), 7.1 increases, premiums, benefit shares, survey agencies, provisions, audit."""
    doc = RawDocument.load(Path(raw_dir) / DOC)
    agreement = _agreement(doc)
    grades, chart_end = parse_grade_chart(doc)
    class_rows = parse_class_list(doc, chart_end, {g.grade for g in grades})
    approval, approval_note = ratification_date(doc)
    increases = _wage_increases(doc, approval, approval_note)
    printed_date = agreement.term_start
    if printed_date is None:  # pragma: no cover - _agreement always sets it
        raise SourceParseError(doc.name, None, "term start unknown")
    schedules = grade_schedules(grades, printed_date, increases, doc.name)
    ref = Path(reference_dir)
    return ParseResult(
        agreements=[agreement],
        classes=_classes(class_rows),
        salary_rates=_salary_rates(class_rows, schedules),
        wage_increases=increases,
        premiums=_curated(Premium, ref / "mendocino_premiums.csv", doc),
        benefit_shares=_curated(BenefitShare, ref / "mendocino_benefit_shares.csv", doc),
        survey_agencies=_survey_agencies(doc),
        provisions=_curated(Provision, ref / "mendocino_provisions.csv", doc),
        audit=audit(grades, printed_date),
        time_off=mendocino_time_off.parse(doc, ref),
    )
