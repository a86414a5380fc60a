"""Time the market gap of every Mendocino class against Sonoma, and the full crosswalk.

Run: .venv/bin/python benchmarks/bench_gap.py [--repeat N]
Builds the warehouse into a temporary directory (or uses $BARGAIN_DB), then reports the median
and spread of: the crosswalk Mendocino -> Sonoma (all 310 classes scored against all 331), the
crosswalk Sonoma -> Mendocino, and the whole gap (crosswalk + top steps + CPI ageing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

from analysis.crosswalk import match as crosswalk
from analysis.market import gap as market
from analysis.warehouse import connect
from userdata.warehouse import build


def _time(fn, repeat: int) -> list[float]:
    fn()  # warm-up: loads the CPI series, imports, DuckDB caches
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(os.environ.get("BARGAIN_DB") or Path(tmp) / "b.duckdb")
        if not db.exists():
            build(db)
        con = connect(db)
        cases = {
            "crosswalk Mendocino -> Sonoma": lambda: crosswalk.crosswalk(
                con, "Mendocino", "Sonoma"
            ),
            "crosswalk Sonoma -> Mendocino": lambda: crosswalk.crosswalk(
                con, "Sonoma", "Mendocino"
            ),
            "gap, every Mendocino class vs Sonoma, 2016-07-01": lambda: market.run_gap(
                con, "Mendocino", ["Sonoma"], date(2016, 7, 1)
            ),
        }
        print(f"{'case':<52} {'median':>9} {'min':>9} {'max':>9}")
        for name, fn in cases.items():
            t = _time(fn, args.repeat)
            print(
                f"{name:<52} {statistics.median(t) * 1000:>7.0f}ms {min(t) * 1000:>7.0f}ms "
                f"{max(t) * 1000:>7.0f}ms"
            )
        res = market.run_gap(con, "Mendocino", ["Sonoma"], date(2016, 7, 1))
        print(f"\n{len(res.table)} matched benchmark classes in the gap table.")


if __name__ == "__main__":
    main()
