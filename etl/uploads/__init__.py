"""Every file a user uploads is read here first: its kind, size, encoding and delimiter checked,
its rows numbered as a spreadsheet shows them (reader: the one entry point; csv_file, xlsx_file,
kinds, table), and the survey template built on it (survey_template).

May import: the etl foundation (defaults, errors, cells). Imported by: etl/schedule_import,
analysis (rosters), the app and the CLI."""
