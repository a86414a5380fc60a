"""ETL: read the published agreements in data/raw/ and the tables users bring into DuckDB.

Layers inside (docs/ARCHITECTURE.md): the foundation modules here (one per concept: pay,
cells, citations, errors, defaults, records, registry, ...), the readers (sources/, uploads/,
gcc/, schedule_import/), then the build (parse.py, imported.py, build.py, schema.sql).
May import: nothing of the project outside etl/. Never reads user data: the build is given
the imported agreements (userdata/warehouse.py)."""
