"""Agency names as survey lists, State Controller files and users write them: the one place
that decides whether two names denote the same agency ("Napa County" = "County of Napa" =
"Napa"; "City of Napa" is not "Napa County")."""

from __future__ import annotations

import re

_COUNTY_OF = re.compile(r"^county of (.+)$", re.IGNORECASE)
_X_COUNTY = re.compile(r"^(.+?) county$", re.IGNORECASE)
_CITY_OF = re.compile(r"^(?:city|town) of (.+)$", re.IGNORECASE)


def agency_key(name: str) -> tuple[str | None, str]:
    """(kind, place) of an agency name: 'Napa County' and 'County of Napa' -> ('county',
    'napa'), 'City of Ukiah' -> ('city', 'ukiah'), a bare 'Sonoma' -> (None, 'sonoma')."""
    s = " ".join(str(name).split())
    for pattern, kind in ((_COUNTY_OF, "county"), (_X_COUNTY, "county"), (_CITY_OF, "city")):
        m = pattern.match(s)
        if m:
            return kind, m.group(1).strip().casefold()
    return None, s.casefold()


def same_agency(a: str, b: str) -> bool:
    """True when two names denote the same agency ('Napa County' = 'County of Napa' = 'Napa',
    but 'City of Napa' is not 'Napa County')."""
    (ka, pa), (kb, pb) = agency_key(a), agency_key(b)
    return pa == pb and (ka == kb or ka is None or kb is None)


def county_agency_for(survey_agency_name: str, agencies: list[str]) -> str | None:
    """Which of `agencies` (warehouse agency names, written bare: the county's name) a
    survey list's name denotes, or None: 'Sonoma County' -> 'Sonoma'; 'City of Santa Rosa'
    (a city in Sonoma County) -> None."""
    kind, place = agency_key(survey_agency_name)
    if kind == "city":
        return None
    for agency in agencies:
        if place == agency_key(agency)[1]:
            return agency
    return None


def sco_agency_name(employer_name: str, employer_type: str | None = None) -> str:
    """The State Controller's EmployerName as survey lists write it: 'Napa' + County ->
    'Napa County', 'Ukiah' + City -> 'City of Ukiah'; other employer types keep their name."""
    name = " ".join(employer_name.split())
    kind = (employer_type or "").strip().casefold()
    if kind == "county" and not re.search(r"\bcounty\b", name, re.IGNORECASE):
        return f"{name} County"
    if kind == "city" and not re.match(r"(city|town) of\b", name, re.IGNORECASE):
        return f"City of {name}"
    return name
