"""Run every registered agreement's parser once and check the rows against the vocabularies."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import (
    AMOUNT_PERIODS,
    BENEFITS,
    EMPLOYEE_GROUPS,
    PREMIUM_BASES,
    PROVISION_TOPICS,
    TIME_OFF_KINDS,
    WAGE_KINDS,
    ParseResult,
    SourceRef,
    StepRule,
)
from etl.registry import PUBLISHED, Entry, StepRuleSpec


def parse_published(raw_dir: Path, reference_dir: Path) -> ParseResult:
    """Every published agreement: its parser's rows (a parser may read several documents),
    the registry's facts on each agreement row, and its step rule with the quotes located."""
    result = ParseResult()
    seen: set[str] = set()
    for entry in PUBLISHED:
        if entry.parser not in seen:
            seen.add(entry.parser)
            result.extend(importlib.import_module(entry.parser).parse(raw_dir, reference_dir))
        if entry.step_rule is not None:
            raw = RawDocument.load(raw_dir / entry.doc)
            result.step_rules.append(locate_rule(entry, entry.step_rule, raw))
    result.agreements = [with_registry(a) for a in result.agreements]
    validate(result)
    return result


def with_registry(agreement):
    """An agreement row with the registry's facts about it (salary table, colour, kind)."""
    entry = next((e for e in PUBLISHED if e.agreement_id == agreement.agreement_id), None)
    if entry is None:
        return agreement
    return dataclasses.replace(
        agreement,
        kind=entry.kind,
        has_salary_table=entry.has_salary_table,
        no_table_reason=entry.no_table_reason,
        color=entry.color,
    )


def locate_rule(entry: Entry, spec: StepRuleSpec, raw: RawDocument) -> StepRule:
    """The registry's step rule with each quote's line found in the agreement's text."""
    citations = []
    for q in spec.quotes:
        line, _ = raw.require(q.text, context=f"step rule {q.section}")
        citations.append((str(SourceRef(raw.name, line, q.section)), q.text))
    return rule_from_spec(entry, spec, tuple(citations))


def rule_from_spec(
    entry: Entry, spec: StepRuleSpec, citations: tuple[tuple[str, str], ...] = ()
) -> StepRule:
    """A StepRule record of an entry's spec (citations as located, or none)."""
    return StepRule(
        agency=entry.agency,
        agreement_id=entry.agreement_id,
        steps=spec.steps,
        step_pct=spec.step_pct,
        hire_step=spec.hire_step,
        first_advance_hours=spec.first_advance_hours,
        advance_hours=spec.advance_hours,
        steps_per_advance=spec.steps_per_advance,
        automatic=spec.automatic,
        condition=spec.condition,
        citations=citations,
        notes=spec.notes,
        stated=spec.stated,
    )


# (ParseResult field, attribute, vocabulary, may be None)
_CHECKS = (
    ("premiums", "basis", PREMIUM_BASES, False),
    ("provisions", "topic", PROVISION_TOPICS, False),
    ("benefit_shares", "benefit", BENEFITS, False),
    ("benefit_shares", "amount_period", AMOUNT_PERIODS, True),
    ("benefit_shares", "employee_group", EMPLOYEE_GROUPS, True),
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
