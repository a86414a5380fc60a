"""Where each page of the member site lives: plain ASCII names made from the data (agency,
unit, class code, never the title), unique within their folder, the same for the same data
every time; and relative links between them, so the folder can be copied to any host."""

from __future__ import annotations

import posixpath
import re
import unicodedata

INDEX = "index.html"
SEARCH = "search.json"
MANIFEST = "manifest.json"


def slug(text: object) -> str:
    """'Contra Costa' -> 'contra-costa'; 'S503' -> 's503'; nothing usable -> 'x'."""
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s[:60].strip("-") or "x"


class Names:
    """Hands out unique slugs within one folder, in the order asked (callers ask in a sorted
    order, so the same data gets the same names)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken = set(taken or ())

    def get(self, text: object) -> str:
        base = slug(text)
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}-{n}"
        self.taken.add(name)
        return name


def rel(from_page: str, to_path: str) -> str:
    """The relative link from one site path to another ('sonoma/u-0001/0402.html' ->
    'index.html' gives '../../index.html')."""
    here = posixpath.dirname(from_page) or "."
    return posixpath.relpath(to_path, here)


def agency_index(agency_dir: str) -> str:
    return f"{agency_dir}/{INDEX}"


def unit_anchor(unit: object) -> str:
    return f"unit-{slug(unit)}" if unit is not None else "classes"
