"""Time the salary-table reader on the files of the field, against a baseline in the same run.

Run: .venv/bin/python benchmarks/bench_schedule_read.py [--repeat N]

- the county's 40-page PDF schedule (tests/data/schedules/county_schedule.pdf: 636 classes x
  5 steps x 2 dates): `read()` (pages laid out, the header found on every page, every cell
  parsed, converted, checked, cited), against the baseline of pdfplumber's own
  `extract_words()` over the same pages, which every PDF read must do at least once;
- a union lookup of 50,000 rows (the state lookup's shape: coalition, class, title, step,
  three pay columns, derived columns), against the baseline of `csv.reader` over the bytes.

Reports the median of `--repeat` runs of each, and the ratio to its baseline. The PDF cache
of etl/uploads/pdf/pages.py is cleared before every run (the app reuses it within one upload).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.schedule_import import read  # noqa: E402
from etl.schedule_import.stored import ImportedFile  # noqa: E402
from etl.uploads.pdf import pages as pdf_pages  # noqa: E402

PDF = ROOT / "tests" / "data" / "schedules" / "county_schedule.pdf"
LOOKUP_ROWS = 50_000
MAPPING = ["pay@2023-07-01=Current monthly pay", "pay@2024-07-01=2024 monthly pay"]


def lookup_csv(rows: int = LOOKUP_ROWS) -> bytes:
    """A union lookup: 3 coalitions x N classes x 8 steps, whole-dollar monthly pay."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["UNION SALARY LOOKUP"])
    w.writerow([])
    w.writerow(
        [
            "Coalition",
            "Job Class",
            "Job Title",
            "Salary Range",
            "Step",
            "Current monthly pay",
            "2024 monthly pay",
            "Effective 7/1/2025",
            "Monthly difference",
            "% change",
        ]
    )
    classes = rows // (3 * 8)
    for u, unit in enumerate(("General Government", "Higher Education", "Hospitals")):
        for k in range(classes):
            for s, step in enumerate("ABCDEFGH"):
                a = round(2400 * 1.01 ** (k % 200 + u) * 1.05**s)
                b, c = round(a * 1.03), round(a * 1.03**2)
                w.writerow(
                    [
                        unit,
                        f"{1000 + k}",
                        f"Class {k} Title",
                        30 + k % 60,
                        step,
                        f"{a:,}",
                        f"{b:,}",
                        f"{c:,}",
                        f"{c - b:,}",
                        "3.0%",
                    ]
                )
    return out.getvalue().encode()


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        pdf_pages._CACHE.clear()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _peak_mb(fn) -> float:
    pdf_pages._CACHE.clear()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    repeat = ap.parse_args().repeat
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    data = PDF.read_bytes()
    pdf_file = [ImportedFile("schedule", PDF.name, data)]

    def read_pdf():
        got = read(pdf_file, {"agency": "Bench County", "period": "monthly"})
        assert got.summary.rates == 6360

    def words_only():
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_words(x_tolerance=1, y_tolerance=2)

    t_pdf, t_words = _median(read_pdf, repeat), _median(words_only, repeat)
    print(
        f"county PDF (40 pages, 6,360 rates): read {t_pdf:.2f} s; pdfplumber extract_words "
        f"alone {t_words:.2f} s; ratio {t_pdf / t_words:.2f}; peak {_peak_mb(read_pdf):.0f} MB"
    )

    text = lookup_csv()
    csv_file = [ImportedFile("schedule", "lookup.csv", text)]
    n_rows = text.count(b"\n") - 3

    def read_csv():
        got = read(csv_file, {"agency": "Bench Union", "period": "monthly", "mapping": MAPPING})
        assert got.summary.rates == n_rows * 3

    def csv_only():
        for _ in csv.reader(io.StringIO(text.decode())):
            pass

    t_csv, t_base = _median(read_csv, repeat), _median(csv_only, repeat)
    print(
        f"union lookup CSV ({n_rows:,} rows, {n_rows * 3:,} rates, {len(text) / 2**20:.1f} MB): "
        f"read {t_csv:.2f} s; csv.reader alone {t_base:.3f} s; ratio {t_csv / t_base:.0f}; "
        f"peak {_peak_mb(read_csv):.0f} MB"
    )


if __name__ == "__main__":
    main()
