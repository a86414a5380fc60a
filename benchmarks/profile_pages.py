"""Where a page's server-side run spends its time: runs each page (AppTest) once cold and
`--repeat` times warm with cProfile on (BARGAIN_PROFILE_DIR), then prints, per page, the time
of a warm run, the functions of our code (app_pages, analysis, etl, figures, exports, userdata)
with the most cumulative time, and the library functions with the most time of their own
(pandas, Plotly, Streamlit's serialization). `--full` adds pstats' own listing. After the
pages, it times one full garbage collection of the process as it then is: what Streamlit's
`runner.postScriptGC` (on by default; off in .streamlit/config.toml) adds to every run. A
development tool beside bench_pages.py (which measures without the profiler)."""

from __future__ import annotations

import argparse
import gc
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OURS = tuple(str(ROOT / d) + "/" for d in ("app_pages", "analysis", "etl", "figures", "exports",
                                           "userdata"))  # fmt: skip


def _where(key: tuple) -> str:
    file, line, name = key
    for prefix in (str(ROOT) + "/", "site-packages/"):
        if prefix in file:
            file = file.split(prefix, 1)[1]
    return f"{file}:{line}({name})"


def summary(stats: pstats.Stats, runs: int, top: int) -> list[str]:
    rows = stats.stats  # key -> (primitive calls, calls, own time, cumulative time, callers)
    ours = sorted(
        ((v[3], k) for k, v in rows.items() if k[0].startswith(OURS) and k[2] != "<module>"),
        reverse=True,
    )
    theirs = sorted(((v[2], k) for k, v in rows.items() if not k[0].startswith(OURS)), reverse=True)
    out = ["  our code, by cumulative time (ms per run):"]
    out += [f"    {t / runs * 1000:7.1f}  {_where(k)}" for t, k in ours[:top]]
    out.append("  libraries, by own time (ms per run):")
    out += [f"    {t / runs * 1000:7.1f}  {_where(k)}" for t, k in theirs[:top]]
    return out


def _report(stats: pstats.Stats, runs: int, args) -> None:
    print("\n".join(summary(stats, runs, args.top)))
    if args.full:
        stats.sort_stats("cumulative").print_stats(args.top * 2)
    if args.callees:
        stats.sort_stats("cumulative").print_callees(args.callees)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*", help="page file stems (default: every page)")
    ap.add_argument("--agency", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--full", action="store_true", help="also pstats' cumulative listing")
    ap.add_argument(
        "--first",
        action="store_true",
        help="also profile each page's first run after the page caches are emptied (as "
        "bench_pages.py's 'first')",
    )
    ap.add_argument(
        "--callees", metavar="REGEX", help="also what the functions matching REGEX call (pstats)"
    )
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bargain-prof-"))
    os.environ["BARGAIN_PROFILE_DIR"] = str(out)
    from streamlit.testing.v1 import AppTest

    from tests.live_app import navigation_pages

    pages = [p for p in navigation_pages() if not args.pages or p.name in args.pages]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if args.agency:
        at.session_state["shared_agency"] = args.agency
    for page in pages:
        at.switch_page(page.file).run()  # its modules imported
        for f in out.glob("*.prof"):
            f.unlink()
        if args.first:
            from app_pages.common import clear_caches

            clear_caches()
            at.switch_page(page.file).run()
            stats = pstats.Stats(*map(str, out.glob("*.prof")))
            print(f"\n== {page.title}: {stats.total_tt * 1000:.0f} ms, first run (caches emptied)")
            _report(stats, 1, args)
            for f in out.glob("*.prof"):
                f.unlink()
        for _ in range(args.repeat):
            at.switch_page(page.file).run()
        stats = pstats.Stats(*map(str, out.glob("*.prof")))
        # The profile starts inside common.run_page: its total is the page's run (sidebar and
        # page script, elements serialized as they are created), without Streamlit's own
        # work after the script (the forced garbage collection, sending the messages).
        print(f"\n== {page.title}: {stats.total_tt / args.repeat * 1000:.0f} ms per warm run")
        _report(stats, args.repeat, args)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        gc.collect(2)
        times.append(time.perf_counter() - t0)
    print(
        f"\nOne full garbage collection of this process now ({len(gc.get_objects()):,} "
        f"objects): {min(times) * 1000:.0f} ms (runner.postScriptGC does one after every run)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
