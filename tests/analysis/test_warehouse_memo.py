"""The agency list is read once per read-only warehouse connection, and only there."""

import duckdb
import pandas as pd

from analysis import agencies
from analysis import warehouse as wh


def test_memo_per_read_only_connection(warehouse):
    con = wh.connect(warehouse)
    first = agencies.agencies(con)
    first.loc[:, "agency"] = "changed by a caller"  # callers get copies
    again = agencies.agencies(con)
    assert "changed by a caller" not in set(again["agency"])
    assert wh._SNAPSHOTS[con]["agencies"] is not again


def test_other_connections_are_not_memoized(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    calls = []
    for _ in range(2):
        wh.memo(con, "k", lambda: calls.append(1) or pd.DataFrame())
    assert len(calls) == 2
