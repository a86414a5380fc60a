"""Sonoma benefit rows the text defines by a rule rather than a table, read from the text:

- 17.14: "Effective June 22, 2004 ... Additionally on this date, the employer-paid 1% deferred
  compensation (457) contribution will cease". The 8.21.2 table is by fiscal year (its FY
  04-05 column starts July 1, 2004), but the 1% ends on the date 17.14 names, nine days
  earlier: a derived deferred_comp row per unit group, dated from the text, the ceased points
  taken off the rate in force the day before (1% -> 0%, the supervisory unit's 1.5% -> 0.5%),
  and checked against the FY 04-05 column of the table (a disagreement stops the build).
- 18.8: the Marina Supervisor housing allowance is paid to "an employee in the Marina
  Supervisor job class": its rows say which class (`paid_to_class`), found by that title in
  Appendix A, so total compensation counts it for that class only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from etl.curated import long_date
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.records import BenefitShare, JobClass, Premium, SourceRef
from etl.sources.sonoma.appendix import DOC
from etl.sources.sonoma.money import HOUSING

CEASE = "deferred compensation (457) contribution will cease"
_CEASE = re.compile(r"the employer-paid (?P<pct>\d+(?:\.\d+)?)% deferred compensation \(457\)")
_EFFECTIVE = re.compile(r"^Effective (?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})")
_SECTION = re.compile(r"^17\.14\s")
_CLASS_WORDS = re.compile(r"an employee in the (?P<title>[A-Z][A-Za-z ]+?) job class")


def _ending_date(doc: RawDocument, cease_line: int) -> tuple[date, int]:
    """The date "this date" refers to: the 'Effective <date>' that opens the section, found
    walking back from the cease sentence to the 17.14 heading. (date, its line)."""
    for n in range(cease_line, 0, -1):
        m = _EFFECTIVE.match(doc.line(n))
        if m:
            return long_date(m["date"]), n
        if _SECTION.match(doc.line(n)):
            break
    raise SourceParseError(doc.name, cease_line, "17.14: no 'Effective <date>' before 'cease'")


def deferred_comp_ending(shares: list[BenefitShare], doc: RawDocument) -> list[BenefitShare]:
    """17.14's ending of the employer-paid deferred compensation, one row per unit group of
    the 8.21.2 rows (module docstring)."""
    line, _ = doc.require(CEASE, context="17.14 deferred compensation ending")
    m = _CEASE.search(doc.line(line))
    if m is None:
        raise SourceParseError(doc.name, line, "17.14: the ceasing percentage not found")
    ceased = float(m["pct"])
    when, date_line = _ending_date(doc, line)
    rows = [s for s in shares if s.benefit == "deferred_comp" and s.effective_date is not None]
    out = []
    for tier in dict.fromkeys(s.tier for s in rows):
        mine = sorted((s for s in rows if s.tier == tier), key=lambda s: s.effective_date)
        before = [s for s in mine if s.effective_date < when]
        after = [s for s in mine if s.effective_date >= when]
        if not before or before[-1].employer_pct is None:
            continue
        prior = before[-1]
        pct = prior.employer_pct - ceased
        if pct < 0 or (after and after[0].employer_pct != pct):
            shown = after[0].employer_pct if after else None
            raise SourceParseError(
                doc.name,
                line,
                f"17.14: {prior.employer_pct:g}% - {ceased:g}% = {pct:g}% for units {tier}, "
                f"but the 8.21.2 table's next column says {shown}",
            )
        early = (
            f", {(after[0].effective_date - when).days} days before the table's column"
            if after
            else ""
        )
        before_note = (prior.note or "").rstrip(". ")
        note = (
            f"{before_note}; derived from 17.14: the employer-paid {ceased:g}% ceases on "
            f"{when:%m/%d/%Y} ('Effective {when:%B} {when.day}, {when.year}', line {date_line}; "
            f"'Additionally on this date ... will cease', line {line}): {prior.employer_pct:g}% "
            f"- {ceased:g}% = {pct:g}%{early}"
        )
        source = SourceRef(DOC, line, "17.14")
        out.append(replace(prior, employer_pct=pct, effective_date=when, note=note, source=source))
    return out


def class_allowances(
    premiums: list[Premium], classes: list[JobClass], doc: RawDocument
) -> list[Premium]:
    """The 18.8 rows with the class they are paid to (module docstring); other rows as they
    are."""
    titles = {c.class_title.casefold(): c.class_code for c in classes if c.class_title}
    out = []
    for p in premiums:
        if p.premium != HOUSING:
            out.append(p)
            continue
        m = _CLASS_WORDS.search(doc.line(p.source.line))
        code = titles.get(m["title"].casefold()) if m else None
        if code is None:
            what = f"{m['title']!r} is not an Appendix A title" if m else "no 'job class' words"
            raise SourceParseError(doc.name, p.source.line, f"18.8: {what}")
        out.append(replace(p, paid_to_class=code))
    return out
