"""Load on the member site as published (`bargain publish`) and served by the shipped nginx
configuration (docs/deploy/nginx/members-site.conf, made local by tests/site_server.py),
against a baseline measured in the same run: the same nginx serving one static file of the
median class page's size
(a copy of that page).

Run: .venv/bin/python benchmarks/bench_site_load.py [--clients 1000] [--seconds 15]
     [--site DIR] [--workers 2]

The load generator is `wrk` (apt-get install wrk): `--clients` open connections over
loopback for `--seconds`, each request a class page taken in turn from every page of the site
(the baseline: the one file, over and over), plus the front page and the search index, as a
member's visit asks for them. Reported: requests per second, latency p50 / p95 / p99 (wrk's
own histogram), errors, and the site's figures as ratios to the baseline's. wrk and nginx share
the machine's cores, so the absolute figures are the machine's; the ratio is the site's.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site_server import serve  # noqa: E402

LUA = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _run_wrk(url: str, paths: list[str], clients: int, seconds: int, work: Path) -> dict:
    listing = work / f"paths-{len(paths)}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = work / "bench.lua"
    script.write_text(LUA)
    threads = max(1, min(4, os.cpu_count() or 1))
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "BENCH_PATHS": str(listing)}
    )
    m = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", done.stdout)
    if done.returncode != 0 or not m:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    p50, p95, p99, n, micros, errors = map(int, m.groups())
    return {
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "rps": n / (micros / 1e6),
        "requests": n,
        "errors": errors,
    }


def _site(args, work: Path) -> Path:
    if args.site:
        src = Path(args.site)
    else:
        from exports.site.build import publish

        src = work / "published"
        publish(ROOT / "data" / "bargaining.duckdb", src)
    site = work / "site"
    shutil.copytree(src, site)
    return site


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--site", help="an already published site (else publish data/ now)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.chmod(0o755)
    try:
        site = _site(args, work)
        for d in [site, *[p for p in site.rglob("*") if p.is_dir()]]:
            d.chmod(0o755)
        pages = sorted(p for p in site.rglob("*.html") if p.name != "index.html")
        sizes = [p.stat().st_size for p in pages]
        median = int(statistics.median(sizes))
        # the baseline: one file of the median page's size (a copy of that page, with its
        # compressed copy when the site has them), asked for over and over
        middle = pages[sizes.index(sorted(sizes)[len(sizes) // 2])]
        shutil.copy(middle, site / "baseline.html")
        if middle.with_name(middle.name + ".gz").exists():
            shutil.copy(middle.with_name(middle.name + ".gz"), site / "baseline.html.gz")
        paths = ["/" + p.relative_to(site).as_posix() for p in pages]
        visit = ["/index.html", "/search.json", *paths]
        server = serve(site, workers=args.workers, connections=max(1024, args.clients * 2))
        try:
            print(
                f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
                f"nginx workers {args.workers}; {args.clients} clients for {args.seconds} s; "
                f"{len(pages)} class pages, median {median:,} bytes"
            )
            base = _run_wrk(server.url, ["/baseline.html"], args.clients, args.seconds, work)
            got = _run_wrk(server.url, visit, args.clients, args.seconds, work)
        finally:
            server.stop()
        for name, r in (("baseline (one static file)", base), ("member site", got)):
            print(
                f"{name:<28} {r['rps']:>9,.0f} req/s  p50 {r['p50_ms']:7.1f} ms  "
                f"p95 {r['p95_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
                f"errors {r['errors']:,} of {r['requests']:,}"
            )
        print(
            f"ratio site / baseline: req/s {got['rps'] / base['rps']:.2f}, "
            f"p95 {got['p95_ms'] / max(base['p95_ms'], 0.001):.2f}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
