"""The shipped nginx configuration of the member site (docs/deploy/nginx/members-site.conf)
run for real over a published folder, for the site's tests (tests/site/) and the load
benchmark (benchmarks/bench_site_load.py).

`local_config` turns the shipped file into a local one by exact substitutions, each of which
must match (a changed shipped file fails loudly here rather than being tested half-applied):
the port-80 redirect server goes, the TLS listeners become one plain localhost listener, the
certificate lines go, the root becomes the given folder and the server name localhost.
Everything else (caching, compression, headers) is the shipped text. nginx runs in the
foreground as a child process, never as the machine's service.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.live_app import ROOT, free_port, stop
from tests.nginx_proxy import nginx_binary

SHIPPED = ROOT / "docs" / "deploy" / "nginx" / "members-site.conf"
PUBLIC_NAME = "pay.example.org"
SHIPPED_ROOT = "/srv/bargain/members-site"


def _sub(pattern: str, repl: str, text: str, count: int, flags: int = re.M) -> str:
    new, n = re.subn(pattern, repl, text, flags=flags)
    if n != count:
        raise ValueError(f"{SHIPPED.name}: expected {count} match(es) of {pattern!r}, found {n}")
    return new


def local_config(site: Path, port: int, text: str | None = None) -> str:
    text = SHIPPED.read_text() if text is None else text
    text = _sub(r"^server \{\n    listen 80;\n.*?^\}\n\n", "", text, 1, re.M | re.S)
    text = _sub(r"^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{port};", text, 1)
    text = _sub(r"^    listen \[::\]:443 ssl http2;\n", "", text, 1)
    text = _sub(r"^    ssl_certificate(_key)? .*\n", "", text, 2)
    text = _sub(rf"^    root {re.escape(SHIPPED_ROOT)};$", f"    root {site};", text, 1)
    return _sub(
        rf"^    server_name {re.escape(PUBLIC_NAME)};$", "    server_name localhost;", text, 1
    )


def main_config(prefix: Path, site_conf: Path, workers: int, connections: int) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
worker_processes {workers};
worker_rlimit_nofile {connections * 2 + 64};
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections {connections}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log off;
{temp}
    include {site_conf};
}}
"""


@dataclass
class SiteServer:
    proc: subprocess.Popen
    url: str
    prefix: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            stop(self.proc)


def serve(
    site: Path, workers: int = 1, connections: int = 1024, timeout_s: float = 20
) -> SiteServer:
    """nginx in the foreground serving `site` with the shipped configuration; returns once
    index.html answers. RuntimeError with the error log when it cannot start."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (tests/setup_machine.py installs it)")
    prefix = Path(tempfile.mkdtemp(prefix="bargain-site-nginx-"))
    prefix.chmod(0o755)
    (prefix / "tmp").mkdir()
    port = free_port()
    (prefix / "site.conf").write_text(local_config(site, port))
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, prefix / "site.conf", workers, connections))
    cmd = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    log = open(prefix / "nginx.out", "wb")  # noqa: SIM115 - kept open for the child's life
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"nginx exited {proc.returncode}: {(prefix / 'nginx.out').read_text()}"
            )
        try:
            urllib.request.urlopen(f"{url}/index.html", timeout=2).read()
            return SiteServer(proc, url, prefix)
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    SiteServer(proc, url, prefix).stop()
    raise RuntimeError(f"nginx did not serve {site} in {timeout_s:g} s")
