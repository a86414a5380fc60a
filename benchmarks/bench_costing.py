"""Time roster validation and the costing engine on synthetic rosters over 6 fiscal years.

Run: .venv/bin/python benchmarks/bench_costing.py [--repeat N] [--employees N] [--large N]
     [--years N]
Builds the warehouse into a temporary directory (etl.build.build), takes Sonoma's rate table
from it, generates synthetic rosters in this script (one row per employee: random class,
step, FTE, next-step date, premium flags) and costs a scenario that uses every kind of change,
step movement, overtime and roll-ups. Prints the median over N runs of
  - roster validation (analysis.roster.reader.validate_roster, column by column) of 100,000 rows:
    the 0.15-second target,
  - costing (analysis.costing.engine.cost_with_rates on the validated roster) of `--employees`
    (100,000) and `--large` (1,000,000; 0 skips it) employees: the 1-second target,
each with a baseline measured in the same run on the same rows, so the ratio carries across
machines: for validation, pandas factorizing every column once (the least any check of every
cell does); for costing, pandas grouping the roster by class, step and next-step date once
(the least any costing of every employee does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analysis.costing.engine import agreement_increases, cost_with_rates, rate_table
from analysis.roster.reader import validate_roster
from analysis.scenario import Scenario, scenario_from_dict
from userdata.warehouse import build

TARGET_SECONDS = 1.0  # costing 1,000,000 employees
VALIDATION_TARGET_SECONDS = 0.15  # validating 100,000 rows
VALIDATION_ROWS = 100_000
AGENCY = "Sonoma"


def synthetic_roster(rates: pd.DataFrame, n: int, seed: int = 7) -> pd.DataFrame:
    """n employees spread over every class, at random steps, with random dates and flags."""
    rng = np.random.default_rng(seed)
    ladder = rates[["class_code", "step"]].drop_duplicates()
    pick = ladder.iloc[rng.integers(0, len(ladder), n)].reset_index(drop=True)
    days = rng.integers(0, 365, n)
    nsd = pd.Timestamp("2004-07-01") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame(
        {
            "id": [f"E{i:06d}" for i in range(n)],
            "agency": AGENCY,
            "class_code": pick["class_code"],
            "step": pick["step"],
            "fte": rng.choice([1.0, 1.0, 1.0, 0.8, 0.5], n),
            "next_step_date": nsd.strftime("%Y-%m-%d"),
            "bilingual": rng.random(n) < 0.1,
            "shift": rng.random(n) < 0.15,
        }
    )


def scenario(years: int, codes: list[str]) -> Scenario:
    gaps = {c: float(g) for c, g in zip(codes[:40], np.linspace(-3, 12, 40), strict=False)}
    return scenario_from_dict(
        {
            "agency": AGENCY,
            "start": "2004-07-01",
            "years": years,
            "step_movement": True,
            "rollups": {
                "retirement": {"pct": 18.0, "excludes": ["overtime", "one_time"]},
                "social_security": 6.2,
                "medicare": 1.45,
            },
            "overtime": {"*": 20, codes[0]: 120},
            "changes": [
                {"type": "across_the_board", "effective": f"{2004 + y}-07-01", "pct": 2.5}
                for y in range(years)
            ]
            + [
                {"type": "targeted", "effective": "2005-01-01", "pct": 2.0, "classes": codes[:25]},
                {
                    "type": "to_market",
                    "gaps": gaps,
                    "threshold": 2.0,
                    "stages": [
                        {"effective": "2004-07-01", "share": 0.5},
                        {"effective": "2005-07-01", "share": 0.5},
                    ],
                },
                {
                    "type": "premium",
                    "flag": "bilingual",
                    "basis": "usd_per_hour",
                    "value": 1.10,
                    "current": 0.90,
                    "effective": "2004-07-01",
                },
                {
                    "type": "premium",
                    "flag": "shift",
                    "basis": "pct_of_base",
                    "value": 6.0,
                    "current": 5.0,
                    "effective": "2005-07-01",
                },
                {"type": "one_time", "effective": "2004-12-01", "amount": 500.0, "per": "head"},
                {
                    "type": "add_top_step",
                    "effective": "2005-07-01",
                    "pct": 2.5,
                    "after_periods_at_top": 26,
                },
            ],
        }
    )


def _median(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def _factorize_every_column(raw: pd.DataFrame) -> None:
    for c in raw.columns:
        pd.factorize(raw[c])


def _group_once(raw: pd.DataFrame) -> None:
    raw.groupby(["class_code", "step", "next_step_date"], sort=True)["fte"].sum()


def _line(what: str, med: float, times: list[float], base: float, target: float) -> str:
    return (
        f"{what}: median {med:.3f} s over {len(times)} runs (min {min(times):.3f}, max "
        f"{max(times):.3f}); baseline {base:.3f} s, ratio to baseline {med / base:.1f}x; "
        f"ratio to the {target:g} s target: {med / target:.2f}"
    )


def _cost(rates, increases, valid, sc, n: int, repeat: int, target: float) -> str:
    raw = synthetic_roster(rates, n)
    roster = validate_roster(raw, valid, source="synthetic")
    cost_with_rates(roster, sc, rates, increases)  # warm-up (imports, first allocations)
    med, times = _median(lambda: cost_with_rates(roster, sc, rates, increases), repeat)
    base, _ = _median(lambda: _group_once(raw), repeat)
    result = cost_with_rates(roster, sc, rates, increases)
    return (
        _line(f"costing {n:,} employees", med, times, base, target)
        + f"\n  cumulative increment over the term: ${result.cumulative_increment:,.2f}"
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--employees", type=int, default=100_000)
    p.add_argument("--large", type=int, default=1_000_000)
    p.add_argument("--years", type=int, default=6)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        build(db)
        con = duckdb.connect(str(db), read_only=True)
        rates = rate_table(con, AGENCY)
        increases = agreement_increases(con, AGENCY)
        con.close()
    valid = rates[["agency", "class_code", "step"]].drop_duplicates()
    sc = scenario(args.years, sorted(rates["class_code"].unique()))
    print(
        f"machine: {os.cpu_count()} cores; {len(valid):,} class-steps, {args.years} fiscal "
        f"years ({args.years * 26} pay periods)"
    )

    raw = synthetic_roster(rates, VALIDATION_ROWS)
    validate_roster(raw, valid, source="synthetic")  # warm-up
    vmed, vtimes = _median(lambda: validate_roster(raw, valid, source="synthetic"), args.repeat)
    vbase, _ = _median(lambda: _factorize_every_column(raw), args.repeat)
    print(
        _line(
            f"roster validation, {VALIDATION_ROWS:,} rows",
            vmed,
            vtimes,
            vbase,
            VALIDATION_TARGET_SECONDS,
        )
    )
    print(_cost(rates, increases, valid, sc, args.employees, args.repeat, TARGET_SECONDS))
    if args.large:
        print(_cost(rates, increases, valid, sc, args.large, args.repeat, TARGET_SECONDS))


if __name__ == "__main__":
    main()
