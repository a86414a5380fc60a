"""ETL: read the published agreements in data/raw/ and the tables users bring into DuckDB.

Layers inside (docs/ARCHITECTURE.md): the foundation modules here (one per concept: pay,
cells, citations, errors, defaults, records, registry, ...), the readers (sources/, uploads/,
gcc/, schedule_import/), then the build (parse.py, imported.py, build.py, schema.sql).
May import: nothing of the project outside etl/. Never reads user data: the build is given
the imported agreements (userdata/warehouse.py)."""

import pandas as pd

# Text columns on NumPy object arrays, not pyarrow: the app answers many questions over small
# frames (a class's steps, an agency's premiums), and pyarrow-backed text costs a conversion
# per filter, take and element read there; a member's figures are computed ~40% faster this
# way (benchmarks/README.md, "String storage"). Same `str` dtype and missing values (NaN);
# large imports (State Controller files) time the same either way. Set here because every
# entry point (app, CLI, tests, benchmarks) imports etl before building a frame.
pd.options.mode.string_storage = "python"
