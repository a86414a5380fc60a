"""Time importing a 5,000-row salary table (etl/schedule_import).

Run: .venv/bin/python benchmarks/bench_import.py [--repeat N] [--build-repeat N]

Generates synthetic tables of 1,000 classes x 5 steps, monthly pay:
- long CSV: 5,000 rows (class code, title, step, monthly salary);
- long XLSX: the same rows in a workbook;
- wide CSV: 5,000 rows (5,000 classes x 5 step columns, 25,000 pay cells).
For each it reports the median over `--repeat` runs of `read()` (upload checks, layout,
every cell parsed, converted to hourly, checked, warehouse rows and source lines built), and
the median over `--build-repeat` runs of storing it in a temporary user-data file and
rebuilding a temporary warehouse with it (`etl.build.build`, all published agreements too),
beside a build without it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from etl.schedule_import import agreement_id_for, read
from etl.schedule_import.stored import ImportedFile
from userdata import agreements
from userdata.warehouse import build

CLASSES = 1_000
STEPS = 5


def _pay(i: int, s: int) -> float:
    return round((3000 + 3 * i) * 1.05**s, 2)


def long_rows() -> list[list]:
    rows = [["Class Code", "Class Title", "Step", "Monthly Salary"]]
    for i in range(CLASSES):
        for s in range(STEPS):
            rows.append([f"C{i:04d}", f"SYNTHETIC CLASS {i}", s + 1, _pay(i, s)])
    return rows


def long_csv() -> bytes:
    out = io.StringIO()
    for code, title, step, pay in long_rows():
        pay_text = f'"${pay:,.2f}"' if isinstance(pay, float) else pay
        out.write(f"{code},{title},{step},{pay_text}\n")
    return out.getvalue().encode()


def long_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Schedule"
    for row in long_rows():
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wide_csv(classes: int = CLASSES * STEPS) -> bytes:
    out = io.StringIO()
    out.write("Job Code,Job Title," + ",".join(f"Step {s + 1}" for s in range(STEPS)) + "\n")
    for i in range(classes):
        pays = ",".join(f'"{_pay(i % 2000, s):,.2f}"' for s in range(STEPS))
        out.write(f"W{i:05d},SYNTHETIC WIDE CLASS {i},{pays}\n")
    return out.getvalue().encode()


OPTIONS = {"agency": "Bench County", "effective": "2024-07-01", "period": "monthly"}


def _median(fn, repeat: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--build-repeat", type=int, default=3)
    args = p.parse_args()
    tables = {
        "long CSV": ImportedFile("schedule", "bench_long.csv", long_csv()),
        "long XLSX": ImportedFile("schedule", "bench_long.xlsx", long_xlsx()),
        "wide CSV": ImportedFile("schedule", "bench_wide.csv", wide_csv()),
    }
    with tempfile.TemporaryDirectory() as tmp:
        base = _median(lambda: build(Path(tmp) / "base.duckdb", user_db=None), args.build_repeat)
        print(f"build without imports: median {base[0]:.3f} s")
        print(f"{'table':<10} {'rows':>6} {'rates':>7} {'read':>9} {'read+rebuild':>13}")
        for k, (name, f) in enumerate(tables.items()):
            got = read([f], OPTIONS)
            n_rates = len(got.result.salary_rates)
            n_rows = len(got.documents[0][4]) - 1
            r = _median(lambda f=f: read([f], OPTIONS), args.repeat)
            user = Path(tmp) / f"u{k}.sqlite"
            db = Path(tmp) / f"w{k}.duckdb"

            def store_and_build(f=f, user=user, db=db) -> None:
                for item in agreements.load_all(user) if user.exists() else []:
                    agreements.delete(item.import_id, user)
                agency = OPTIONS["agency"]
                agreements.save(
                    agency, lambda i: agreement_id_for(agency, i), "bench", OPTIONS, [f], user
                )
                rep = build(db, user_db=user)
                assert not rep.notes, rep.notes

            b = _median(store_and_build, args.build_repeat)
            print(
                f"{name:<10} {n_rows:>6,} {n_rates:>7,} {r[0]:>8.3f}s {b[0]:>12.3f}s"
                f"   (read min {r[1]:.3f} max {r[2]:.3f}; rebuild min {b[1]:.3f} max {b[2]:.3f})"
            )


if __name__ == "__main__":
    main()
