"""A handout for the bargaining table: one class (or a short list) on one or two printed pages,
as a self-contained, print-ready HTML file (no scripts, no outside files, printable from any
browser to PDF). For each class: its schedule on the date, the step rule and time to the top,
its market position against the chosen comparators, and the source of every number, with the
text of each cited line. On total compensation (`total`: the Market gap page's choices), the
market position compares totals and each class lists what its total holds, item by item, and
what it does not (analysis.market.total)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from analysis import agencies, sources, steps
from analysis.market import gap as market
from analysis.market import total as market_total
from etl.citations import SourceList

CSS = """
@page { size: letter; margin: 0.6in; }
body { font: 10.5pt/1.35 Georgia, 'Times New Roman', serif; color: #111; max-width: 7.3in;
       margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 2pt; } h2 { font-size: 12pt; margin: 14pt 0 4pt;
     border-bottom: 1px solid #999; } h3 { font-size: 10.5pt; margin: 10pt 0 3pt; }
table { border-collapse: collapse; width: 100%; margin: 3pt 0 6pt; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #444; font-size: 9pt; } .src { font-size: 8pt; color: #333; }
.src li { margin-bottom: 2pt; } .class { page-break-inside: avoid; }
.class + .class { page-break-before: always; } .flag { font-weight: bold; color: #a00; }
@media screen { body { padding: 16pt; } }
"""


@dataclass
class Handout:
    title: str
    html: str
    sources: list[str] = field(default_factory=list)


def _e(value: object) -> str:
    """Every value goes into the page escaped: class titles and notes are data, not markup."""
    return html.escape("" if value is None else str(value), quote=True)


def _money(v: float) -> str:
    return f"${v:,.2f}"


def _cite(cites: SourceList, ref: object) -> str:
    """Superscript numbers pointing at the source list (etl.citations.SourceList numbers them,
    as the member site does); printed as one '[1,3]', no links: the handout is for paper."""
    nums = sorted(set(cites.number(ref)))
    return "<sup>[" + ",".join(str(n) for n in nums) + "]</sup>" if nums else ""


def _schedule(con, agency: str, code: str, when: date, cites: SourceList) -> str:
    rows = steps.pay_by_step(con, agency, code, when)
    body = "".join(
        f"<tr><td>{_e(r.step)}</td><td class=n>{_money(r.hourly)}</td>"
        f"<td class=n>{_money(r.biweekly)}</td><td class=n>{_money(r.monthly)}</td>"
        f"<td class=n>{_money(r.annual)}</td>"
        f"<td>{_e(r.basis)}{_cite(cites, r.source_ref)}</td></tr>"
        for r in rows.itertuples()
    )
    sched = pd.Timestamp(rows["schedule_date"].iloc[0])
    return (
        f"<h3>Salary schedule of {sched:%m/%d/%Y}</h3><table><tr><th>Step</th><th class=n>"
        "Hourly</th><th class=n>Biweekly</th><th class=n>Monthly</th><th class=n>Annual</th>"
        f"<th>Printed or derived</th></tr>{body}</table>"
    )


def _market(res: market.GapResult | None, code: str, cites: SourceList) -> str:
    if res is None:  # an agency whose survey list names nobody with pay on the date
        return (
            "<h3>Market position</h3><p>No comparators with pay on this date: the market "
            "position is not shown.</p>"
        )
    row = res.table[res.table["subject_class_code"] == code]
    if row.empty:
        return "<h3>Market position</h3><p>No comparator has a matched class with pay.</p>"
    r = row.iloc[0]
    flag = " class=flag" if r["flag"] else ""
    detail = res.detail[res.detail["subject_class_code"] == code]
    body = "".join(
        f"<tr><td>{_e(d.comparator_agency)}</td><td>{_e(d.comparator_title)}</td>"
        f"<td class=n>{_money(d.annual_as_of)}</td><td>{_e(d.brought_by)}"
        f"{_cite(cites, d.source_ref)}</td></tr>"
        for d in detail.itertuples()
    )
    return (
        f"<h3>Market position ({_e(r['step_position'])} step to {_e(r['step_position'])} step, "
        f"annual{', ' + _e(r['basis']) if isinstance(r.get('basis'), str) else ''})</h3>"
        f"<p>Own: <b>{_money(r['own_top_annual'])}</b>"
        f"{_cite(cites, r['own_source_ref'])}"
        f" · market {_e(r['stat'])} <b>{_money(r['market'])}</b> of {int(r['market_n'])} "
        f"comparator(s) · <span{flag}>{r['pct_below_market']:+.2f}% below market</span> "
        f"((market − own) / market) · {r['pct_increase_to_market']:+.2f}% increase to reach "
        "market ((market − own) / own)</p><table><tr><th>Comparator</th><th>Matched class</th>"
        f"<th class=n>Annual, as of the date</th><th>How it was brought to the date</th></tr>"
        f"{body}</table>"
    )


def _total(res, code: str, cites: SourceList) -> str:
    """What the class's total holds, item by item, and what it does not."""
    row = res.table[res.table["subject_class_code"] == code]
    if row.empty:
        return ""
    r = row.iloc[0]
    body = f"<tr><td>Pay</td><td class=n>{_money(r['own_pay_annual'])}</td></tr>"
    for item in res.items:
        value = r.get(f"own_{item}")
        shown = _money(value) if pd.notna(value) else "not priced (counted as 0)"
        body += (
            f"<tr><td>{_e(market_total.ITEMS[item].capitalize())}</td><td class=n>{shown}</td></tr>"
        )
    body += f"<tr><th>Total compensation</th><th class=n>{_money(r['own_top_annual'])}</th></tr>"
    left = [market_total.ITEMS[i] for i in market_total.ITEMS if i not in res.items]
    parts = [p for p in str(r.get("own_items_note") or "").split("; ") if p]
    missing = [p for p in str(r.get("own_not_priced") or "").split("; ") if p]
    return (
        f"<h3>Total compensation (own){_cite(cites, r['own_source_ref'])}</h3><table>{body}"
        "</table><p class=src><b>Included:</b> "
        + _e("; ".join(parts) or "pay only")
        + "</p><p class=src><b>Not included:</b> "
        + _e("; ".join([*(f"{w} (not priced on every side)" for w in left), *missing]) or "—")
        + "</p>"
    )


def _sources(con, cites: SourceList) -> str:
    items = []
    for i, ref in enumerate(cites.refs, 1):
        try:
            ctx = sources.source_context(con, ref, radius=0, chars=240)
            text = " ".join(ctx.loc[ctx["is_cited"], "text"].astype(str))
        except ValueError:
            text = ""
        items.append(f"<li>[{i}] <b>{_e(ref)}</b> — {_e(text[:240])}</li>")
    return f"<h2>Sources</h2><ol class=src style='list-style:none;padding:0'>{''.join(items)}</ol>"


def class_handout(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_codes: list[str],
    as_of: date,
    comparators: list[str],
    *,
    prepared_by: str = "local",
    total: dict | None = None,
    **gap_kwargs,
) -> Handout:
    """The handout of one or more classes of `agency` on `as_of` against `comparators`; the
    market position is analysis.market.gap.run_gap's with `gap_kwargs` (stat, step position,
    survey and State Controller rows, class-match decisions...), so that it is the figure the
    Market gap page shows for the same choices."""
    agency = agencies.resolve(con, agency)
    rule = agencies.step_rule(con, agency, as_of)
    res = None
    if comparators and total is not None:  # total: analysis.market.total.total_gap's options
        res = market_total.total_gap(con, agency, comparators, as_of, **total, **gap_kwargs)
    elif comparators:
        res = market.run_gap(con, agency, comparators, as_of, **gap_kwargs)
    cites = SourceList()
    parts, titles = [], []
    for code in class_codes:
        title = steps.pay_by_step(con, agency, code, as_of)["class_title"].iloc[0]
        titles.append(f"{title} ({code})" if title else code)
        parts.append(
            f"<section class=class><h2>{_e(title)} ({_e(code)})</h2>"
            + _schedule(con, agency, code, as_of, cites)
            + f"<h3>Steps</h3><p>{_e(steps.describe_rule(rule))}. Top step after "
            f"{steps.time_to_top(rule):g} months on the fastest path."
            f"{_cite(cites, rule.source_ref)}</p>"
            + _market(res, code, cites)
            + (_total(res, code, cites) if total is not None and res is not None else "")
            + "</section>"
        )
    notes = "".join(f"<li>{_e(n)}</li>" for n in (res.notes if res is not None else []))
    heading = f"{agency}: {', '.join(titles)} as of {as_of:%m/%d/%Y}"
    page = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(heading)}</title>"
        f"<style>{CSS}</style></head><body><h1>{_e(heading)}</h1><p class=meta>Prepared "
        f"{datetime.now():%m/%d/%Y %H:%M} by {_e(prepared_by)} from the published agreements "
        f"(and any survey data named below). Comparators: {_e(', '.join(comparators) or 'none')}. "
        "Nominal dollars unless stated; every figure's source is listed at the end.</p>"
        + "".join(parts)
        + (f"<h2>Notes</h2><ul class=src>{notes}</ul>" if notes else "")
        + _sources(con, cites)
        + "</body></html>"
    )
    return Handout(heading, page, cites.refs)
