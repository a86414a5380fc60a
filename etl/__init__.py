"""ETL: read the published agreements in data/raw/ and load them into DuckDB."""
