"""Agency names: the one definition of "these two names are the same agency".

Survey lists, agreements and the State Controller's GCC export name the same employer in
different ways: "Sonoma", "Sonoma County" and "County of Sonoma" are one county; GCC writes a
county or city by its bare place name ("Napa" with EmployerType County, "Ukiah" with
EmployerType City), which the survey lists write "Napa County" and "City of Ukiah". A city is
never the county of the same name ("City of Napa" is not "Napa County"). Comparison ignores
case, runs of whitespace and punctuation ("St. Helena" = "ST HELENA", "County of Napa," =
"Napa County").

- `agency_key(name)` -> (kind, place): kind is 'county', 'city', 'city and county' or None (a
  bare name, which can be either);
- `same_agency(a, b)`: same place, and kinds that do not contradict each other;
- `display_name(employer_name, employer_type)`: GCC EmployerName + EmployerType as the survey
  lists write it ("Napa" + County -> "Napa County", "Ukiah" + City -> "City of Ukiah");
- `county_name(place)`: "Napa" -> "Napa County" (survey lists that print only county names);
- `typed_matches(name, known)` / `resolve_typed(name, known)`: which known agency a typed
  name means (exact after `clean`, else ignoring case, else the county spelled out: "Sonoma
  County" is Sonoma), the one rule for every name a user types or a list prints; an
  ambiguous name is refused (`ambiguous`), never the first taken;
- `nearest(name, known)`: the known names closest in spelling to a name none of them is, to
  suggest ("Sonomaa" -> "Sonoma").

Pure functions without imports from the rest of the project, so the ETL, the analysis code and
the app can all use them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

COUNTY = "county"
CITY = "city"
CITY_AND_COUNTY = "city and county"

_PUNCT = re.compile(r"[^\w\s]+")
_COUNTY_OF = re.compile(r"^county of (.+)$")
_X_COUNTY = re.compile(r"^(.+?) county$")
_CITY_OF = re.compile(r"^(?:city|town) of (.+)$")
_CITY_AND_COUNTY = re.compile(r"^city and county of (.+)$")
_HAS_COUNTY = re.compile(r"\bcounty\b", re.IGNORECASE)
_HAS_CITY_OF = re.compile(r"^(?:city|town|city and county) of\b", re.IGNORECASE)


def clean(name: object) -> str:
    """`name` as text with runs of whitespace made one space and the ends trimmed."""
    return " ".join(str(name if name is not None else "").split())


def fold(name: object) -> str:
    """The comparison form of a name: case folded, punctuation and '&' as spaces ('and'),
    whitespace collapsed ("County of Napa," -> "county of napa")."""
    s = clean(name).casefold().replace("&", " and ")
    return " ".join(_PUNCT.sub(" ", s).split())


def agency_key(name: object) -> tuple[str | None, str]:
    """(kind, place) of an agency name: 'Napa County' and 'County of Napa' -> ('county',
    'napa'), 'City of Ukiah' -> ('city', 'ukiah'), 'City and County of San Francisco' ->
    ('city and county', 'san francisco'), a bare 'Sonoma' -> (None, 'sonoma')."""
    s = fold(name)
    m = _CITY_AND_COUNTY.match(s)
    if m:
        return CITY_AND_COUNTY, m.group(1)
    for pattern, kind in ((_COUNTY_OF, COUNTY), (_X_COUNTY, COUNTY), (_CITY_OF, CITY)):
        m = pattern.match(s)
        if m:
            return kind, m.group(1)
    return None, s


def _kinds_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return CITY_AND_COUNTY in (a, b)  # San Francisco is both


def same_agency(a: object, b: object) -> bool:
    """True when two names denote the same agency ('Napa County' = 'County of Napa' = 'Napa',
    but 'City of Napa' is not 'Napa County')."""
    (ka, pa), (kb, pb) = agency_key(a), agency_key(b)
    return bool(pa) and pa == pb and _kinds_agree(ka, kb)


def kind_of_employer_type(employer_type: object) -> str | None:
    """GCC EmployerType -> 'county' | 'city' | None (Special District, Superior Court, ...)."""
    t = fold(employer_type)
    if t == COUNTY:
        return COUNTY
    if t == CITY:
        return CITY
    return None


def display_name(employer_name: object, employer_type: object = None) -> str:
    """GCC EmployerName as the survey lists write it: 'Napa' + County -> 'Napa County',
    'Ukiah' + City -> 'City of Ukiah'; names that already say so, and other employer types
    (Special District, Superior Court, ...), keep their name (whitespace collapsed)."""
    name = clean(employer_name)
    kind = kind_of_employer_type(employer_type)
    if not name:
        return name
    if kind == COUNTY and not _HAS_COUNTY.search(name):
        return f"{name} County"
    if kind == CITY and not _HAS_CITY_OF.match(name):
        return f"City of {name}"
    return name


def county_name(place: object) -> str:
    """'Napa' -> 'Napa County' (a name that already says County is kept)."""
    return display_name(place, COUNTY)


def employer_matches(requested: object, employer_name: object, employer_type: object) -> bool:
    """True when a requested survey agency ("Napa County", "City of Ukiah", "Sonoma") names a
    GCC employer (EmployerName + EmployerType)."""
    return same_agency(requested, display_name(employer_name, employer_type))


def _county_of(name: object, known: list[str]) -> list[str]:
    """The bare-named agencies ('Sonoma') whose county a name spells out ('Sonoma County',
    'County of Sonoma', 'sonoma county,'): never a city ('City of Sonoma'), never a longer
    name ('Sonoma County Water Agency')."""
    kind, place = agency_key(name)
    if kind == CITY or not place:
        return []
    return [k for k in known if fold(k) == place]


def typed_matches(name: object, known: Iterable[str]) -> list[str]:
    """The one rule for a typed agency name (a CLI flag, an upload cell, app text): which of
    `known` it may mean, from the first of these steps that finds any:

    1. the same text after `clean` (runs of spaces as one, ends trimmed): " Sonoma " is Sonoma;
    2. the same ignoring case: "SONOMA" is Sonoma;
    3. the county spelled out (`_county_of`): "Sonoma County", "County of Sonoma" are Sonoma.

    [] when none does; more than one when the name is ambiguous (a caller refuses it, naming
    them: the first of several is never taken)."""
    names = list(dict.fromkeys(known))
    typed = clean(name)
    if not typed:
        return []
    for same in (lambda k: k == typed, lambda k: k.casefold() == typed.casefold()):
        hits = [k for k in names if same(clean(k))]
        if hits:
            return hits
    return _county_of(typed, names)


def resolve_typed(name: object, known: Iterable[str]) -> str | None:
    """The one of `known` a typed name means (`typed_matches`), or None when it means none
    or is ambiguous (`ambiguous` words the refusal)."""
    hits = typed_matches(name, known)
    return hits[0] if len(hits) == 1 else None


def ambiguous(name: object, hits: list[str]) -> str:
    """The refusal of a name that means several agencies, naming them."""
    return f"{clean(name)!r} could be any of {', '.join(hits)}; give one of them exactly"


def nearest(name: object, known: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """Up to `n` of `known` closest in spelling to `name` (compared folded, the place without
    'County of' / 'City of'), best first; [] when none is close."""
    names = list(known)
    keys = {}
    for k in names:
        keys.setdefault(agency_key(k)[1] or fold(k), k)
        keys.setdefault(fold(k), k)
    target = agency_key(name)[1] or fold(name)
    hits = difflib.get_close_matches(target, list(keys), n=n * 2, cutoff=cutoff)
    return list(dict.fromkeys(keys[h] for h in hits))[:n]
