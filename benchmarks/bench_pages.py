"""Server-side time of each page's script run, with Streamlit's AppTest (no browser).

Run: .venv/bin/python benchmarks/bench_pages.py [--repeat N] [--target-ms MS]
Uses BARGAIN_DB when set, else builds the warehouse into a temporary directory; user data
goes to a temporary file. Pages are read from app.py's st.Page(...) entries. The app's first
run (imports, the database check) is reported apart; then the page caches are emptied and, for
each page: one first run (`cold`: its cached queries uncomputed), then N
timed runs of at.switch_page(page).run() (warm caches, as on a revisit or a widget change).
Prints per page the first run and its ratio to the 200 ms target, the warm median and 90th
percentile and the median's ratio to the 50 ms target, with the process's CPU time of the
same runs (the targets apply to wall time); then the floor under every page (an
empty script, and the sidebar over an empty page, through the same harness). Exits 1 when a
page raises.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/ and app_pages/ are not installed packages
from tests.live_app import navigation_pages as _nav  # noqa: E402

TARGET_MS = 200.0  # a page's first run
WARM_TARGET_MS = 50.0  # a revisit or a widget change


def navigation_pages() -> list[tuple[str, str]]:
    """(file, title) of every st.Page(...) entry of app.py; the default page (opened at /)
    first."""
    pages = _nav()
    return [(p.file, p.title) for p in sorted(pages, key=lambda p: not p.default)]


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), like numpy's default."""
    v = sorted(values)
    if len(v) == 1:
        return v[0]
    k = (len(v) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def _errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


# The floor under every page: Streamlit's own work for a run (AppTest's script runner, the
# session state, the messages), then the app's sidebar and an empty page.
EMPTY_SCRIPT = "import streamlit as st\n"
SIDEBAR_SCRIPT = """import streamlit as st
from app_pages import common

common.ensure_database_ui()
common.run_page(st.navigation([st.Page(lambda: None, title="Empty")]))
"""


def floor(repeat: int) -> dict[str, float]:
    """Warm median (ms) of an empty script and of the sidebar over an empty page, run through
    the same AppTest harness as the pages."""
    from streamlit.testing.v1 import AppTest

    out = {}
    for name, script in (("empty script", EMPTY_SCRIPT), ("sidebar only", SIDEBAR_SCRIPT)):
        at = AppTest.from_string(script, default_timeout=300)
        at.run()
        times = []
        for _ in range(max(repeat, 5)):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(times)
    return out


def bench(repeat: int, target_ms: float) -> int:
    from streamlit.testing.v1 import AppTest

    # AppTest's own thread warns about running outside `streamlit run`; that is expected here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    startup_ms = (time.perf_counter() - t0) * 1000
    if at.exception:
        print(f"app.py raised on its first run: {_errors(at)}")
        return 1
    # A page's first visit in a new process also imports its modules (the cpi data, scipy for
    # My pay's class crosswalk) and fills the per-connection memos (analysis.warehouse.memo):
    # once per process, measured apart ('in process'). Then the page caches are emptied, so
    # each page's 'first' run below computes its queries with the modules loaded.
    from app_pages.common import clear_caches

    in_process = {}
    for file, _ in navigation_pages():
        t0 = time.perf_counter()
        at.switch_page(file).run()
        in_process[file] = (time.perf_counter() - t0) * 1000
    clear_caches()

    rows, failed = [], 0
    for file, title in navigation_pages():
        t0, c0 = time.perf_counter(), time.process_time()
        at.switch_page(file).run()
        cold = (time.perf_counter() - t0) * 1000
        cold_cpu = (time.process_time() - c0) * 1000
        errs = _errors(at)
        times, cpu = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            at.switch_page(file).run()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            errs = errs or _errors(at)
        failed += bool(errs)
        med = statistics.median(times)
        rows.append(
            (title, in_process[file], cold, med, percentile(times, 90), errs, cold_cpu,
             statistics.median(cpu))
        )  # fmt: skip

    print(
        f"machine: {os.cpu_count()} cores; AppTest server-side script runs; the process's "
        f"first run (imports, database check, default page): {startup_ms:.0f} ms; per page "
        f"'in process' = its first visit in the process (its modules imported), 'first' = "
        f"its first run after the page caches were emptied, then {repeat} warm runs; 'cpu' = "
        f"the process's CPU time over the same runs (wall time minus waiting for a core, plus "
        f"any second thread's work): on a shared machine, what the code itself costs"
    )
    w = max(len(r[0]) for r in rows)
    head = (
        f"{'page':<{w}}  {'in process':>10}  {'first':>8}  {'/' + f'{target_ms:g}ms':>8}  "
        f"{'median':>8}  {'p90':>8}  {'/' + f'{WARM_TARGET_MS:g}ms':>8}  {'cpu first':>9}  "
        f"{'cpu median':>10}"
    )
    print(head)
    print("-" * len(head))
    over = []
    for title, first_in_process, cold, med, p90, errs, cold_cpu, med_cpu in rows:
        r_first, r_warm = cold / target_ms, med / WARM_TARGET_MS
        flag = "  OVER" if max(r_first, r_warm) > 1 else ""
        if flag:
            over.append(title)
        print(
            f"{title:<{w}}  {first_in_process:>8.0f}ms  {cold:>6.0f}ms  {r_first:>8.2f}  "
            f"{med:>6.0f}ms  {p90:>6.0f}ms  "
            f"{r_warm:>8.2f}  {cold_cpu:>7.0f}ms  {med_cpu:>8.0f}ms{flag}"
        )
        for e in errs:
            print(f"{'':<{w}}  ERROR: {e}")
    print(
        f"{len(rows)} pages; {len(over)} over a target (first {target_ms:g} ms, warm median "
        f"{WARM_TARGET_MS:g} ms)"
        + (f" ({', '.join(over)})" if over else "")
        + (f"; {failed} raised" if failed else "")
    )
    base = floor(repeat)
    print("floor (warm median): " + "; ".join(f"{k} {v:.0f} ms" for k, v in base.items()))
    return 1 if failed else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--target-ms", type=float, default=TARGET_MS)
    args = p.parse_args()
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))  # app.py imports app_pages, which is not installed
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        os.environ["BARGAIN_USER_DB"] = str(Path(tmp) / "user.sqlite")
        if not os.environ.get("BARGAIN_DB"):
            from userdata.warehouse import build

            os.environ["BARGAIN_DB"] = str(Path(tmp) / "bargaining.duckdb")
            build(Path(os.environ["BARGAIN_DB"]))
        code = bench(args.repeat, args.target_ms)
    sys.exit(code)


if __name__ == "__main__":
    main()
