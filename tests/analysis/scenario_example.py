"""The smallest valid scenario, as documented (analysis/scenario/__init__.py names the file,
the README shows it): the tests use the documented file itself."""

from etl.defaults import ROOT

EXAMPLE_JSON = (ROOT / "docs" / "examples" / "minimal_scenario.json").read_text("utf-8").strip()
