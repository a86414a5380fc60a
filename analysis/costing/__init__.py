"""Costing a proposal: what a scenario's changes cost, fiscal year by fiscal year, over a roster.

engine (the pay-period engine and its fiscal-year totals; start here), rates, steps, parts and
assembly (what the engine is built from), results (tables of a run), tables and
market_change (the scenario builder's tables), compare (saved scenarios side by side).

May import: etl foundation, analysis.scenario, analysis.roster, analysis.market, warehouse
and agencies. Imported by: exports, the app and the CLI."""
