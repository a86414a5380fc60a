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
- `loaded_agency(name, loaded)`: which loaded agreement agency ("Sonoma", ...) a name denotes;
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


def loaded_agency(name: object, loaded: Iterable[str]) -> str | None:
    """The loaded agreement agency (a county: 'Sonoma', 'Mendocino', ...) a name denotes, or
    None: 'Sonoma County' -> 'Sonoma'; 'City of Santa Rosa' -> None; 'Sonoma County Water
    Agency' -> None."""
    kind, place = agency_key(name)
    if kind == CITY:
        return None
    for agency in loaded:
        if place == fold(agency):
            return agency
    return None


def sco_agency_name(employer_name: object, employer_type: object = None) -> str:
    """The name survey lists use for a State Controller employer (display_name)."""
    return display_name(employer_name, employer_type)


def county_agency_for(survey_agency_name: object, agencies: Iterable[str]) -> str | None:
    """Which of the warehouse's agencies a survey list's name denotes (loaded_agency)."""
    return loaded_agency(survey_agency_name, agencies)


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
