"""The State Controller's "Government Compensation in California" raw export: the ZIP or CSV
opened safely (archive), its columns found (layout), read and aggregated with DuckDB (reader,
sql), and checked for import (importer).

May import: the etl foundation (defaults, errors, agency_names) and etl/uploads (the one
decoder, the file signatures). Imported by: userdata/gcc.py, the app and the CLI."""
