"""etl.agency_names: one definition of agency-name matching (survey lists, agreements, GCC)."""

from __future__ import annotations

import pytest

from etl import agency_names as an


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Napa County", ("county", "napa")),
        ("County of Napa", ("county", "napa")),
        ("  county   OF  napa, ", ("county", "napa")),
        ("City of Ukiah", ("city", "ukiah")),
        ("Town of Yountville", ("city", "yountville")),
        ("City and County of San Francisco", ("city and county", "san francisco")),
        ("Sonoma", (None, "sonoma")),
        ("St. Helena", (None, "st helena")),
        ("Mendocino County Superior Court", (None, "mendocino county superior court")),
    ],
)
def test_agency_key(name, key):
    assert an.agency_key(name) == key


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sonoma", "Sonoma County", True),
        ("Sonoma County", "County of Sonoma", True),
        ("sonoma", "COUNTY OF SONOMA", True),
        ("Napa County", "County of Napa", True),
        ("Napa", "napa county", True),
        ("City of Ukiah", "Ukiah", True),
        ("City of St. Helena", "st helena", True),
        ("Contra  Costa   County", "County of Contra-Costa", True),
        ("City of Napa", "Napa County", False),  # a city is not the county of the same name
        ("City of Napa", "County of Napa", False),
        ("Napa County", "Lake County", False),
        ("Sonoma County", "Sonoma County Water Agency", False),
        ("City and County of San Francisco", "San Francisco County", True),
        ("City and County of San Francisco", "City of San Francisco", True),
        ("", "", False),
    ],
)
def test_same_agency(a, b, same):
    assert an.same_agency(a, b) is same
    assert an.same_agency(b, a) is same


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("Napa", "County", "Napa County"),
        ("Napa County", "County", "Napa County"),
        ("Ukiah", "City", "City of Ukiah"),
        ("City of Ukiah", "City", "City of Ukiah"),
        ("  Ukiah ", " city ", "City of Ukiah"),
        ("San Francisco", "County", "San Francisco County"),
        ("City and County of San Francisco", "City", "City and County of San Francisco"),
        ("Mendocino County Russian River Flood Control", "Special District", None),
        ("Alpine County Superior Court", "Superior Court", None),
        ("Napa", None, None),
    ],
)
def test_display_name(name, kind, expected):
    assert an.display_name(name, kind) == (expected or " ".join(name.split()))


def test_employer_matches():
    assert an.employer_matches("Napa County", "Napa", "County")
    assert an.employer_matches("County of Napa", "Napa", "County")
    assert an.employer_matches("City of Ukiah", "Ukiah", "City")
    assert an.employer_matches("Ukiah", "Ukiah", "City")
    assert not an.employer_matches("City of Napa", "Napa", "County")
    assert not an.employer_matches("Napa County", "Napa", "City")
    assert not an.employer_matches(
        "Mendocino County", "Mendocino County Superior Court", "Superior Court"
    )


def test_county_name_and_loaded_agency():
    assert an.county_name("Napa") == "Napa County"
    assert an.county_name("Napa County") == "Napa County"
    loaded = ["Sonoma", "Mendocino", "Contra Costa"]
    assert an.loaded_agency("County of Sonoma", loaded) == "Sonoma"
    assert an.loaded_agency("contra costa county", loaded) == "Contra Costa"
    assert an.loaded_agency("City of Santa Rosa", loaded) is None
    assert an.loaded_agency("City of Sonoma", loaded) is None
    assert an.loaded_agency("Sonoma County Water Agency", loaded) is None


def test_the_one_definition_is_used_everywhere():
    """The survey modules and the agencies module call this module; nothing else defines
    agency-name matching (the functions it had are gone)."""
    import analysis.agencies as ag
    import analysis.coverage as cov
    import analysis.market.comparators as mk
    import analysis.survey_network as net

    for mod in (ag, cov, mk, net):
        assert mod.same_agency is an.same_agency, mod.__name__
    for mod in (cov, net):
        for gone in ("agency_key", "loaded_agency_for", "sco_agency_name"):
            assert not hasattr(mod, gone) or getattr(mod, gone) in vars(an).values()
