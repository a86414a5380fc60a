"""The pieces every page of the member site is made of: escaping (every value is data, never
markup), money and dates written one way, accessible tables (a caption, column headers with
scope, row headers), citation markers numbered per page, and the page frame
(string.Template)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from string import Template

import pandas as pd

from etl.citations import SourceList, SourceRef, split_refs

INDEX_TITLE_CHARS = 120  # a class title longer than this is shortened in lists and the index


def e(value: object) -> str:
    """A value escaped for text and attributes alike."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def shorten(text: object, limit: int = INDEX_TITLE_CHARS) -> str:
    """Text cut to `limit` characters at a word where it can be, with '…' (not escaped)."""
    s = " ".join(str(text or "").split())
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def money(v: object, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"${float(v):,.{digits}f}"


def pct(v: object, signed: bool = True) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{float(v):+.2f}%" if signed else f"{float(v):.2f}%"


def day(d: object) -> str:
    """MM/DD/YYYY, the way the agreements and the app write dates."""
    if d is None or d is pd.NaT or (isinstance(d, float) and math.isnan(d)):
        return ""
    return f"{pd.Timestamp(d):%m/%d/%Y}"


def iso(d: object) -> str:
    return pd.Timestamp(d).date().isoformat() if d is not None else ""


def time_tag(d: object) -> str:
    return (
        f'<time datetime="{iso(d)}">{day(d)}</time>' if isinstance(d, date | pd.Timestamp) else ""
    )


@dataclass(eq=False)
class Cites(SourceList):
    """The sources one page cites, numbered in order of first use (etl.citations.SourceList:
    the same reference keeps its number), and those that print."""

    printed: set[str] = field(default_factory=set)  # cited by content that prints

    def mark(self, ref: object, screen_only: bool = False) -> str:
        """Superscript links to the page's source list for a source_ref ('a; b' = two);
        `screen_only` for content the print stylesheet hides (its sources print only if
        something printed cites them too)."""
        if not screen_only:
            self.printed.update(split_refs(ref))
        links = "".join(
            f'<a href="#src-{n}" class="cite" aria-label="source {n}">[{n}]</a>'
            for n in self.number(ref)
        )
        return f"<sup>{links}</sup>" if links else ""

    def marks(self, refs: Iterable[object]) -> str:
        return "".join(self.mark(r) for r in refs)


def th_cols(headers: Sequence[str], numeric: Sequence[bool] | None = None) -> str:
    numeric = numeric or [False] * len(headers)
    cells = "".join(
        f'<th scope="col"{" class=n" if n else ""}>{h}</th>'
        for h, n in zip(headers, numeric, strict=True)
    )
    return f"<thead><tr>{cells}</tr></thead>"


def table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Sequence[bool] | None = None,
    css: str = "",
    stacked: bool = False,
) -> str:
    """A data table: `caption` and `headers` are markup (already escaped), each row's first
    cell is its row header. Wrapped in a focusable scroll region so it never widens a phone's
    page. `stacked`: a table of long text (who qualifies, conditions) whose rows become blocks
    on a phone, each cell labelled with its header (the stylesheet's table.stack), since
    scrolling sideways through paragraphs cannot be read."""
    numeric = list(numeric or [False] * len(headers))
    labels = [_plain(h) for h in headers]
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [
            f"<td{' class=n' if n else ''}"
            + (f' data-label="{lab}"' if stacked else "")
            + f">{c}</td>"
            for c, n, lab in zip(row[1:], numeric[1:], labels[1:], strict=True)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    css = " ".join(c for c in (css, "stack" if stacked else "") if c)
    cls = f' class="{css}"' if css else ""
    return (
        f'<div class="scroll" role="region" tabindex="0" aria-label="{_plain(caption)}">'
        f"<table{cls}><caption>{caption}</caption>{th_cols(headers, numeric)}"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _plain(markup: str) -> str:
    """Markup as attribute text (tags dropped; it is already escaped)."""
    out, inside = [], False
    for ch in markup:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out).replace('"', "&quot;")


def ref_text(ref: str) -> str:
    """A source_ref as the reader sees it in the source list (the one citation format)."""
    try:
        return str(SourceRef.parse(ref))
    except ValueError:
        return ref


PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>$title</title>
<link rel="stylesheet" href="$css">
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="site"><nav aria-label="Where you are"><ol class="crumbs">$crumbs</ol></nav></header>
<main id="main">
$body
</main>
<footer class="site">$footer</footer>
$scripts</body>
</html>
"""
)


def page(
    title: str, crumbs: list[tuple[str, str | None]], body: str, css: str, footer: str, js=""
) -> str:
    """A whole page: `title` is plain text; crumbs are (plain text, relative href or None for
    this page); `body` and `footer` are markup; `js` a relative script path or ''."""
    items = "".join(
        f'<li><a href="{e(href)}">{e(text)}</a></li>'
        if href
        else f'<li aria-current="page">{e(text)}</li>'
        for text, href in crumbs
    )
    scripts = f'<script src="{e(js)}" defer></script>\n' if js else ""
    return PAGE.substitute(
        title=e(title), crumbs=items, body=body, css=e(css), footer=footer, scripts=scripts
    )
