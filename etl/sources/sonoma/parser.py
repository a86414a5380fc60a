"""Parser for the County of Sonoma - SEIU Local 707 MOU, 7/23/2002 - 6/30/2008.

Tables (Appendix A ranges, Appendix B adjustments, the 8.1 general increases, the 8.18/8.19
survey counties) are parsed from the text; prose too irregular to parse (Art. 9 premiums,
Art. 8.21/12 benefit shares, provisions) comes from curated CSVs in data/reference/ whose
verbatim quotes fix the cited line.

Range numbers are cents per hour of step A (Art. 3.2), so 1360 is $13.60 an hour. Only step A
is printed; steps B-I and the 2005-2007 schedules are derived and flagged as such.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl import agency_names
from etl.curated import load_records, long_date
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import (
    Agreement,
    BenefitShare,
    ParseResult,
    Premium,
    Provision,
    SourceRef,
    SurveyAgency,
    WageIncrease,
)
from etl.registry import SONOMA
from etl.sources.sonoma import time_off as sonoma_time_off
from etl.sources.sonoma.appendix import (
    AGENCY,
    AGREEMENT_ID,
    DOC,
    ClassRow,
    job_class,
    market_increases,
    parse_appendix_a,
    parse_appendix_b,
    parse_mdy,
    salary_rates,
    step_rates,
)
from etl.sources.sonoma.audit import audit
from etl.sources.sonoma.benefits import class_allowances, deferred_comp_ending
from etl.sources.sonoma.money import exam_amounts, housing_amounts, tuition_premiums

__all__ = ["AGENCY", "AGREEMENT_ID", "DOC", "parse", "step_rates"]

UNION = SONOMA.union
TITLE = SONOMA.title
PREMIUMS_CSV = "sonoma_premiums.csv"
BENEFITS_CSV = "sonoma_benefits.csv"
PROVISIONS_CSV = "sonoma_provisions.csv"


def parse(raw_dir: Path, reference_dir: Path) -> ParseResult:
    """Everything the Sonoma MOU contributes, with the arithmetic audit of Appendix A."""
    doc = RawDocument.load(raw_dir / DOC)
    agreement = parse_agreement(doc)
    a_line, class_rows = parse_appendix_a(doc)
    _check_units(doc, a_line, agreement, class_rows)
    _, adjustment_rows = parse_appendix_b(doc)
    general = general_increases(doc)

    result = ParseResult(agreements=[agreement])
    result.classes = [job_class(row) for row in class_rows]
    result.salary_rates = salary_rates(class_rows, general)
    result.wage_increases = general + market_increases(adjustment_rows, class_rows)
    curated = load_premiums(reference_dir, doc)
    assert agreement.term_end is not None  # parse_agreement always sets it
    result.premiums = class_allowances(
        curated
        + tuition_premiums(doc)
        + exam_amounts(curated, general, doc)
        + housing_amounts(curated, doc, agreement.term_end),
        result.classes,
        doc,
    )
    shares = load_benefits(reference_dir, doc)
    result.benefit_shares = shares + deferred_comp_ending(shares, doc)
    result.survey_agencies = survey_agencies(doc)
    result.provisions = load_provisions(reference_dir, doc)
    result.time_off = sonoma_time_off.parse(doc, reference_dir, agreement.units.split(", "))
    result.audit = audit(result)
    return result


# --- agreement and tables --------------------------------------------------------------------


def parse_agreement(doc: RawDocument) -> Agreement:
    """Units from the cover page, term from Article 1 (effective/expiry sentences)."""
    units_line, _ = doc.require("Bargaining Units:", context="cover page unit list")
    units = re.findall(r"\b\d{4}\b", doc.line(units_line).split(":", 1)[1])
    term_line, _ = doc.require("will become effective", context="Article 1 term")
    text = doc.line(term_line)
    start = re.search(r"effective (\w+ \d{1,2}, \d{4})", text)
    end = re.search(r"terminated at [\d:]+ [ap]\.m\., (\w+ \d{1,2}, \d{4})", text)
    if not units or start is None or end is None:
        raise SourceParseError(doc.name, term_line, "Article 1 term dates not recognised")
    return Agreement(
        agreement_id=AGREEMENT_ID,
        agency=AGENCY,
        union=UNION,
        title=TITLE,
        doc=DOC,
        units=", ".join(units),
        term_start=long_date(start.group(1)),
        term_end=long_date(end.group(1)),
    )


def _check_units(doc: RawDocument, a_line: int, agreement: Agreement, rows: list[ClassRow]) -> None:
    """A unit named on the cover but absent from Appendix A means the table lost a page."""
    missing = sorted(set(agreement.units.split(", ")) - {r.unit for r in rows})
    if missing:
        raise SourceParseError(
            doc.name, a_line, f"Appendix A has no table for unit(s) {', '.join(missing)}"
        )


def general_increases(doc: RawDocument) -> list[WageIncrease]:
    """The 8.1 sentence: '4% on 7/23/02; 3.5% on 6/24/03; ...' at the A step."""
    line, _ = doc.require(
        "Salary ranges shown in Appendix A reflect the following increases", context="8.1"
    )
    found = re.findall(r"(\d+(?:\.\d+)?)% on (\d{1,2}/\d{1,2}/\d{2})", doc.line(line))
    if not found:
        raise SourceParseError(doc.name, line, "8.1 lists no '<pct>% on <date>' increases")
    return [
        WageIncrease(
            agency=AGENCY,
            agreement_id=AGREEMENT_ID,
            effective_date=parse_mdy(when),
            kind="general",
            class_code=None,
            pct=float(pct),
            amount=None,
            note="8.1 general increase at the A step of every range",
            source=SourceRef(DOC, line, "8.1"),
        )
        for pct, when in found
    ]


# --- survey agencies ---------------------------------------------------------------------------


def _counties(text: str) -> list[str]:
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+", text) if n.strip()]
    return [agency_names.county_name(n) for n in names]


def survey_agencies(doc: RawDocument) -> list[SurveyAgency]:
    """Counties of 8.19.1 c and 8.19.2; 8.18 (successor MOU data) points at the 8.19.2 list."""
    c_line, _ = doc.require("more than 2.0% below the average of", context="8.19.1 c")
    c_match = re.search(r"average of (.+?) counties", doc.line(c_line))
    m_line, _ = doc.require(
        "external salary data shall come from the counties of", context="8.19.2"
    )
    m_match = re.search(r"counties of (.+?)\.", doc.line(m_line))
    s_line, _ = doc.require(
        "The counties to be surveyed are listed in Subsection 8.19.2", context="8.18"
    )
    if c_match is None or m_match is None:
        raise SourceParseError(doc.name, c_line, "8.19.1 c / 8.19.2 county list not recognised")
    lists = [
        (
            _counties(m_match.group(1)),
            s_line,
            "8.18",
            "8.18 successor MOU negotiations: agreed survey agencies (counties listed in "
            "8.19.2); data exchanged by November 1, 2007",
        ),
        (
            _counties(c_match.group(1)),
            c_line,
            "8.19.1 c",
            "8.19.1 c market reopener (FY 2004/05): class more than 2.0% below the average",
        ),
        (
            _counties(m_match.group(1)),
            m_line,
            "8.19.2",
            "8.19.2 market adjustment reopener (FY 2005/06): benchmark class more than 2% "
            "behind external salary data",
        ),
    ]
    return [
        SurveyAgency(AGENCY, AGREEMENT_ID, name, purpose, SourceRef(DOC, line, section))
        for names, line, section, purpose in lists
        for name in names
    ]


# --- curated files -----------------------------------------------------------------------------


def load_premiums(reference_dir: Path, doc: RawDocument) -> list[Premium]:
    """Art. 9 special assignment premiums with a stated rate (curated)."""
    return load_records(Premium, reference_dir / PREMIUMS_CSV, doc, AGENCY, AGREEMENT_ID)


def load_benefits(reference_dir: Path, doc: RawDocument) -> list[BenefitShare]:
    """Art. 8.21 deferred compensation and Art. 12/17.14 benefit shares (curated); the `after`
    column anchors quotes whose words repeat (12.4 prints 'Single 14% 15%' under each plan)."""
    return load_records(BenefitShare, reference_dir / BENEFITS_CSV, doc, AGENCY, AGREEMENT_ID)


def load_provisions(reference_dir: Path, doc: RawDocument) -> list[Provision]:
    """Non-money provisions a bargaining team compares (curated summaries)."""
    return load_records(Provision, reference_dir / PROVISIONS_CSV, doc, AGENCY, AGREEMENT_ID)
