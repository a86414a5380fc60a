"""Class matching: which class of one agency is the benchmark match of another's.

match (crosswalk(): the decision order, start here), titles (normalizing titles),
scoring (weighted word overlap), overrides (data/reference/class_matches.csv),
title_match and title_scores (many outside titles, e.g. State Controller positions, against
one agency's classes).

May import: etl foundation, analysis.agencies, analysis.warehouse. Imported by:
analysis.market, the app and the CLI."""
