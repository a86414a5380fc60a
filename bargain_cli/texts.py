"""`bargain import-text`, `bargain texts [list | remove ID]`, `bargain clauses TEXT`: agreement
texts in, and clause search across every agreement (analysis/clauses.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bargain_cli.shared import DB, FORMAT, actor, connect_db, emit, read_input
from etl.errors import BargainError

CSV_COLUMNS = ["agency", "document", "section", "line", "page", "text", "heading", "source_ref"]


def agency_for_text(known: list[str], name: str) -> str:
    """The agency a text is filed under: a warehouse agency when the name means one
    (etl.agency_names.typed_matches: case, spaces, "Sonoma County"), else the name as typed
    (one line, at most MAX_NAME characters); a name meaning several is refused."""
    from etl import agency_names, defaults

    clean = " ".join(str(name or "").split())
    if not clean:
        raise BargainError("give the agency the agreement belongs to (--agency NAME)")
    if len(clean) > defaults.MAX_NAME or not clean.isprintable():
        raise BargainError(
            f"the agency name must be one line of at most {defaults.MAX_NAME} printable characters"
        )
    hits = agency_names.typed_matches(clean, known)
    if len(hits) > 1:
        raise BargainError(f"--agency: {agency_names.ambiguous(clean, hits)}")
    return hits[0] if hits else clean


def _import_text(args: argparse.Namespace) -> int:
    from analysis import agencies
    from etl import defaults
    from etl.agreement_text.outline import outline
    from etl.agreement_text.reader import read_agreement
    from userdata import agreement_texts

    con = connect_db(args)
    data = read_input(args.file, "agreement")
    name = Path(args.file).name
    agency = agency_for_text(agencies.names(con), args.agency)
    got = read_agreement(data, name)
    sections = outline([ln.text for ln in got.lines], got.lines[0].line_no)
    title = " ".join((args.title or name).split())[: defaults.MAX_TEXT]
    for e in agreement_texts.same_file(data).itertuples(index=False):
        print(
            f"warning: this same file was imported before as agreement text #{e.text_id} of "
            f"{e.agency} on {e.imported_at} by {e.imported_by}; searches show its clauses "
            f"once per copy (`bargain texts remove {e.text_id}` removes the earlier one)",
            file=sys.stderr,
        )
    text_id = agreement_texts.save(agency, title, got, data, actor=actor())
    where = f"{got.pages} pages, " if got.pages else ""
    print(
        f"Read {name} ({got.kind.upper()}): {where}{len(got.lines):,} lines, "
        f"{got.n_words:,} words, {len(sections)} articles and sections found"
    )
    for s in sections[:8]:
        print(f"  {s.label} (line {s.first_line})")
    if len(sections) > 8:
        print(f"  and {len(sections) - 8} more")
    for n in got.notes:
        print(f"note: {n}")
    print(f"Saved as agreement text #{text_id} of {agency}: search it with `bargain clauses`")
    return 0


def _texts(args: argparse.Namespace) -> int:
    from userdata import agreement_texts

    if args.action == "remove":
        if args.id is None:
            raise BargainError("give the text id to remove (`bargain texts` lists them)")
        gone = agreement_texts.delete(int(args.id), actor=actor())
        print(f"Removed agreement text #{args.id} ({gone})")
        return 0
    emit(agreement_texts.listing(), args.format)
    return 0


def _clauses(args: argparse.Namespace) -> int:
    from analysis import agencies, clauses
    from etl import agency_names
    from userdata import agreement_texts

    con = connect_db(args)
    texts = agreement_texts.load_all()
    known = list(dict.fromkeys([*agencies.names(con), *(t.agency for t in texts)]))
    asked = None
    if args.agency:
        asked = []
        for a in args.agency:
            hits = agency_names.typed_matches(a, known)
            if len(hits) > 1:
                raise BargainError(f"--agency: {agency_names.ambiguous(a, hits)}")
            if not hits:
                raise BargainError(f"no agreement of {a!r}; the agencies: {', '.join(known)}")
            asked.append(hits[0])
    try:
        hits, q = clauses.find(con, args.text, asked, texts, limit=args.limit)
    except clauses.QueryError as exc:
        raise BargainError(f"clause search: {exc}") from None
    n = hits["agency"].nunique()
    notes = [
        f"{len(hits)} passage(s) in {n} agreement(s) hold {' and '.join(q.terms)}; the marked "
        "words are between « and »"
    ]
    out = hits[CSV_COLUMNS]
    if args.format == "table":  # a screen: each passage cut around its first marked word
        from etl.agreement_text.index import around

        out = out.assign(text=out["text"].map(around)).drop(columns=["document"])
    emit(out, args.format, notes)
    return 0


def add_texts(sub) -> None:
    it = sub.add_parser(
        "import-text", help="import an agreement's text (PDF with text, DOCX or TXT) to search"
    )
    it.add_argument("file", help="the agreement file")
    it.add_argument("--agency", required=True, help="the agency the agreement belongs to")
    it.add_argument("--title", help="the agreement's title (default: the file's name)")
    it.add_argument("--db", **DB)
    it.set_defaults(func=_import_text)
    tx = sub.add_parser("texts", help="list imported agreement texts, or remove one")
    tx.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    tx.add_argument("id", nargs="?", help="the text id (remove)")
    tx.add_argument("--format", **FORMAT)
    tx.set_defaults(func=_texts)
    cl = sub.add_parser("clauses", help="search the clauses of every agreement")
    cl.add_argument("text", help='words or a "phrase"; call-back finds call back and callback')
    cl.add_argument("--agency", action="append", help="only this agency (repeatable)")
    cl.add_argument("--limit", type=int, default=None, help="at most this many hits")
    cl.add_argument("--format", **FORMAT)
    cl.add_argument("--db", **DB)
    cl.set_defaults(func=_clauses)
