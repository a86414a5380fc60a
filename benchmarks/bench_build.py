"""Time `bargain build` end to end (parse every source, write DuckDB, atomic swap).

Run: .venv/bin/python benchmarks/bench_build.py [--repeat N]
Prints the median and spread over N builds into a temporary directory, and the ratio to the
3-second ceiling of the warehouse issue.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from userdata.warehouse import build

TARGET_SECONDS = 3.0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            db = Path(tmp) / f"b{i}.duckdb"
            t0 = time.perf_counter()
            build(db)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(
        f"build: median {med:.3f} s over {len(times)} runs "
        f"(min {min(times):.3f}, max {max(times):.3f}); "
        f"ratio to the {TARGET_SECONDS:.0f} s ceiling: {med / TARGET_SECONDS:.2f}"
    )


if __name__ == "__main__":
    main()
