"""Rosters: who holds which class, step and FTE, for costing.

reader (read_roster: the entry point), check (the column-by-column validation), table (the
table while it is checked, and the problems found), model (the Roster object), positions
(steps and classes checked against the warehouse).

May import: etl (uploads, cells, columns, errors, defaults), analysis.agencies. Imported by:
analysis.costing, the app and the CLI."""
