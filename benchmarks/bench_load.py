"""Load test: concurrent app sessions against one `streamlit run` server, or against several
behind nginx, with one warehouse rebuild in the middle.

Run: .venv/bin/python benchmarks/bench_load.py [--driver ws|browser] [--sessions 20]
                                               [--seconds 60] [--seed 1] [--processes N ...]

Starts `streamlit run app.py` on a free localhost port (BARGAIN_DB if set, else a warehouse
built into a temporary directory; user data in a temporary file) and lets every session act
like a user for a fixed time (think time 0.5-2 s between actions): switch pages from the
navigation, change the sidebar's agency, pay basis and dollars choices. Halfway through, one
`etl.build.build` of the same BARGAIN_DB path runs in a subprocess (it writes a new file and
renames it over the old one; the app's processes switch to it on their next run).

With --processes N [N ...] the single process above is measured first, as the baseline, and
then for each N: N app processes on free ports (the settings of docs/deploy/bargain.env), one
warehouse and one user-data file between them, behind a real nginx running the shipped site
configuration (docs/deploy/nginx/bargain.conf: sticky route cookie, websocket upgrade, basic
auth; tests/nginx_proxy.py renders it with the ports and a temporary prefix and runs nginx as a
foreground child, stopped at the end). Every session signs in as a user of its own and first
loads the page (getting its route cookie) before it opens the websocket, as a browser does.
The report gives each configuration and its ratio to the baseline.

Two drivers:
  ws       (default) each session is a websocket client speaking Streamlit's own protocol
           (the BackMsg/ForwardMsg protobufs the browser sends and receives): it measures the
           server, from sending a rerun until the server reports the script finished. Cheap
           on the client, so 20 sessions on 2 cores load the server rather than the driver.
  browser  each session is a browser context in one headless Chromium (/usr/bin/chromium or
           BARGAIN_CHROMIUM) clicking the real UI; timed from the click until the app is idle
           again (stApp's data-test-script-state back to "notRunning", no "Running..." widget).
           Realistic end to end, but 20 Chromium renderers on 2 cores mostly measure Chromium:
           the report prints how much CPU the servers themselves used.

Errors: exception elements, runs that end in a compile error, navigations that land on another
page, lost connections, and actions not finished within --action-timeout. Prints sessions,
actions completed, errors, median and 95th percentile per action kind and per page, CPU use,
and whether the rebuild completed; exits 1 when there were errors or a rebuild failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import ROOT, navigation_pages, percentile  # noqa: E402

from tests import live_app, nginx_proxy, st_ws  # noqa: E402  (bench_pages put the root on sys.path)

# 20 pages in one browser: keep timers of pages not in front from being throttled.
CHROMIUM_ARGS = [
    *live_app.CHROMIUM_ARGS,
    "--disable-dev-shm-usage",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
CHROMIUM, VIEWPORT = live_app.CHROMIUM, live_app.VIEWPORT
DRIVERS = {
    "ws": "websocket clients speaking Streamlit's protocol",
    "browser": "browser contexts in one headless Chromium",
}

# Counts finished script runs: every change of stApp's script state into "notRunning".
RUN_COUNTER = """
window.__stRuns = 0;
new MutationObserver(ms => {
  for (const m of ms) {
    if (m.target.getAttribute('data-test-script-state') === 'notRunning'
        && m.oldValue !== 'notRunning') window.__stRuns++;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
IDLE_AFTER = """c0 => window.__stRuns > c0
  && document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')"""
IDLE_NOW = """() => !!document.querySelector(
    '[data-testid="stApp"][data-test-script-state="notRunning"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')"""


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    by_page: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    actions: int = 0
    routes: dict[int, str] = field(default_factory=dict)  # session -> route cookie (nginx)

    def record(self, kind: str, page: str | None, seconds: float) -> None:
        """One completed action, by kind and by the page it ran (open counted apart)."""
        self.times[kind].append(seconds)
        if kind != "open":
            self.by_page[page or "?"].append(seconds)
        self.actions += 1


def start_server(db: Path, user_db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    try:
        return live_app.start_streamlit(db, user_db, log)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None


async def wait_idle(page, c0: int, timeout_ms: float) -> float:
    """Wait until a run after counter value c0 has finished and the app stayed idle 150 ms;
    returns the perf_counter time it became idle."""
    await page.wait_for_function(IDLE_AFTER, arg=c0, timeout=timeout_ms, polling=50)
    done = time.perf_counter()
    await page.wait_for_timeout(150)
    if not await page.evaluate(IDLE_NOW):  # a follow-up rerun (e.g. widget defaults)
        await page.wait_for_function(IDLE_NOW, timeout=timeout_ms, polling=50)
        done = time.perf_counter()
    return done


async def check_page(page, where: str, stats: Stats, expect_title: str | None = None) -> str:
    """Count exception boxes, a lost connection or a wrong page as errors; returns the title
    of the page the navigation marks as current."""
    exc = page.locator('[data-testid="stException"]')
    if await exc.count():
        stats.errors.append(f"{where}: exception box")
    conn = await page.locator('[data-testid="stApp"]').get_attribute("data-test-connection-state")
    if conn != "CONNECTED":
        stats.errors.append(f"{where}: connection state {conn}")
    active = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    text = " ".join((await active.inner_text()).split()) if await active.count() else ""
    if expect_title is not None and not text.endswith(expect_title):
        stats.errors.append(f"{where}: navigation landed on {text!r}")
    return text.split(" ", 1)[-1] if " " in text else text  # without the icon


ACTIONS = {"navigate": 5, "agency": 2, "pay_basis": 2, "dollars": 1}


async def _pick(locator, rng: random.Random, what: str, timeout_ms: float):
    try:
        await locator.first.wait_for(state="visible", timeout=timeout_ms)
    except Exception as exc:  # noqa: BLE001
        raise LookupError(f"no {what} to click within {timeout_ms / 1000:g} s") from exc
    n = await locator.count()
    return locator.nth(rng.randrange(n))


async def act(
    page, rng: random.Random, kind: str, pages: list[tuple[str, str]], timeout_ms: float
) -> str | None:
    """Perform one user action of `kind`; returns the expected page title after navigating."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if kind == "navigate":
        links = sidebar.locator('[data-testid="stSidebarNav"] a:not([aria-current="page"])')
        link = await _pick(links, rng, "navigation link", timeout_ms)
        title = " ".join((await link.inner_text()).split())
        target = next((t for _, t in pages if title.endswith(t)), title)
        await link.click()
        return target
    if kind == "agency":
        box = sidebar.locator('[data-testid="stSelectbox"]').first
        await box.locator('[role="combobox"], input').first.click()
        opts = page.locator('[role="option"]:not([aria-selected="true"])')
        await (await _pick(opts, rng, "agency option", timeout_ms)).click()
        return None
    group = sidebar.locator('[data-testid="stRadio"]').nth(0 if kind == "pay_basis" else 1)
    opts = group.locator('label[data-testid="stRadioOption"]:not([data-selected="true"])')
    await (await _pick(opts, rng, f"{kind} option", timeout_ms)).click()
    return None


def _err(exc: Exception) -> str:
    """The first and last lines of an error (Playwright appends a long call log)."""
    if isinstance(exc, TimeoutError) and not str(exc):
        return "TimeoutError: no reply within --action-timeout"
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    text = lines[0][:140] if lines else ""
    if len(lines) > 1:
        text += f" ... {lines[-1][:140]}"
    return f"{type(exc).__name__}: {text}"


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds used by one process (user + system), or by the whole machine (pid None,
    all cores, busy time only) since boot."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is None:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return (sum(f) - f[3] - f[4]) / tick  # minus idle and iowait
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(f[11]) + int(f[12])) / tick


def with_children(pid: int) -> list[int]:
    """A process and its direct children (nginx: the master and its workers)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return [pid]
    return [pid, *map(int, kids)]


def rss_mb(pid: int) -> int:
    """Resident memory of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


async def session(
    i: int, browser, url: str, pages, deadline: float, args, stats: Stats, auth=None
) -> None:
    rng = random.Random(args.seed * 1000 + i)
    await asyncio.sleep(i * args.ramp / max(args.sessions, 1))  # staggered arrivals
    extra = {"http_credentials": {"username": auth[0], "password": auth[1]}} if auth else {}
    ctx = await browser.new_context(viewport=VIEWPORT, **extra)
    await ctx.add_init_script(RUN_COUNTER)
    page = await ctx.new_page()
    timeout_ms = args.action_timeout * 1000
    try:
        t0 = time.perf_counter()
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
            done = await wait_idle(page, 0, timeout_ms)
            stats.record("open", None, done - t0)
            await check_page(page, f"session {i} open", stats)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            stats.errors.append(f"session {i} open: {_err(exc)}")
            return
        while time.perf_counter() < deadline:
            c0 = await page.evaluate("() => window.__stRuns")
            kind = rng.choices(list(ACTIONS), list(ACTIONS.values()))[0]
            try:
                t0 = time.perf_counter()
                title = await act(page, rng, kind, pages, timeout_ms)
                done = await wait_idle(page, c0, timeout_ms)
                shown = await check_page(page, f"session {i} {kind}", stats, title)
                stats.record(kind, shown, done - t0)
            except Exception as exc:  # noqa: BLE001
                stats.errors.append(f"session {i} {kind}: {_err(exc)}")
                try:  # recover: start this session over
                    await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
                    await wait_idle(page, 0, timeout_ms)
                except Exception:  # noqa: BLE001
                    return
            await page.wait_for_timeout(rng.uniform(args.think_min, args.think_max) * 1000)
    finally:
        await ctx.close()


# The websocket driver -------------------------------------------------------------------------

SIDEBAR_KEYS = {"agency": "shared_agency", "pay_basis": "shared_pay_basis",
                "dollars": "shared_dollars"}  # fmt: skip


def _ws_errors(run: st_ws.Run, where: str, expect_hash: str | None, client) -> list[str]:
    errs = []
    if run.exceptions:
        errs.append(f"{where}: {len(run.exceptions)} exception element(s)")
    if not run.exceptions and not run.ok:
        errs.append(f"{where}: script finished with status {run.status}")
    if run.not_found:
        errs.append(f"{where}: page not found")
    if expect_hash is not None and client.page_hash != expect_hash:
        errs.append(f"{where}: landed on {client.pages.get(client.page_hash)}")
    return errs


def _first_load(url: str, auth: tuple[str, str] | None) -> dict[str, str]:
    """What a browser does before it opens the websocket: load the page (through the proxy:
    signed in); returns the headers its websocket then sends (credentials, route cookie)."""
    import urllib.request

    headers = {"Authorization": nginx_proxy.basic_auth(*auth)} if auth else {}
    with urllib.request.urlopen(
        urllib.request.Request(url + "/", headers=headers), timeout=30
    ) as r:
        r.read()
        cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
    if not auth:
        return {}
    route = [c for c in cookies if c.startswith("bargain_route=")]
    if not route:
        raise RuntimeError("the proxy set no route cookie")
    return {**headers, "Cookie": route[0]}


async def ws_session(i: int, url: str, deadline: float, args, stats: Stats, auth=None) -> None:
    rng = random.Random(args.seed * 1000 + i)
    await asyncio.sleep(i * args.ramp / max(args.sessions, 1))  # staggered arrivals
    kind_on = "open"
    try:
        t0 = time.perf_counter()  # "open": page load, websocket, first run
        headers = await asyncio.to_thread(_first_load, url, auth)
        if auth:
            stats.routes[i] = headers["Cookie"].split("=", 1)[1]
        async with await st_ws.connect(url, headers) as ws:
            client = st_ws.Session(ws)
            run = await client.rerun(timeout=args.action_timeout)
            stats.record("open", None, time.perf_counter() - t0)
            stats.errors += _ws_errors(run, f"session {i} open", None, client)
            while time.perf_counter() < deadline:
                await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
                kind = rng.choices(list(ACTIONS), list(ACTIONS.values()))[0]
                target, change = None, None
                if kind == "navigate":
                    target = rng.choice([h for h in client.pages if h != client.page_hash])
                    kind_on = f"navigate to {client.pages[target][1]}"
                else:
                    w = client.widget(SIDEBAR_KEYS[kind])
                    change = {
                        SIDEBAR_KEYS[kind]: rng.choice([o for o in w.options if o != w.value])
                    }
                    kind_on = f"{kind} on {client.page_title}"
                t0 = time.perf_counter()
                run = await client.rerun(page_hash=target, set=change, timeout=args.action_timeout)
                stats.record(kind, client.page_title, time.perf_counter() - t0)
                stats.errors += _ws_errors(run, f"session {i} {kind}", target, client)
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        stats.errors.append(f"session {i} {kind_on}: {_err(exc)} (session ended)")


async def rebuild(db: Path, user_db: Path, delay: float, result: dict) -> None:
    await asyncio.sleep(delay)
    ino = db.stat().st_ino
    code = (
        f"from pathlib import Path; from userdata.warehouse import build; build(Path({str(db)!r}))"
    )
    result["started"] = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=ROOT, env={**os.environ, "BARGAIN_USER_DB": str(user_db)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await proc.communicate()
    result["seconds"] = time.perf_counter() - result["started"]
    result["returncode"] = proc.returncode
    result["replaced"] = db.stat().st_ino != ino
    result["stderr"] = err.decode(errors="replace")[-1500:]


@dataclass
class Target:
    """What one configuration serves from: the URL sessions use, the processes to account
    CPU to, and how sessions sign in (through the proxy) or not (straight to the app)."""

    label: str
    url: str
    app_pids: list[int]
    proxy_pid: int | None = None
    users: dict[str, str] = field(default_factory=dict)  # through the proxy: name -> password
    upstreams: list[str] = field(default_factory=list)

    def auth(self, i: int) -> tuple[str, str] | None:
        if not self.users:
            return None
        name = f"user{i:02d}"
        return name, self.users[name]


def _cpu_of(pids: list[int]) -> float:
    return sum(cpu_seconds(p) for p in pids)


async def _load(make_session, args, db: Path, user_db: Path, target: Target):
    stats = Stats()
    rebuild_result: dict = {}
    proxy = with_children(target.proxy_pid) if target.proxy_pid else []
    driver = os.getpid()
    load0 = load_average()
    start = time.perf_counter()
    cpu0 = (cpu_seconds(), _cpu_of(target.app_pids), _cpu_of(proxy), cpu_seconds(driver))
    per0 = [cpu_seconds(p) for p in target.app_pids]
    deadline = start + args.seconds
    tasks = [make_session(i, deadline, stats) for i in range(args.sessions)]
    tasks.append(rebuild(db, user_db, args.seconds / 2, rebuild_result))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    usage = {
        "elapsed": elapsed,
        "machine": cpu_seconds() - cpu0[0],
        "server": _cpu_of(target.app_pids) - cpu0[1],
        "per_process": [cpu_seconds(p) - c for p, c in zip(target.app_pids, per0, strict=True)],
        "proxy": _cpu_of(proxy) - cpu0[2],
        "driver": cpu_seconds(driver) - cpu0[3],
        "load_before": load0,
        "load_after": load_average(),
    }
    rebuild_result["at"] = rebuild_result.get("started", start) - start
    return stats, rebuild_result, usage


async def run(args, db: Path, user_db: Path, target: Target) -> tuple[Stats, dict, dict]:
    pages = navigation_pages()
    if args.driver == "ws":

        def make(i, deadline, stats):
            return ws_session(i, target.url, deadline, args, stats, target.auth(i))

        return await _load(make, args, db, user_db, target)

    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )

        def make(i, deadline, stats):
            return session(i, browser, target.url, pages, deadline, args, stats, target.auth(i))

        try:
            return await _load(make, args, db, user_db, target)
        finally:
            await browser.close()


KINDS = ["open", "navigate", "agency", "pay_basis", "dollars"]


@dataclass
class Result:
    label: str
    processes: int
    stats: Stats
    rebuild: dict
    usage: dict
    tracebacks: int
    sessions_per_process: list[int] = field(default_factory=list)

    def every(self) -> list[float]:
        return [x for k in KINDS[1:] for x in self.stats.times.get(k, [])]

    @property
    def rebuilt(self) -> bool:
        return self.rebuild.get("returncode") == 0 and bool(self.rebuild.get("replaced"))

    def summary(self) -> dict:
        def stats_of(t: list[float]) -> dict:
            if not t:
                return {"n": 0}
            return {
                "n": len(t),
                "median_ms": round(statistics.median(t) * 1000),
                "p95_ms": round(percentile(t, 95) * 1000),
                "max_ms": round(max(t) * 1000),
            }

        return {
            "label": self.label,
            "processes": self.processes,
            "actions": self.stats.actions,
            "errors": len(self.stats.errors),
            "error_samples": self.stats.errors[:10],
            "tracebacks": self.tracebacks,
            "sessions_per_process": self.sessions_per_process,
            "by_kind": {k: stats_of(self.stats.times.get(k, [])) for k in KINDS},
            "all_but_open": stats_of(self.every()),
            "by_page": {k: stats_of(v) for k, v in self.stats.by_page.items()},
            "usage": self.usage,
            "rebuild": {k: v for k, v in self.rebuild.items() if k != "stderr"},
        }


def _ms(t: list[float], q: float | None) -> str:
    if not t:
        return "—"
    v = statistics.median(t) if q is None else (max(t) if q == 100 else percentile(t, q))
    return f"{v * 1000:,.0f}"


def report(args, r: Result) -> None:
    stats, rb, usage = r.stats, r.rebuild, r.usage
    elapsed, cores = usage["elapsed"], os.cpu_count() or 1
    print(f"\n== {r.label}")
    print(
        f"machine: {cores} cores (load average {usage['load_before']:.1f} before, "
        f"{usage['load_after']:.1f} after); {args.sessions} sessions ({DRIVERS[args.driver]}), "
        f"arriving over {args.ramp:g} s, acting for {args.seconds:g} s (ran {elapsed:.0f} s "
        f"until the last action ended); think time {args.think_min:g}-{args.think_max:g} s"
    )
    others = usage["machine"] - usage["server"] - usage["proxy"] - usage["driver"]
    print(
        f"CPU: machine {usage['machine'] / (cores * elapsed):.0%} busy; the app process(es) "
        f"used {usage['server']:.0f} CPU-s = {usage['server'] / elapsed:.0%} of one core, "
        f"nginx {usage['proxy'] / elapsed:.0%}, this driver {usage['driver'] / elapsed:.0%}, "
        f"the rest (rebuild, Chromium, other processes) {max(others, 0) / elapsed:.0%}"
    )
    if r.sessions_per_process:
        busy = ", ".join(f"{c / elapsed:.0%}" for c in usage["per_process"])
        print(
            f"sessions per process (sticky route cookie): {r.sessions_per_process}; each "
            f"process's CPU: {busy} of one core"
        )
    per_action = usage["server"] / max(stats.actions, 1) * 1000
    print(
        f"actions completed: {stats.actions}; errors: {len(stats.errors)}; app CPU per action "
        f"{per_action:.0f} ms"
    )
    if usage.get("rss_mb"):
        print(f"memory (RSS) per app process at the end: {usage['rss_mb']} MB")
    print(f"{'action':<14} {'n':>5} {'median':>9} {'p95':>9} {'max':>9}")
    for kind in KINDS:
        t = stats.times.get(kind)
        if t:
            print(
                f"{kind:<14} {len(t):>5} {_ms(t, None):>7}ms {_ms(t, 95):>7}ms {_ms(t, 100):>7}ms"
            )
    every = r.every()
    if every:
        print(
            f"{'all but open':<14} {len(every):>5} {_ms(every, None):>7}ms "
            f"{_ms(every, 95):>7}ms {_ms(every, 100):>7}ms"
        )
    if stats.by_page:
        print("by the page the action ran (navigation target, or the page a widget changed on):")
        w = max(len(k) for k in stats.by_page)
        for name, t in sorted(stats.by_page.items(), key=lambda kv: -statistics.median(kv[1])):
            print(f"  {name:<{w}} {len(t):>4} {_ms(t, None):>7}ms {_ms(t, 95):>7}ms")
    if rb:
        print(
            f"rebuild: started at {rb['at']:.0f} s, {'completed' if r.rebuilt else 'FAILED'} in "
            f"{rb.get('seconds', float('nan')):.1f} s (exit {rb.get('returncode')}, "
            f"database file replaced: {rb.get('replaced')})"
        )
        if not r.rebuilt:
            print(rb.get("stderr", ""))
    else:
        print("rebuild: did not run (the load ended first)")
    print(f"server logs: {r.tracebacks} traceback(s)")
    for e in stats.errors[:20]:
        print(f"  ERROR {e}")
    if len(stats.errors) > 20:
        print(f"  ... and {len(stats.errors) - 20} more")


def compare(args, results: list[Result]) -> None:
    """Each configuration against the first (the single process): medians, p95 and ratios."""
    base = results[0]
    print(f"\n== Compared with the baseline ({base.label}); target p95 <= {args.target_ms:g} ms")
    head = f"{'':<16}" + "".join(f"{r.label[:24]:>26}" for r in results)
    print(head)

    def row(name: str, pick) -> None:
        cells = []
        for r in results:
            t = pick(r)
            b = pick(base)
            if not t:
                cells.append(f"{'—':>26}")
                continue
            med, p95 = statistics.median(t) * 1000, percentile(t, 95) * 1000
            text = f"{med:,.0f} / {p95:,.0f} ms"
            if r is not base and b:
                text += f" ({p95 / (percentile(b, 95) * 1000):.2f}×)"
            cells.append(f"{text:>26}")
        print(f"{name:<16}" + "".join(cells))

    print("median / p95 (p95 ratio to the baseline)")
    row("all but open", Result.every)
    for kind in KINDS:
        row(kind, lambda r, k=kind: r.stats.times.get(k, []))
    pages = sorted({p for r in results for p in r.stats.by_page})
    for page in pages:
        row(page[:16], lambda r, pg=page: r.stats.by_page.get(pg, []))
    print(
        f"{'actions':<16}"
        + "".join(
            f"{f'{r.stats.actions:,} ({r.stats.actions / max(base.stats.actions, 1):.2f}×)':>26}"
            for r in results
        )
    )
    print(f"{'errors':<16}" + "".join(f"{len(r.stats.errors):>26}" for r in results))
    print(
        f"{'app CPU':<16}"
        + "".join(f"{r.usage['server'] / r.usage['elapsed']:>25.0%} " for r in results)
    )
    for r in results:
        p95 = percentile(r.every(), 95) * 1000 if r.every() else float("nan")
        verdict = "met" if p95 <= args.target_ms else "MISSED"
        print(f"target p95 <= {args.target_ms:g} ms, {r.label}: {p95:,.0f} ms, {verdict}")


def _sessions_per_process(proxy: nginx_proxy.Proxy, stats: Stats) -> list[int]:
    """Sessions per app process, from nginx's access log (a websocket is logged when it
    closes: every one has by now)."""
    wanted = set(stats.routes.values())
    try:
        lines = proxy.wait_for(
            lambda rows: (
                wanted
                <= {r["cookie"] for r in rows if r["request"].startswith("GET /_stcore/stream")}
            ),
            timeout_s=15,
        )
    except RuntimeError:
        lines = proxy.log_lines()
    served = {
        r["cookie"]: r["upstream"]
        for r in lines
        if r["request"].startswith("GET /_stcore/stream") and r["cookie"] in wanted
    }
    return [sum(1 for u in served.values() if u == up) for up in proxy.upstreams]


def measure(args, tmp: Path, db: Path, processes: int) -> Result:
    """One configuration: 0 = one process, sessions straight to it (the baseline); N >= 1 =
    N processes behind nginx."""
    work = tmp / (f"p{processes}" if processes else "single")
    work.mkdir()
    user_db = work / "user.sqlite"
    if processes == 0:
        log = work / "streamlit.log"
        proc, url = start_server(db, user_db, log)
        apps, proxy = [(proc, url, log)], None
        target = Target("1 process (direct)", url, [proc.pid])
    else:
        users = {f"user{i:02d}": f"pw-{i}" for i in range(args.sessions)}
        port = live_app.free_port()
        env = nginx_proxy.deployment_env(f"http://localhost:{port}")
        apps = live_app.start_many(processes, db, user_db, work, env=env)
        ports = [int(u.rsplit(":", 1)[1]) for _, u, _ in apps]
        try:
            proxy = nginx_proxy.start_nginx(ports, users, listen_port=port)
        except RuntimeError:
            for proc, _, _ in apps:
                live_app.stop(proc)
            raise
        target = Target(
            f"{processes} processes + nginx",
            proxy.url,
            [p.pid for p, _, _ in apps],
            proxy.proc.pid,
            users,
            proxy.upstreams,
        )
    try:
        stats, rb, usage = asyncio.run(run(args, db, user_db, target))
        usage["rss_mb"] = [rss_mb(pid) for pid in target.app_pids]
        per_process = _sessions_per_process(proxy, stats) if proxy else []
    finally:
        if proxy:
            nginx_proxy.stop_nginx(proxy)
            if args.keep_log:
                shutil.copy(proxy.access_log, args.keep_log / f"nginx-{processes}.log")
            shutil.rmtree(proxy.prefix, ignore_errors=True)
        for proc, _, _ in apps:
            live_app.stop(proc)
    tracebacks = 0
    for i, (_, _, log) in enumerate(apps):
        tracebacks += log.read_text(errors="replace").count("Traceback")
        if args.keep_log:
            shutil.copy(log, args.keep_log / f"streamlit-{processes}-{i}.log")
    return Result(target.label, max(processes, 1), stats, rb, usage, tracebacks, per_process)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--driver", choices=list(DRIVERS), default="ws")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--action-timeout", type=float, default=30.0, help="seconds per action")
    p.add_argument("--think-min", type=float, default=0.5, help="pause between actions, s")
    p.add_argument("--think-max", type=float, default=2.0)
    p.add_argument("--ramp", type=float, default=10.0, help="sessions arrive over this many s")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--processes",
        type=int,
        nargs="+",
        metavar="N",
        help="also N app processes behind nginx (after the single-process baseline)",
    )
    p.add_argument("--no-baseline", action="store_true", help="skip the single process")
    p.add_argument("--target-ms", type=float, default=1000.0, help="p95 target, ms")
    p.add_argument("--json", type=Path, help="write every configuration's numbers here")
    p.add_argument("--keep-log", type=Path, help="copy the server (and nginx) logs to this dir")
    args = p.parse_args()
    if args.driver == "browser" and not CHROMIUM.exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    if args.processes and not nginx_proxy.nginx_binary():
        raise SystemExit("nginx not found (apt-get install nginx)")
    if args.keep_log:
        args.keep_log.mkdir(parents=True, exist_ok=True)
    # A plain SIGTERM would skip the `finally` blocks that stop the servers and nginx.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.chdir(ROOT)
    configs = ([] if args.no_baseline and args.processes else [0]) + list(args.processes or [])
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        tmp = Path(tmp)
        if os.environ.get("BARGAIN_DB"):
            db = Path(os.environ["BARGAIN_DB"])
        else:
            from userdata.warehouse import build

            db = tmp / "bargaining.duckdb"
            build(db, user_db=None)
        for n in configs:
            try:
                r = measure(args, tmp, db, n)
            except RuntimeError as exc:
                raise SystemExit(str(exc)) from None
            report(args, r)
            results.append(r)
    if len(results) > 1:
        compare(args, results)
    if args.json:
        meta = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "cores": os.cpu_count(),
            "args": {k: str(v) for k, v in vars(args).items()},
        }
        args.json.write_text(
            json.dumps({"meta": meta, "results": [r.summary() for r in results]}, indent=1)
        )
    bad = any(r.stats.errors or not r.rebuilt for r in results)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
