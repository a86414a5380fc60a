"""One class's page of the member site: analysis.member.class_figures.ClassFigures (the figures the
My pay page shows) as HTML, every figure with its citation, readable on a phone and printed
on one sheet."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis import premium_eligibility as pe
from analysis.member.class_figures import ClassFigures
from analysis.steps import describe_rule
from etl.labels import words
from etl.pay import hours_to_months
from etl.vocabulary_words import BASES, MATCH_METHODS
from exports.site.html import Cites, day, e, money, page, pct, shorten, table, time_tag
from exports.site.quotes import Quotes


@dataclass(frozen=True)
class Where:
    """A page's place in the site: its own path and the relative links it needs."""

    path: str
    home: str  # to index.html
    agency_page: str  # to the agency's index.html
    css: str


@dataclass(frozen=True)
class AgencyInfo:
    name: str
    union: str
    title: str
    term_start: object
    term_end: object
    kind: str


def _derived(basis: object, cites: Cites, ref: object) -> str:
    word = '<span class="tag">derived</span>' if basis == "derived" else "printed"
    return f'<span class="nw">{word}{cites.mark(ref)}</span>'


def _next_cell(r) -> list[str]:
    if not isinstance(r.next_step, str):
        return ["top step", "—", "—"]
    months = hours_to_months(r.hours_to_next)
    after = f'<span class="nw">{months:g} months</span> ({r.hours_to_next:,.0f} h)'
    return [e(r.next_step), after, pct(r.next_pct)]


def common_tail(texts: list[str]) -> str:
    """The longest ending every text shares, from a ', ' or '; ' on (so that a list of
    derivations says their common part once); '' when short or none."""
    if len(texts) < 2:
        return ""
    tail = texts[0]
    for t in texts[1:]:
        while tail and not t.endswith(tail):
            tail = tail[1:]
    cut = min((i for i in (tail.find(", "), tail.find("; ")) if i >= 0), default=-1)
    tail = tail[cut:] if cut >= 0 else ""
    return tail if len(tail) > 20 else ""


def derivations(f: ClassFigures) -> str:
    rows = [(r.step, r.derivation) for r in f.ladder.itertuples()
            if r.basis == "derived" and isinstance(r.derivation, str)]  # fmt: skip
    if not rows:
        return ""
    tail = common_tail([d for _, d in rows])
    items = "".join(f"<li>{e(d[: len(d) - len(tail)] if tail else d)}</li>" for _, d in rows)
    each = f"; each: {e(tail[2:])}" if tail else ""
    return (
        '<p class="note">Derived values are computed from the printed ones by the rule the '
        f'agreement states{each}.</p><ul class="note derivations">{items}</ul>'
    )


def pay_section(f: ClassFigures, cites: Cites) -> str:
    rows = [
        [
            e(r.step),
            money(r.hourly),
            money(r.biweekly),
            money(r.monthly),
            money(r.annual),
            _derived(r.basis, cites, r.source_ref),
        ]
        for r in f.ladder.itertuples()
    ]
    heads = ["Step", "Hourly", "Biweekly", "Monthly", "Annual", "Source"]
    caption = f"On {day(f.as_of)}: the schedule of {time_tag(f.schedule_date)}"
    out = table(caption, heads, rows, [False, True, True, True, True, False], "pay")
    out += derivations(f)
    out += '<p class="note">Biweekly = 80 hours, annual = 2,080 hours, monthly = annual ÷ 12.</p>'
    return f'<section aria-labelledby="pay"><h2 id="pay">Pay at every step</h2>{out}</section>'


def rule_section(f: ClassFigures, cites: Cites) -> str:
    rows = [[e(r.step), *_next_cell(r)] for r in f.ladder.itertuples()]
    ladder = table(
        "The next step from each step, on the fastest path",
        ["From step", "Next step", "After", "Rise"],
        rows,
        [False, False, False, True],
        "ladder",
    )
    compact = "; ".join(
        f"{e(r.step)} → {e(r.next_step)} after {hours_to_months(r.hours_to_next):g} months "
        f"({pct(r.next_pct)})"
        for r in f.ladder.itertuples()
        if isinstance(r.next_step, str)
    )
    ladder = f'<div class="screen-only">{ladder}</div><p class="print-only">{compact}.</p>'
    quotes = "".join(
        f"<blockquote><p>“{e(text)}”{cites.mark(ref)}</p></blockquote>"
        for ref, text in f.rule.citations
    )
    notes = "".join(f'<p class="note screen-only">{e(n)}</p>' for n in f.rule.notes)
    return (
        '<section aria-labelledby="steps"><h2 id="steps">Moving up a step</h2>'
        f"<p>{e(describe_rule(f.rule))}.{cites.mark(f.rule.source_ref)}</p>{ladder}"
        '<p class="note">The fastest path: every merit approved when first due, full-time '
        "service (2,080 hours a year); the rise is computed from the two rates. The agreement's "
        f"words:</p>{quotes}{notes}</section>"
    )


def _what(r, cites: Cites, first: bool) -> str:
    parts = [f"{e(text)}{cites.mark(ref)}" for text, ref in zip(r.what, r.what_refs, strict=True)]
    if not parts:
        parts = ["the first schedule of the term" if first else "a new schedule"]
    return "; ".join(parts)


def _rate(value: object, basis: object, cites: Cites, ref: object) -> str:
    tag = ' <span class="tag">derived</span>' if basis == "derived" else ""
    return money(value) + tag + cites.mark(ref)


def _interpolated(inc: pd.DataFrame) -> list[str]:
    methods = inc.get("cpi_from_method", [])
    return sorted(
        {
            f"{pd.Timestamp(d):%b %Y}"
            for d, m in zip(inc["date"], methods, strict=False)
            if m == "interpolated"
        }  # fmt: skip
    )


def increases_section(f: ClassFigures, cites: Cites) -> str:
    inc = f.increases
    if inc.empty:
        return ""
    a, top = e(inc["first_step"].iloc[0]), e(inc["top_step"].iloc[0])
    month = f"{pd.Timestamp(f.real_month):%b %Y}"
    rows = []
    for i, r in enumerate(inc.itertuples()):
        rows.append(
            [
                time_tag(r.date) + (' <span class="tag">in force</span>' if r.in_force else ""),
                _what(r, cites, i == 0),
                _rate(r.first_hourly, r.first_basis, cites, r.first_source_ref),
                _rate(r.top_hourly, r.basis, cites, r.source_ref),
                money(r.top_annual),
                money(r.top_annual_real, 0),
                pct(r.change_pct),
            ]
        )
    heads = ["Effective", "What changed", f"Step {a} hourly", f"Step {top} hourly"]
    heads += [f"Step {top} annual", f"Step {top} annual, {e(month)} $", f"Change, step {top}"]
    body = table(
        "Every schedule of the agreement's term", heads, rows, [0, 0, 1, 1, 1, 1, 1], "term"
    )
    gaps = _interpolated(inc)
    body += (
        f'<p class="note">The real column is in {e(f.real_label)}'
        + (
            f"; the series publishes no value for {e(', '.join(gaps))}, so that index is "
            "interpolated between the months either side"
            if gaps
            else ""
        )
        + ". The change is computed from the two hourly rates.</p>"
    )
    return (
        '<section aria-labelledby="term"><h2 id="term">Increases over the term</h2>'
        f"{body}</section>"
    )


def as_written(value: object, basis: str) -> str:
    """A premium as the agreement states it: '5% of base pay', '$0.90 per hour'."""
    v = float(value) if value is not None else math.nan
    text = BASES.get(basis, words(basis))
    if text.startswith("$ "):
        return f"${v:,.2f} {text[2:]}"
    if text.startswith("%"):
        return f"{v:g}{text}"
    return f"{v:g} {text}"


def _per_hour(r) -> str:
    lo, hi = r.usd_per_hour_first, r.usd_per_hour_top
    if math.isnan(lo) and math.isnan(hi):
        return f'<span class="note wrap">{e(r.computed_as)}</span>'
    if math.isclose(lo, hi, abs_tol=0.00005):
        return f"{money(hi)}/h"
    return f"{money(lo)}–{money(hi)}/h"


PREMIUM_GROUPS = {
    pe.THIS_CLASS: "Written for this class",
    pe.ITS_UNIT: "For its bargaining unit",
    pe.ANY_CLASS: "Open to any employee who meets the condition (the agreement names no class)",
}


def _premium_table(
    g: pd.DataFrame, title: str, steps: str, cites: Cites, printed: bool
) -> tuple[str, list]:
    rows, compact = [], []
    for r in g.itertuples():
        mark = cites.mark(r.source_ref, screen_only=not printed)
        written = e(as_written(r.value, r.basis))
        rows.append([e(words(r.premium)), written + mark, _per_hour(r), e(r.eligibility)])
        compact.append(f"<li>{e(words(r.premium))}: {written}{mark}</li>")
    heads = ["Premium", "As written", f"Per hour, step {steps}", "Who qualifies"]
    return table(e(title), heads, rows, [0, 0, 1, 0], "premiums", stacked=True), compact


def premiums_section(f: ClassFigures, cites: Cites) -> str:
    p = f.premiums
    head = '<section aria-labelledby="premiums"><h2 id="premiums">Premiums</h2>'
    if p.empty:
        return head + "<p>The agreement lists no premium this class can earn.</p></section>"
    steps = f"{e(f.ladder['step'].iloc[0])}–{e(f.ladder['step'].iloc[-1])}"
    parts, compact = [], []
    for key, title in PREMIUM_GROUPS.items():
        g = p[p["applies"] == key]
        if g.empty:
            continue
        html, items = _premium_table(g, title, steps, cites, key != pe.ANY_CLASS)
        compact += items if key != pe.ANY_CLASS else []
        if key == pe.ANY_CLASS:  # long, and mostly conditions of other jobs: opened on demand
            compact.append(
                f'<li class="more">and {len(g)} premiums open to any employee who meets their '
                "condition, each with its rate and condition on the web page</li>"
            )
            html = (
                f'<details class="screen-only"><summary>{len(g)} premiums open to any employee '
                f"who meets the condition (the agreement names no class)</summary>{html}</details>"
            )
        else:
            html = f'<div class="screen-only">{html}</div>'
        parts.append(html)
    return (
        head + '<p class="note screen-only">Read from each premium\'s own words: those naming '
        "this class or its unit, and those naming no class; premiums written for other classes "
        "are left out.</p>"
        + "".join(parts)
        + f'<ul class="premium-list print-only">{"".join(compact)}</ul></section>'
    )


def elsewhere_section(f: ClassFigures, cites: Cites) -> str:
    o = f.elsewhere
    head = '<section aria-labelledby="elsewhere"><h2 id="elsewhere">The same class elsewhere</h2>'
    if o.empty:
        return head + "<p>No comparable class in the other agencies' schedules.</p></section>"
    month = f"{pd.Timestamp(f.real_month):%b %Y}"
    rows = [
        [
            e(r.agency),
            f"{e(shorten(r.class_title))} ({e(r.class_code)})",
            e(r.step) + (" (first)" if r.share == 0 else " (top)" if r.share == 1 else ""),
            money(r.annual) + cites.mark(r.source_ref),
            money(r.annual_real, 0),
            time_tag(r.schedule_date),
            e(MATCH_METHODS.get(r.matched_by, words(r.matched_by))),
        ]
        for r in o.itertuples()
    ]
    heads = ["Agency", "Class", "Step", "Annual", f"Annual in {e(month)} dollars", "Schedule",
             "Matched by"]  # fmt: skip
    return (
        head
        + table(
            "The matched class's first and top step, on its own agency's date",
            heads,
            rows,
            [0, 0, 0, 1, 1, 0, 0],
            "elsewhere",
        )  # fmt: skip
        + f'<p class="note">The real column is in {e(f.real_label)}, so that agreements of '
        "different years compare.</p></section>"
    )


def total_section(f: ClassFigures, cites: Cites) -> str:
    head = '<section aria-labelledby="total"><h2 id="total">Total compensation</h2>'
    t = f.total
    if t is None:
        return head + "<p>The agreement prices no total compensation for this class.</p></section>"
    rows = [
        [f"Base pay (step {e(t['step'])})", money(t["base_annual"])],
        ["Employer-paid benefits the agreement prices", money(t["employer_benefits_annual"])],
        [f"Paid time off ({t['time_off_hours']:,.2f} h)", money(t["time_off_value_annual"])],
        ["Total", money(t["total_annual"]) + cites.mark(t["source_refs"])],
    ]
    caption = (
        f"A year at {t['years_of_service']:g} years of service, schedule of "
        f"{time_tag(t['effective_date'])}"
    )
    out = table(caption, ["Part", "Annual"], rows, [0, 1], "total")
    for label, key, css in (("Not priced", "missing", "note"), ("How", "note", "note screen-only")):
        if isinstance(t[key], str) and t[key]:
            out += f'<p class="{css}">{label}: {e(t[key])}</p>'
    return head + out + "</section>"


def body(f: ClassFigures, info: AgencyInfo, unit_label: str, payroll_only: bool, q: Quotes) -> str:
    cites = Cites()
    term = f"{day(info.term_start)}–{day(info.term_end)}" if info.term_start is not None else ""
    agreement = ", ".join(x for x in (info.union, info.title) if x and x != "None")
    where = " · ".join(e(x) for x in (info.name, unit_label, agreement) if x)
    lede = (
        f'<p class="lede">{where}{(" (" + term + ")") if term else ""}. Pay on '
        f"{time_tag(f.as_of)}, the schedule in force that day.</p>"
    )
    if payroll_only:
        lede += (
            '<p class="note">A payroll-only class (marked * in the agreement): it is paid on '
            "this range and follows the class it is a variant of.</p>"
        )
    sections = [
        pay_section(f, cites),
        rule_section(f, cites),
        increases_section(f, cites),
        premiums_section(f, cites),
        elsewhere_section(f, cites),
        total_section(f, cites),
    ]
    notes = "".join(f"<li>{e(n)}</li>" for n in f.notes[1:])  # the first is the step rule
    if notes:
        sections.append(f'<section aria-labelledby="notes"><h2 id="notes">Notes</h2><ul '
                        f'class="note">{notes}</ul></section>')  # fmt: skip
    title = f"{e(f.class_title)} ({e(f.class_code)})"
    return f"<h1>{title}</h1>{lede}{''.join(sections)}{q.source_list(cites)}"


def render(
    f: ClassFigures,
    info: AgencyInfo,
    unit_label: str,
    payroll_only: bool,
    where: Where,
    quotes: Quotes,
    footer: str,
) -> str:
    crumbs = [("All agencies", where.home), (info.name, where.agency_page),
              (shorten(f"{f.class_title} ({f.class_code})", 60), None)]  # fmt: skip
    title = f"{shorten(f.class_title, 80)} ({f.class_code}) · {info.name}: pay"
    return page(title, crumbs, body(f, info, unit_label, payroll_only, quotes), where.css, footer)


def no_schedule(code: str, title: str, info: AgencyInfo, why: str, where: Where, footer: str):
    """The page of a class with no schedule on the date: says why, no tables."""
    crumbs = [("All agencies", where.home), (info.name, where.agency_page),
              (shorten(f"{title} ({code})", 60), None)]  # fmt: skip
    inner = (
        f"<h1>{e(title)} ({e(code)})</h1><p>{e(info.name)}: no pay to show for this class: "
        f"{e(why)}.</p>"
    )
    return page(f"{shorten(title, 80)} ({code}) · {info.name}", crumbs, inner, where.css, footer)
