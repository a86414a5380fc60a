"""The site's front page (every agency and unit, a search box over class titles and codes),
one page per agency (its classes by unit as plain links, so the site works with scripts
off; an agency without a salary table says so and lists what its agreement does say about
pay), and the search index (search.json) the front page's script reads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from exports.site import assets
from exports.site.class_page import AgencyInfo
from exports.site.html import Cites, day, e, page, shorten, time_tag
from exports.site.paths import INDEX, SEARCH, agency_index, rel, unit_anchor
from exports.site.quotes import Quotes


@dataclass
class ClassLink:
    code: str
    title: str
    unit: str | None
    path: str
    payroll_only: bool


@dataclass
class AgencyPlan:
    info: AgencyInfo
    folder: str
    as_of: object  # the date of its pages (None: no salary table)
    no_table_reason: str | None
    classes: list[ClassLink] = field(default_factory=list)
    raises: pd.DataFrame | None = None  # wage_increases, for an agency without a table

    @property
    def units(self) -> list[str | None]:
        return sorted({c.unit for c in self.classes}, key=lambda u: (u is not None, u or ""))


def unit_label(unit: str | None) -> str:
    return f"unit {unit}" if unit else "all units"


INTRO = (
    "Find your class: its pay at every step, when the next step comes, every increase over "
    "the agreement's term in today's dollars too, the premiums it can earn and the same class "
    "elsewhere, each figure with the line of the agreement it comes from."
)


def _search_block() -> str:
    return (
        '<section id="search" role="search" aria-labelledby="search-h" hidden>'
        '<h2 id="search-h">Search</h2><label for="q">Class title or code</label>'
        '<input id="q" type="search" autocomplete="off" spellcheck="false">'
        '<p id="search-status" class="note" role="status" aria-live="polite"></p>'
        '<ul id="results"></ul></section>'
    )


def _meta(a: AgencyPlan) -> str:
    meta = f'<p class="note">{e(a.info.union)} · {e(a.info.title)}'
    if a.info.term_start is not None:
        meta += f" · {day(a.info.term_start)}–{day(a.info.term_end)}"
    return meta + "</p>"


def _units(a: AgencyPlan, link: str) -> str:
    """What the agency's pages hold: its units with links, or why there are none."""
    if a.as_of is None:
        return f"<p>No salary table: {e(a.no_table_reason or 'its agreement prints none')}.</p>"
    units = "".join(
        f'<li><a href="{e(link)}#{unit_anchor(u)}">{e(unit_label(u).capitalize())}</a> '
        f"({sum(c.unit == u for c in a.classes)} classes)</li>"
        for u in a.units
    )
    return f"<p>Pay on {time_tag(a.as_of)}.</p><ul>{units}</ul>"


def _agency_summary(a: AgencyPlan, from_page: str) -> str:
    link = rel(from_page, agency_index(a.folder))
    return f'<h3><a href="{e(link)}">{e(a.info.name)}</a></h3>{_meta(a)}{_units(a, link)}'


def front_page(plans: list[AgencyPlan], footer: str) -> str:
    body = (
        f'<h1>Members\' pay lookup</h1><p class="lede">{e(INTRO)}</p>{_search_block()}'
        '<section aria-labelledby="agencies"><h2 id="agencies">Agencies and units</h2>'
        + "".join(_agency_summary(a, INDEX) for a in plans)
        + "</section>"
    )
    return page(
        "Members' pay lookup",
        [("All agencies", None)],
        body,
        assets.css_path(),
        footer,
        js=assets.js_path(),
    )


def _class_item(c: ClassLink, from_page: str) -> str:
    star = " *" if c.payroll_only else ""
    return (
        f'<li><a href="{e(rel(from_page, c.path))}">{e(shorten(c.title))} '
        f"({e(c.code)})</a>{star}</li>"
    )


def _raises_list(a: AgencyPlan, q: Quotes) -> str:
    r = a.raises
    if r is None or r.empty:
        return ""
    cites = Cites()
    items = "".join(
        f"<li>{time_tag(x.effective_date)}: {e(x.what)}{cites.mark(x.source_ref)}"
        + (f' <span class="note">({e(x.note)})</span>' if isinstance(x.note, str) else "")
        + "</li>"
        for x in r.itertuples()
    )
    return (
        '<section aria-labelledby="raises"><h2 id="raises">What the agreement says about '
        f"pay</h2><ul>{items}</ul></section>{q.source_list(cites)}"
    )


def agency_page(a: AgencyPlan, q: Quotes, footer: str) -> str:
    me = agency_index(a.folder)
    head = f"<h1>{e(a.info.name)}</h1>{_meta(a)}{_units(a, INDEX)}"
    if a.as_of is None:
        body = head + _raises_list(a, q)
    else:
        sections = []
        for u in a.units:
            mine = sorted((c for c in a.classes if c.unit == u), key=lambda c: (c.title, c.code))
            items = "".join(_class_item(c, me) for c in mine)
            sections.append(
                f'<section aria-labelledby="{unit_anchor(u)}"><h2 id="{unit_anchor(u)}">'
                f'{e(unit_label(u).capitalize())}</h2><ul class="classes">{items}</ul></section>'
            )
        if any(c.payroll_only for c in a.classes):
            sections.append(
                '<p class="note">* a payroll-only class (marked * in the agreement)</p>'
            )
        body = head + "".join(sections)
    crumbs = [("All agencies", rel(me, INDEX)), (a.info.name, None)]
    css = rel(me, assets.css_path())
    return page(f"{a.info.name}: pay by class", crumbs, body, css, footer)


def search_index(plans: list[AgencyPlan]) -> bytes:
    """[{t: title (shortened), c: code, a: agency, u: unit, p: path}] in site order."""
    rows = [
        {"t": shorten(c.title), "c": c.code, "a": a.info.name, "u": c.unit or "", "p": c.path}
        for a in plans
        for c in a.classes
    ]
    return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


SEARCH_PATH = SEARCH
