"""The source documents in data/raw/ and the parser that reads each one."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from etl.errors import SourceParseError
from etl.records import (
    AMOUNT_PERIODS,
    BENEFITS,
    PREMIUM_BASES,
    PROVISION_TOPICS,
    TIME_OFF_KINDS,
    WAGE_KINDS,
    ParseResult,
)


@dataclass(frozen=True)
class Document:
    doc: str  # file name in data/raw/
    agency: str
    agreement_id: str
    description: str
    parser: str  # module with parse(raw_dir, reference_dir) -> ParseResult


DOCUMENTS: tuple[Document, ...] = (
    Document(
        "sonoma_seiu707_mou_2002_2008.txt",
        "Sonoma",
        "sonoma-seiu707-2002-2008",
        "County of Sonoma - SEIU Local 707 MOU, 7/23/2002 - 6/30/2008",
        "etl.sonoma",
    ),
    Document(
        "mendocino_seiu1021_mou_2015_2017.txt",
        "Mendocino",
        "mendocino-seiu1021-2015-2017",
        "County of Mendocino - SEIU Local 1021 MOU, 7/1/2015 - 6/30/2017",
        "etl.mendocino",
    ),
    Document(
        "contra_costa_afscme2700_lou_1993_1995.txt",
        "Contra Costa",
        "contra-costa-afscme2700-1993-1995",
        "Contra Costa County - AFSCME Local 2700 Letter of Understanding, 10/1/1993 - 9/30/1995",
        "etl.contra_costa",
    ),
    Document(
        "sonoma_telework_agreement_announcement.txt",
        "Sonoma",
        "sonoma-telework",
        "Sonoma County: union announcement of the permanent telework agreement",
        "etl.telework",
    ),
    Document(
        "sonoma_temporary_telework_guidelines.txt",
        "Sonoma",
        "sonoma-telework",
        "Sonoma County: Temporary Telework Guidelines",
        "etl.telework",
    ),
)


def parse_all(raw_dir: Path, reference_dir: Path) -> ParseResult:
    """Run every parser once (a parser may read several documents) and merge the results."""
    result = ParseResult()
    seen: set[str] = set()
    for d in DOCUMENTS:
        if d.parser in seen:
            continue
        seen.add(d.parser)
        module = importlib.import_module(d.parser)
        result.extend(module.parse(raw_dir, reference_dir))
    validate(result)
    return result


# (ParseResult field, attribute, vocabulary, may be None)
_CHECKS = (
    ("premiums", "basis", PREMIUM_BASES, False),
    ("provisions", "topic", PROVISION_TOPICS, False),
    ("benefit_shares", "benefit", BENEFITS, False),
    ("benefit_shares", "amount_period", AMOUNT_PERIODS, True),
    ("wage_increases", "kind", WAGE_KINDS, False),
    ("time_off", "kind", TIME_OFF_KINDS, False),
)


def validate(result: ParseResult) -> None:
    """Every row uses the views' vocabularies: a parser's slip names the source line."""
    for table, attr, allowed, nullable in _CHECKS:
        for row in getattr(result, table):
            value = getattr(row, attr)
            if value is None and nullable:
                continue
            if value not in allowed:
                raise SourceParseError(
                    row.source.doc,
                    row.source.line,
                    f"{table}.{attr} {value!r} is not one of {', '.join(sorted(allowed))}",
                )
