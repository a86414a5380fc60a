"""A live `streamlit run app.py` (one or several processes) and Debian's Chromium, shared by the
browser test (tests/app/test_browser.py), the deployment tests (tests/deploy/) and the
benchmarks that drive the real app (benchmarks/)."""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("BARGAIN_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps dialling Google's hosts, which this
# machine's closed network refuses, noisily.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}  # a laptop screen


@dataclass(frozen=True)
class NavPage:
    file: str  # as written in app.py, e.g. "app_pages/schedules.py"
    title: str
    default: bool
    url_path: str  # "" for the default page (served at "/")

    @property
    def name(self) -> str:
        """The page's short name: its URL path (the file's stem unless app.py gives one)."""
        return self.url_path or Path(self.file).stem


def navigation_pages(app: Path = ROOT / "app.py") -> list[NavPage]:
    """The st.Page(...) entries of app.py, in order, with the URL path Streamlit serves them at
    (the file name's stem unless url_path= is given; the default page lives at the root)."""
    pages = []
    for node in ast.walk(ast.parse(app.read_text())):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Page"
        ):
            continue
        kw = {k.arg: k.value for k in node.keywords}
        file = ast.literal_eval(node.args[0] if node.args else kw["page"])
        default = bool(ast.literal_eval(kw["default"])) if "default" in kw else False
        title = ast.literal_eval(kw["title"]) if "title" in kw else Path(file).stem
        url = ast.literal_eval(kw["url_path"]).strip("/") if "url_path" in kw else Path(file).stem
        pages.append(NavPage(file, title, default, "" if default else url))
    if pages and not any(p.default for p in pages):  # Streamlit's default is the first page
        first = pages[0]
        pages[0] = NavPage(first.file, first.title, True, "")
    if not pages:
        raise ValueError(f"no st.Page(...) entries found in {app}")
    return pages


def page_file(name: str) -> str:
    """The script of the page app.py serves under `name` (its URL path), for AppTest's
    switch_page: "costing" -> "app_pages/costing/page.py"."""
    return next(p.file for p in navigation_pages() if p.name == name)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn_streamlit(
    db: Path, user_db: Path, log: Path, port: int | None = None, env: dict | None = None
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` on `port` (a free one by default) without waiting for it;
    returns (process, base URL). `env` adds or overrides environment variables."""
    port = port or free_port()
    env = {**os.environ, "BARGAIN_DB": str(db), "BARGAIN_USER_DB": str(user_db), **(env or {})}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.headless", "true",
        "--server.address", "localhost", "--browser.gatherUsageStats", "false",
        # Run the code as it was at start: a watcher would unload modules saved meanwhile
        # while live sessions import them (KeyError races; see benchmarks/README.md).
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    return proc, f"http://localhost:{port}"


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout_s: float = 60) -> None:
    """Wait until /_stcore/health answers 200; RuntimeError (with the log's tail) and the
    process stopped when it exits or does not answer in time."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    stop(proc)
    raise RuntimeError(
        f"streamlit did not answer /_stcore/health in {timeout_s:g} s:\n{log.read_text()[-3000:]}"
    )


def start_streamlit(
    db: Path, user_db: Path, log: Path, timeout_s: float = 60, env: dict | None = None
) -> tuple[subprocess.Popen, str]:
    """Start the app on a free localhost port; return (process, base URL) once
    /_stcore/health answers. RuntimeError (with the log's tail) when it does not."""
    proc, url = spawn_streamlit(db, user_db, log, env=env)
    wait_healthy(proc, url, log, timeout_s)
    return proc, url


def start_many(
    n: int, db: Path, user_db: Path, log_dir: Path, timeout_s: float = 90, env: dict | None = None
) -> list[tuple[subprocess.Popen, str, Path]]:
    """`n` app processes on distinct free ports sharing one warehouse and one user-data file,
    started together; returns (process, base URL, log) of each once all answer."""
    ports: set[int] = set()
    while len(ports) < n:
        ports.add(free_port())
    started = []
    try:
        for i, port in enumerate(sorted(ports)):
            log = log_dir / f"streamlit-{i}.log"
            started.append((*spawn_streamlit(db, user_db, log, port, env), log))
        for proc, url, log in started:
            wait_healthy(proc, url, log, timeout_s)
    except BaseException:
        for proc, _, _ in started:
            stop(proc)
        raise
    return started


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
