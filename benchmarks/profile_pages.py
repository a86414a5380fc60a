"""Where a page's server-side run spends its time: runs each page (AppTest) once cold and
`--repeat` times warm with cProfile on (BARGAIN_PROFILE_DIR), then prints, per page, the
functions of our code and of Streamlit/pandas that take the most cumulative time in the warm
runs. A development tool beside bench_pages.py (which measures without the profiler)."""

from __future__ import annotations

import argparse
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*", help="page file stems (default: every page)")
    ap.add_argument("--agency", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--top", type=int, default=25)
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
        at.switch_page(page.file).run()  # cold
        for f in out.glob("*.prof"):
            f.unlink()
        for _ in range(args.repeat):
            at.switch_page(page.file).run()
        stats = pstats.Stats(*map(str, out.glob("*.prof")))
        total = sum(v[3] for k, v in stats.stats.items() if k[2] == "run_page") / args.repeat
        print(f"\n== {page.title}: {total * 1000:.0f} ms per warm run (profiled)")
        stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
