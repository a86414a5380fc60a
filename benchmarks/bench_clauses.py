"""Time agreement text in and clause search, each against a baseline in the same run.

Run: .venv/bin/python benchmarks/bench_clauses.py [--repeat N]

- importing the 58-page example MOU (tests/data/agreements/make_agreement.py: 2,546 printed
  lines, 28,293 words): `read_agreement` (pages, lines, the bounded PDF reader) plus
  `outline` (articles and sections) plus storing it in a temporary user-data file, against
  pdfplumber's own `extract_words()` over the same pages;
- the clause index: built once per warehouse build and set of imported texts (the published
  agreements' passages and the MOU's);
- searches over every agreement (`analysis.clauses.find` on the cached index: compile the
  query, FTS5 MATCH, BM25 order, marks, citations) against `index.scan`, a Python loop testing
  each passage for every word as a lowercase substring (no stems, no ranking) over the same
  passages.

Medians of `--repeat` runs; the targets are 10 s for a 60-page import and 100 ms a search.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEARCHES = [
    ("bilingual", ["bilingual"]),
    ('"call back"', ["call back"]),
    ("telework", ["telework"]),
    ("layoff seniority", ["layoff", "seniority"]),
    ("premiums", ["premium"]),
    ("uniform allowance", ["uniform", "allowance"]),
    ("grievance arbitration", ["grievance", "arbitration"]),
    ("overtime", ["overtime"]),
]


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    repeat = ap.parse_args().repeat
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    with tempfile.TemporaryDirectory(prefix="bench-clauses-") as tmp:
        os.environ["BARGAIN_USER_DB"] = str(Path(tmp) / "user.sqlite")
        from analysis import clauses
        from analysis.warehouse import connect
        from etl.agreement_text import index as fts
        from etl.agreement_text.outline import outline
        from etl.agreement_text.query import compile_query
        from etl.agreement_text.reader import read_agreement
        from etl.build import build
        from etl.uploads.pdf import pages as pdf_pages
        from tests.data.agreements.make_agreement import mou_pdf
        from userdata import agreement_texts

        db = Path(tmp) / "bargaining.duckdb"
        build(db)
        con = connect(db)
        data = mou_pdf()

        def import_pdf():
            pdf_pages._CACHE.clear()  # the app reuses a read within one upload; not here
            got = read_agreement(data, "example_mou.pdf")
            outline([ln.text for ln in got.lines], got.lines[0].line_no)
            agreement_texts.save("Bench County", "Example MOU", got, data)

        def words_only():
            import pdfplumber

            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for page in pdf.pages:
                    page.extract_words()

        t_import, t_words = _median(import_pdf, repeat), _median(words_only, repeat)
        got = read_agreement(data, "example_mou.pdf")
        print(
            f"import of a {got.pages}-page MOU PDF ({len(got.lines):,} lines): "
            f"{t_import:.2f} s; pdfplumber extract_words alone {t_words:.2f} s; "
            f"ratio {t_import / t_words:.2f} (target 10 s)"
        )

        texts = agreement_texts.load_all()[-1:]  # one copy of the MOU beside the published
        t = time.perf_counter()
        idx = clauses.clause_index(con, texts)
        t_index = time.perf_counter() - t
        n_mou = int((idx.passages["agency"] == "Bench County").sum())
        print(
            f"clause index: {len(idx):,} passages ({n_mou:,} of the MOU) in "
            f"{t_index * 1000:.0f} ms (once a build)"
        )

        print(
            f"{'search':<24} {'hits':>5} {'agreements':>10} {'find ms':>8} {'scan ms':>8} "
            f"{'ratio':>6}"
        )
        finds, scans = [], []
        for typed, words in SEARCHES:
            compile_query(typed)
            hits, _ = clauses.find(con, typed, None, texts)
            t_find = _median(lambda typed=typed: clauses.find(con, typed, None, texts), repeat)
            t_scan = _median(lambda words=words: fts.scan(idx.passages, words), repeat)
            finds.append(t_find)
            scans.append(t_scan)
            print(
                f"{typed:<24} {len(hits):>5} {hits['agency'].nunique():>10} "
                f"{t_find * 1000:>8.1f} {t_scan * 1000:>8.1f} "
                f"{t_find / t_scan:>6.2f}"
            )
        print(
            f"median search {statistics.median(finds) * 1000:.1f} ms (target 100 ms), median "
            f"scan {statistics.median(scans) * 1000:.1f} ms, ratio "
            f"{statistics.median(finds) / statistics.median(scans):.2f}"
        )


if __name__ == "__main__":
    main()
