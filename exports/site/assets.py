"""The site's two asset files, its stylesheet (screen, 390 px phones and paper) and its search
script, and the palette they are drawn in, with the WCAG contrast of each text colour on its
background computed here (tests hold every pair to 4.5:1, AA for body text).

Asset names carry a hash of their content (`site-1a2b3c4d.css`), so a server can let browsers
keep them for a year: a new stylesheet is a new name. Nothing here loads from elsewhere: no
web fonts (the system's own sans-serif), no outside script."""

from __future__ import annotations

import hashlib

# name -> colour; the pairs below are (text, background) as the stylesheet uses them.
PALETTE = {
    "ink": "#1b1b1b",
    "paper": "#ffffff",
    "muted": "#4d4d4d",
    "link": "#0a4d8c",
    "band": "#12355b",
    "band_ink": "#ffffff",
    "head": "#e9eef4",
    "derived": "#7a3e00",
    "derived_bg": "#fff3df",
    "rule": "#8c8c8c",
    "focus": "#c2410c",
}
CONTRAST_PAIRS = [
    ("ink", "paper"),
    ("muted", "paper"),
    ("link", "paper"),
    ("band_ink", "band"),
    ("ink", "head"),
    ("link", "head"),
    ("derived", "derived_bg"),
    ("derived", "paper"),
]


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1 to 21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: {ink}; background: {paper};
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
             "Liberation Sans", Arial, sans-serif; overflow-wrap: break-word; }
a { color: {link}; }
a:focus-visible, [tabindex]:focus-visible, input:focus-visible {
  outline: 3px solid {focus}; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: {paper}; padding: 4px 8px; z-index: 1; }
header.site { background: {band}; color: {band_ink}; padding: 8px 16px; }
header.site a { color: {band_ink}; }
.crumbs { list-style: none; margin: 0 auto; padding: 0; display: flex; flex-wrap: wrap;
          gap: 4px 8px; max-width: 60rem; font-size: 15px; }
.crumbs li + li::before { content: "›"; margin-right: 8px; }
main { max-width: 60rem; margin: 0 auto; padding: 8px 16px 24px; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 12px 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 6px; padding-bottom: 2px; border-bottom: 1px solid {rule}; }
h3 { font-size: 1.05em; margin: 18px 0 4px; }
p, ul, ol, dl { margin: 6px 0; }
.lede { font-size: 1.05em; }
.muted, .note { color: {muted}; }
.note { font-size: 0.93em; }
.scroll { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: 0.95em; min-width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid {rule}; text-align: left;
         vertical-align: top; }
thead th { background: {head}; }
tbody th { font-weight: 600; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n, .nw { white-space: nowrap; }
td.n .wrap { white-space: normal; display: inline-block; min-width: 11em; text-align: left; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; color: {link}; }
tr.now > * { font-weight: 700; }
.tag { display: inline-block; padding: 0 4px; border-radius: 3px; font-size: 0.85em;
       color: {derived}; background: {derived_bg}; }
sup { line-height: 0; }
.cite { text-decoration: none; font-size: 0.75em; padding: 0 1px; }
blockquote { margin: 6px 0 6px 0; padding: 2px 0 2px 12px; border-left: 4px solid {rule}; }
.sources ol { list-style: none; padding-left: 0; }
.sources li { margin: 3px 0; }
.sources q { color: {muted}; }
.classes { columns: 18rem; column-gap: 24px; padding-left: 20px; }
.classes li { break-inside: avoid; margin: 2px 0; }
#search label { display: block; font-weight: 600; }
#q { font: inherit; width: 100%; max-width: 32rem; padding: 8px; border: 2px solid {muted};
     border-radius: 4px; color: {ink}; background: {paper}; }
#results { padding-left: 20px; }
footer.site { max-width: 60rem; margin: 0 auto; padding: 12px 16px 32px; color: {muted};
              font-size: 0.85rem; border-top: 1px solid {rule}; }
.print-only { display: none; }
@media (max-width: 480px) {
  body { font-size: 15px; }
  main { padding: 4px 12px 20px; }
  h1 { font-size: 1.35em; }
  th, td { padding: 4px 5px; }
  table { font-size: 14px; }
}
@media screen and (max-width: 600px) {
  table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td,
  table.stack caption { display: block; min-width: 0; width: auto; }
  table.stack thead { position: absolute; left: -9999px; }
  table.stack tr { border-bottom: 1px solid {rule}; padding: 6px 0; }
  table.stack th, table.stack td { border: 0; padding: 1px 0; text-align: left; }
  table.stack td.n, table.stack .nw { white-space: normal; }
  table.stack td.n .wrap { min-width: 0; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; color: {muted}; }
}
@media print {
  @page { size: letter; margin: 0.3in 0.35in; }
  body { font: 7.1pt/1.18 Arial, "Liberation Sans", sans-serif; color: #000; }
  header.site, .skip, #search, .screen-only { display: none !important; }
  .print-only { display: block; }
  main, footer.site { max-width: none; padding: 0; margin: 0; }
  a { color: #000; text-decoration: none; }
  h1 { font-size: 12pt; margin: 0 0 2pt; }
  h2 { font-size: 8.4pt; margin: 3pt 0 1pt; border-bottom: 0.5pt solid #000; break-after: avoid; }
  h3 { font-size: 8pt; margin: 4pt 0 1pt; }
  p, ul, ol, dl { margin: 2pt 0; }
  .lede { font-size: 8pt; }
  .scroll { overflow: visible; margin: 2pt 0; }
  table { font-size: 7.2pt; min-width: 0; width: 100%; }
  caption { padding: 0 0 1pt; }
  th, td { padding: 0.3pt 3pt; border-bottom: 0.4pt solid #999; }
  thead th { background: none; border-bottom: 0.8pt solid #000; }
  tr { break-inside: avoid; }
  .tag { padding: 0; background: none; color: #000; font-style: italic; font-size: 7pt; }
  .cite { font-size: 5.8pt; }
  blockquote { display: inline; margin: 0; padding: 0 3pt 0 0; border: 0; font-size: 6.6pt; }
  .note { font-size: 6.6pt; }
  blockquote p { display: inline; }
  .sources { font-size: 6.2pt; line-height: 1.2; padding: 0; }
  .sources h3 { display: inline; font-size: 6.2pt; margin: 0 3pt 0 0; }
  .sources .doc { display: none; }
  .sources ol { display: inline; padding: 0; margin: 0; }
  .sources li { display: inline; margin: 0 4pt 0 0; }
  .sources q, .sources .why { display: none; }
  .derivations { padding: 0; }
  .derivations li { display: inline; }
  .derivations li + li::before { content: "; "; }
  blockquote p { margin: 0; }
  .premium-list { columns: 4; column-gap: 8pt; font-size: 6.6pt; padding: 0; list-style: none; }
  .premium-list li { break-inside: avoid; }
  .premium-list .more { font-style: italic; }
  footer.site { font-size: 5.8pt; border-top: 0.4pt solid #999; padding: 1pt 0 0; }
  footer.site .screen-only { display: none; }
}
"""

JS = """// Search over the classes of this site: reads search.json (shipped beside this page) and
// lists the classes whose title or code holds every word typed. Text only, no markup is built
// from the data. Without scripts the box stays hidden and the lists below do the same job.
(function () {
  "use strict";
  var box = document.getElementById("search");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!box || !input || !list || !status || !window.fetch) { return; }
  box.hidden = false;
  var entries = null;
  var LIMIT = 50;
  function fold(s) { return String(s).toLowerCase(); }
  function render() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var words = fold(input.value).split(/\\s+/).filter(Boolean);
    if (!words.length || !entries) { status.textContent = ""; return; }
    var hits = entries.filter(function (x) {
      var hay = fold(x.t + " " + x.c);
      return words.every(function (w) { return hay.indexOf(w) !== -1; });
    });
    hits.slice(0, LIMIT).forEach(function (x) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = x.p;
      a.textContent = x.t + " (" + x.c + ")";
      li.appendChild(a);
      li.appendChild(document.createTextNode(" · " + x.a + (x.u ? " · unit " + x.u : "")));
      list.appendChild(li);
    });
    status.textContent = hits.length === 0 ? "No class matches." :
      hits.length > LIMIT ? hits.length + " classes match; the first " + LIMIT + " are listed." :
      hits.length + (hits.length === 1 ? " class matches." : " classes match.");
  }
  input.addEventListener("input", render);
  fetch("search.json").then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (data) { entries = data; render(); }).catch(function () {
    input.hidden = true;
    box.querySelector("label").hidden = true;
    status.textContent = "The search index could not be read (the site works from a web " +
      "server); the lists of classes below work everywhere.";
  });
})();
"""


def stylesheet() -> str:
    css = CSS
    for name, colour in PALETTE.items():
        css = css.replace("{" + name + "}", colour)
    return css.lstrip()


def hashed_name(stem: str, suffix: str, body: str) -> str:
    """'site' + '.css' + content -> 'assets/site-<8 hex>.css'."""
    digest = hashlib.sha256(body.encode()).hexdigest()[:8]
    return f"assets/{stem}-{digest}{suffix}"


def files() -> dict[str, bytes]:
    """The asset files by site path."""
    css, js = stylesheet(), JS
    return {
        hashed_name("site", ".css", css): css.encode(),
        hashed_name("search", ".js", js): js.encode(),
    }


def css_path() -> str:
    return hashed_name("site", ".css", stylesheet())


def js_path() -> str:
    return hashed_name("search", ".js", JS)
