"""The class code each class is stored under, from what its rows name (unit, code, title).

A class is one (unit, code, title): within a unit,
- a code that names one title is that class's code, as printed;
- a code that names two or more titles (a code reused, or a level suffix dropped) is kept as
  one class per title, never merged: each is stored as `CODE/TITLE-KEY` (`100J/ACCOUNTANT-1`,
  the title as etl/schedule_import/extract.derive_code spells it), and the summary lists them;
- a row with a code and no title is the code's class when the code names one title (or none);
  when it names several, the row is refused: which one it is cannot be known;
- a row with a title and no code is a class keyed by its title (`ACCOUNT-CLERK-II`), as in a
  table without a code column; one whose key is also a printed code of the unit is refused.
Titles are compared as their keys: case, spacing and punctuation aside.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from etl.errors import Problem
from etl.schedule_import.extract import ClassRow, Extracted, Ident, PayCell, derive_code


@dataclass
class Resolved:
    classes: list[ClassRow] = field(default_factory=list)
    cells: list[PayCell] = field(default_factory=list)
    # (unit, code, the titles it names) of every code naming two or more titles
    reused: list[tuple[str | None, str, tuple[str, ...]]] = field(default_factory=list)
    by_title: int = 0  # classes without a code in a table that has a code column
    derived: int = 0  # classes of a table without a code column
    problems: list[Problem] = field(default_factory=list)


def _titles(idents) -> dict[tuple[str | None, str], dict[str, str]]:
    """(unit, code) -> title key -> the title as first printed."""
    out: dict[tuple[str | None, str], dict[str, str]] = {}
    for unit, code, title in idents:
        if code is None:
            continue
        got = out.setdefault((unit, code), {})
        if title is not None:
            got.setdefault(derive_code(title), title)
    return out


class _Codes:
    def __init__(self, idents: list[Ident]):
        self.titles = _titles(idents)
        self.printed = {(unit, code) for unit, code in self.titles}

    def code(self, ident: Ident) -> tuple[str, str | None] | str:
        """(code stored, title) for an ident, or a message saying why it is refused."""
        unit, code, title = ident
        if code is None:
            key = derive_code(title or "")
            if (unit, key) in self.printed:
                return (
                    f"the row has no code and its title {title!r} gives the key {key}, which is "
                    "also a class code printed in the table: give the row its code"
                )
            return key, title
        named = self.titles.get((unit, code), {})
        if title is None:
            if len(named) > 1:
                shown = "; ".join(named.values())
                return (
                    f"class code {code} names {len(named)} titles ({shown}) and this row "
                    "gives none: give its title"
                )
            return code, next(iter(named.values()), None)
        if len(named) > 1:
            return f"{code}/{derive_code(title)}", named[derive_code(title)]
        return code, named.get(derive_code(title), title)


def resolve(tables: list[Extracted], has_code: bool) -> Resolved:
    """Every table's classes and pay cells under the codes they are stored as (see the
    docstring); the first row naming a class is its citation."""
    idents = [c.ident for t in tables for c in t.classes if c.ident is not None]
    idents += [c.ident for t in tables for c in t.cells if c.ident is not None]
    codes = _Codes(list(dict.fromkeys(idents)))
    out = Resolved()
    decided: dict[Ident, tuple[str, str | None] | str] = {}
    refused: set[Ident] = set()
    seen: set[tuple[str | None, str]] = set()
    for t in tables:
        for c in t.classes:
            got = _decide(codes, decided, c.ident) if c.ident else (c.code, c.title)
            if isinstance(got, str):
                _refuse(out, refused, c.ident, c.where, got)
                continue
            code, title = got
            if (c.unit, code) in seen:
                continue
            seen.add((c.unit, code))
            out.classes.append(replace(c, code=code, title=title))
        for cell in t.cells:
            if cell.ident is None:
                out.cells.append(cell)
                continue
            got = _decide(codes, decided, cell.ident)
            if isinstance(got, str):
                _refuse(out, refused, cell.ident, cell.where, got)
                continue
            out.cells.append(replace(cell, key=got[0]))
    out.reused = [
        (unit, code, tuple(named.values()))
        for (unit, code), named in codes.titles.items()
        if len(named) > 1
    ]
    no_code = sum(1 for c in out.classes if c.ident and c.ident[1] is None)
    out.by_title, out.derived = (no_code, 0) if has_code else (0, no_code)
    return out


def _decide(codes: _Codes, decided: dict, ident: Ident):
    if ident not in decided:
        decided[ident] = codes.code(ident)
    return decided[ident]


def _refuse(out: Resolved, refused: set, ident: Ident, where, message: str) -> None:
    if ident in refused:
        return  # once per class: its other rows say the same
    refused.add(ident)
    out.problems.append(replace(where, column=None).problem(message))
