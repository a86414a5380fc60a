"""The smallest valid scenario, read from analysis/scenario/__init__.py's docstring, where it is
documented exactly as it may be written: the tests use the documented text itself."""

from analysis import scenario

EXAMPLE_JSON = scenario.__doc__.split("written:\n\n", 1)[1].split("\n\n", 1)[0].strip()
