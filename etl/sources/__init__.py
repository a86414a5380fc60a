"""The published agreements' parsers: one package per agreement, each reading its document(s)
from data/raw/ into the plain rows of etl/records.py, with the arithmetic audit of its printed
tables beside it. The registry (etl/registry.py) names each package's `parser` module.

May import: the etl foundation (records, rawtext, citations, curated, errors, pay, rounding,
registry, time_off, agency_names). Imported by: nothing but etl/parse.py (through the
registry). A source never imports another source."""
