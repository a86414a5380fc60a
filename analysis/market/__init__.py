"""The market: where each benchmark class stands against the comparators.

gap (market_gap and run_gap: start here), result (the GapResult type and its columns),
values (comparators' pay at a step on a date), comparators (which names are warehouse
agencies, uploads or State Controller imports), survey_matches (uploaded and GCC titles
matched to the subject's classes), gcc (State Controller positions priced at a date, and the
benefits market), tables (the wide export, a class across agencies), total (the gap on total
compensation).

May import: etl foundation, analysis.crosswalk, inflation, agencies, warehouse, total_comp.
Takes the user's rows (uploads, imports, decisions) as arguments; never reads userdata.
Imported by: analysis.costing, exports, figures, the app and the CLI."""
