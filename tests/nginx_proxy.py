"""The shipped nginx configuration (docs/deploy/nginx/bargain.conf) run for real in front of
local app processes, shared by the deployment tests (tests/deploy/) and the load test
(benchmarks/bench_load.py --processes N).

`site_config` turns the shipped file into a local one by exact substitutions, each of which
must match (a changed shipped file fails loudly here instead of being tested half-applied):
the upstream's `server` lines become the given ports, the TLS listener a plain localhost one,
the port-80 redirect server and the certificate lines go, the htpasswd path and the server
name become local. Everything else (sticky routing, websocket upgrade, body size, timeouts,
headers, the user header, the probe location) is the shipped text. nginx runs in the
foreground as a child process (`-p` prefix, `-c` config, `-e` error log), never as the
machine's service.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.live_app import ROOT, free_port, stop

SHIPPED = ROOT / "docs" / "deploy" / "nginx" / "bargain.conf"
ENV_FILE = ROOT / "docs" / "deploy" / "bargain.env"
PUBLIC_NAME = "bargain.example.org"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def _sub(pattern: str, repl: str, text: str, count: int, flags: int = re.M) -> str:
    new, n = re.subn(pattern, repl, text, flags=flags)
    if n != count:
        raise ValueError(f"{SHIPPED.name}: expected {count} match(es) of {pattern!r}, found {n}")
    return new


def site_config(ports: list[int], listen_port: int, htpasswd: Path, text: str | None = None) -> str:
    """The shipped site configuration with local ports and paths."""
    text = SHIPPED.read_text() if text is None else text
    upstream = re.search(r"^upstream bargain \{\n(.*?)^\}", text, re.M | re.S)
    if not upstream:
        raise ValueError(f"{SHIPPED.name}: no `upstream bargain {{ ... }}` block")
    body = upstream.group(1)
    servers = re.findall(r"^    server 127\.0\.0\.1:\d+;\n", body, re.M)
    if not servers:
        raise ValueError(f"{SHIPPED.name}: the upstream has no `server 127.0.0.1:PORT;` line")
    block = "".join(servers)
    if block not in body:
        raise ValueError(f"{SHIPPED.name}: the upstream's `server` lines are not together")
    new_body = body.replace(block, "".join(f"    server 127.0.0.1:{p};\n" for p in ports), 1)
    text = text.replace(body, new_body, 1)
    text = _sub(r"^server \{\n    listen 80;\n.*?^\}\n\n", "", text, 1, re.M | re.S)
    text = _sub(r"^    listen 443 ssl;$", f"    listen 127.0.0.1:{listen_port};", text, 1)
    text = _sub(r"^    listen \[::\]:443 ssl;\n", "", text, 1)
    text = _sub(r"^    ssl_certificate(_key)? .*\n", "", text, 2)
    text = _sub(r"^    auth_basic_user_file .*;$", f"    auth_basic_user_file {htpasswd};", text, 1)
    text = _sub(
        rf"^    server_name {re.escape(PUBLIC_NAME)};$", "    server_name localhost;", text, 1
    )
    return text


def write_htpasswd(path: Path, users: dict[str, str]) -> None:
    """An htpasswd file nginx reads ({SHA} scheme: test passwords only)."""
    lines = []
    for user, password in users.items():
        digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
        lines.append(f"{user}:{{SHA}}{digest}\n")
    path.write_text("".join(lines))
    path.chmod(0o644)


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# Logged per request, to check the routing: which process answered, under which route key.
LOG_FORMAT = (
    'log_format bargain_test \'$remote_user "$request" $status upstream=$upstream_addr '
    "route=$bargain_route cookie=$cookie_bargain_route';"
)


def main_config(prefix: Path, site: Path) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} info;
events {{ worker_connections 1024; }}
http {{
    {LOG_FORMAT}
    access_log {prefix / "access.log"} bargain_test;
{temp}
    include {site};
}}
"""


@dataclass
class Proxy:
    proc: subprocess.Popen
    url: str
    prefix: Path
    upstreams: list[str]  # "127.0.0.1:PORT" of each app process, in upstream order

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def log_lines(self) -> list[dict]:
        """The access log parsed: user, request, status, upstream, route, cookie. `upstream` is
        the process that answered; `tried` every one nginx tried, in order (more than one when
        a process did not answer and nginx passed the request to the next)."""
        pat = re.compile(
            r'^(?P<user>\S+) "(?P<request>[^"]*)" (?P<status>\d+) upstream=(?P<upstream>.+?) '
            r"route=(?P<route>\S*) cookie=(?P<cookie>\S*)$"
        )
        out = []
        for line in self.access_log.read_text(errors="replace").splitlines():
            m = pat.match(line)
            if m:
                row = m.groupdict()
                row["tried"] = [u.strip() for u in row["upstream"].split(",")]
                row["upstream"] = row["tried"][-1]
                out.append(row)
        return out

    def wait_for(self, predicate, timeout_s: float = 10) -> list[dict]:
        """The log lines once `predicate(lines)` holds: nginx writes a request's line after
        the response has gone out (a websocket's when it closes), so a client can be ahead of
        the log. RuntimeError after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while True:
            lines = self.log_lines()
            if predicate(lines):
                return lines
            if time.monotonic() > deadline:
                raise RuntimeError(f"the access log never showed it; last lines: {lines[-5:]}")
            time.sleep(0.05)


def start_nginx(
    app_ports: list[int],
    users: dict[str, str],
    prefix: Path | None = None,
    listen_port: int | None = None,
    shipped_text: str | None = None,
    timeout_s: float = 20,
) -> Proxy:
    """nginx in the foreground with the shipped site (or `shipped_text`, a variant of it) in
    front of `app_ports`, on `listen_port` (a free one by default); returns once it answers.
    RuntimeError with the error log when `nginx -t` fails or it does not start.

    The prefix (config, logs, temporary files; by default a new directory under the system's
    temporary directory, which the caller removes) must be reachable by nginx's workers: run
    as root, nginx starts them as `nobody`, and they read the htpasswd file per request."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (tests/setup_machine.py installs it)")
    if prefix is None:
        prefix = Path(tempfile.mkdtemp(prefix="bargain-nginx-"))
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    (prefix / "tmp").mkdir(exist_ok=True)  # nginx creates the temp paths in it, for its workers
    htpasswd = prefix / "htpasswd"
    write_htpasswd(htpasswd, users)
    port = listen_port or free_port()
    site = prefix / "bargain.conf"
    site.write_text(site_config(app_ports, port, htpasswd, shipped_text))
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site))
    cmd = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    log = open(prefix / "nginx.out", "wb")  # noqa: SIM115 - kept open for the child's life
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited {proc.returncode}:\n{_tail(prefix)}")
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
        except urllib.error.HTTPError:  # 401 without credentials: it is up
            return Proxy(proc, url, prefix, [f"127.0.0.1:{p}" for p in app_ports])
        except OSError:
            time.sleep(0.1)
            continue
        return Proxy(proc, url, prefix, [f"127.0.0.1:{p}" for p in app_ports])
    stop_nginx(Proxy(proc, url, prefix, []))
    raise RuntimeError(f"nginx did not answer in {timeout_s:g} s:\n{_tail(prefix)}")


def _tail(prefix: Path) -> str:
    parts = []
    for name in ("nginx.out", "error.log"):
        f = prefix / name
        if f.exists():
            parts.append(f.read_text(errors="replace")[-2000:])
    return "\n".join(parts)


def stop_nginx(proxy: Proxy) -> None:
    """Fast shutdown of our nginx child (SIGTERM to its master), and wait for it."""
    if proxy.proc.poll() is None:
        stop(proxy.proc)


def deployment_env(public_origin: str) -> dict[str, str]:
    """The STREAMLIT_* settings of docs/deploy/bargain.env with the public name replaced by
    this test's origin (e.g. http://localhost:PORT): what each app process runs with."""
    host = public_origin.split("://", 1)[1].split(":")[0]
    env = {}
    for line in ENV_FILE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or not line.startswith("STREAMLIT_"):
            continue
        key, value = line.split("=", 1)
        value = value.replace(f"https://{PUBLIC_NAME}", public_origin).replace(PUBLIC_NAME, host)
        env[key] = value
    return env


def route_cookies(proxy: Proxy, per_upstream: int, auth: str) -> dict[str, list[str]]:
    """Route cookie values that the proxy sends to each app process, `per_upstream` of each:
    found by asking the proxy (the hash is nginx's), so tests can place sessions on every
    process deterministically. Returns {upstream: [cookie value, ...]}."""
    found: dict[str, list[str]] = {u: [] for u in proxy.upstreams}
    for i in range(200 * len(found)):
        if all(len(v) >= per_upstream for v in found.values()):
            return found
        value = f"route{i:04d}"
        req = urllib.request.Request(
            f"{proxy.url}/_stcore/health?probe={value}",
            headers={"Cookie": f"bargain_route={value}", "Authorization": auth},
        )
        with urllib.request.urlopen(req, timeout=5) as r:
            r.read()
        upstream = _served(proxy, f"probe={value}")
        if len(found[upstream]) < per_upstream:
            found[upstream].append(value)
    raise RuntimeError(f"could not place {per_upstream} route(s) on every process: {found}")


def _served(proxy: Proxy, marker: str) -> str:
    lines = proxy.wait_for(lambda rows: any(marker in r["request"] for r in rows))
    return next(r["upstream"] for r in reversed(lines) if marker in r["request"])
