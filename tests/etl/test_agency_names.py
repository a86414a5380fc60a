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


def test_county_name():
    assert an.county_name("Napa") == "Napa County"
    assert an.county_name("Napa County") == "Napa County"


LOADED = ["Sonoma", "Mendocino", "Contra Costa"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Sonoma", "Sonoma"),
        ("  Sonoma ", "Sonoma"),  # 1. exact after cleaning
        ("SONOMA", "Sonoma"),  # 2. ignoring case
        ("Sonoma County", "Sonoma"),  # 3. the county spelled out
        ("County of Sonoma", "Sonoma"),
        ("contra costa county", "Contra Costa"),
        ("County of Contra-Costa,", "Contra Costa"),
        ("City of Santa Rosa", None),  # a city in Sonoma County is not the county
        ("City of Sonoma", None),  # nor the city of its name
        ("Sonoma County Water Agency", None),
        ("So noma", None),
        ("", None),
        (None, None),
    ],
)
def test_resolve_typed(typed, meant):
    assert an.resolve_typed(typed, LOADED) == meant
    assert an.typed_matches(typed, LOADED) == ([meant] if meant else [])


def test_an_exact_name_wins_over_a_county_spelled_out():
    # a State Controller import's "Sonoma County" beside the warehouse's Sonoma: each named
    # exactly is itself; only the spelling neither is exactly reaches step 3
    known = ["Sonoma", "Sonoma County"]
    assert an.resolve_typed("Sonoma County", known) == "Sonoma County"
    assert an.resolve_typed("sonoma county", known) == "Sonoma County"
    assert an.resolve_typed("County of Sonoma", known) == "Sonoma"


@pytest.mark.parametrize(
    ("typed", "hits"),
    [
        ("sonoma", ["Sonoma", "SONOMA"]),  # step 2 finds two
        ("Sonoma County", ["Sonoma", "SONOMA"]),  # step 3 finds two
    ],
)
def test_an_ambiguous_name_is_refused_never_first_match_wins(typed, hits):
    known = ["Sonoma", "SONOMA", "Mendocino"]
    assert an.typed_matches(typed, known) == hits
    assert an.resolve_typed(typed, known) is None
    assert an.ambiguous(typed, hits).startswith(f"{typed!r} could be any of Sonoma, SONOMA")
    assert an.resolve_typed("Sonoma", known) == "Sonoma"  # exact is not ambiguous


# The same spellings through every path a user types an agency into -------------------------

HEAD = "agency,benefit,plan,tier,monthly_premium,pct_of_pay,effective_date,source\n"
SPELLINGS = ["Sonoma", "sonoma", " Sonoma ", "SONOMA", "Sonoma County", "County of Sonoma"]
REFUSED = ["City of Sonoma", "So noma", "Sonoma County Water Agency"]


def _by_resolve(con, typed):
    from analysis import agencies

    try:
        return agencies.resolve(con, typed)
    except agencies.UnknownAgencyError as exc:
        return str(exc)


def _by_comparators(con, typed):
    from analysis import agencies
    from analysis.market.comparators import comparator_sources

    try:
        (found,) = comparator_sources(con, "Mendocino", [typed]).warehouse
    except agencies.UnknownAgencyError as exc:
        return str(exc)
    return found


def _by_benefit_rates(con, typed):
    from analysis import agencies
    from etl.uploads import benefit_rates

    data = HEAD + f'"{typed}",medical,Kaiser,Family,400,,2004-01-01,p. 1\n'
    try:
        got = benefit_rates.read_rates(data.encode(), "rates.csv", agencies.names(con))
    except benefit_rates.BenefitRatesError as exc:
        return str(exc)
    return got.rows["agency"].iloc[0]


PATHS = [_by_resolve, _by_comparators, _by_benefit_rates]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_every_path_reads_a_spelling_as_the_same_agency(con, typed):
    assert [path(con, typed) for path in PATHS] == ["Sonoma"] * len(PATHS)


@pytest.mark.parametrize("typed", REFUSED)
def test_every_path_refuses_a_name_that_is_no_agency(con, typed):
    for path in PATHS:
        said = path(con, typed)
        assert said != "Sonoma" and typed in said, path.__name__  # each says it its own way


@pytest.mark.parametrize("typed", ["sonoma", "Sonoma County"])
def test_every_path_refuses_an_ambiguous_name_naming_both(con, monkeypatch, typed):
    from analysis import agencies

    known = [*agencies.names(con), "SONOMA"]  # e.g. an imported agreement's own spelling
    monkeypatch.setattr(agencies, "names", lambda con, salary_table=None: known)
    for path in PATHS:
        said = path(con, typed)
        assert "could be any of Sonoma, SONOMA" in said, (path.__name__, said)


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
    # the typed-name rules that were repeated elsewhere, and the aliases, are gone
    for mod, gone in (
        (ag, "normalize_name"),
        (ag, "match_name"),
        (an, "loaded_agency"),
        (an, "county_agency_for"),
        (an, "sco_agency_name"),
    ):
        assert not hasattr(mod, gone), (mod.__name__, gone)
    assert cov.resolve_typed is an.resolve_typed and net.resolve_typed is an.resolve_typed
